/** Slots consumed at the front before the log moves its entries down to reuse them. */
const COMPACT_AFTER = 256;
/**
 * The messages sent to one connection and not yet acked, in the order sent (which is seq
 * order). Acks mostly come in that order, so removing is usually taking the front.
 *
 * A Map did this job, and cost an allocation per ack: V8 shrinks a Map's table when it empties,
 * and a live connection's log empties with nearly every ack. These arrays keep their room.
 */
export class SentLog {
    ids = [];
    seqs = [];
    head = 0;
    tail = 0;
    get size() { return this.tail - this.head; }
    /** The seq of the oldest message not acked yet. */
    get firstSeq() { return this.head < this.tail ? this.seqs[this.head] : undefined; }
    /** Returns the new size. */
    add(id, seq) {
        this.ids[this.tail] = id;
        this.seqs[this.tail] = seq;
        this.tail++;
        return this.tail - this.head;
    }
    /** False when `id` is not in the log. */
    remove(id) {
        const { ids, seqs } = this;
        if (this.head === this.tail)
            return false;
        if (ids[this.head] === id) {
            ids[this.head++] = '';
        }
        else {
            const at = ids.indexOf(id, this.head + 1);
            if (at === -1 || at >= this.tail)
                return false;
            ids.copyWithin(at, at + 1, this.tail);
            seqs.copyWithin(at, at + 1, this.tail);
            ids[--this.tail] = '';
        }
        if (this.head === this.tail) {
            this.head = this.tail = 0;
        }
        else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.tail) {
            ids.copyWithin(0, this.head, this.tail);
            seqs.copyWithin(0, this.head, this.tail);
            ids.fill('', this.tail - this.head, this.tail);
            this.tail -= this.head;
            this.head = 0;
        }
        return true;
    }
}
//# sourceMappingURL=sent-log.js.map