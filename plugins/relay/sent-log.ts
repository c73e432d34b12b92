/** Slots consumed at the front before the log moves its entries down to reuse them. */
const COMPACT_AFTER = 256

/**
 * The messages sent to one connection and not yet acked, as (id, seq) pairs in the order sent,
 * seqs increasing: the core's unacked messages by relay seq, the Socket.IO shim's by ack id.
 * Acks mostly come in that order, so removing is usually taking the front.
 *
 * A Map did this job, and cost an allocation per ack: V8 shrinks a Map's table when it empties,
 * and a live connection's log empties with nearly every ack. These arrays keep their room.
 */
export class SentLog {
  private readonly ids: string[] = []
  private readonly seqs: number[] = []
  private head = 0
  private tail = 0

  get size (): number { return this.tail - this.head }

  /** The seq of the oldest message not acked yet. */
  get firstSeq (): number | undefined { return this.head < this.tail ? this.seqs[this.head] : undefined }

  /** Returns the new size. */
  add (id: string, seq: number): number {
    this.ids[this.tail] = id
    this.seqs[this.tail] = seq
    this.tail++
    return this.tail - this.head
  }

  /** False when `id` is not in the log. */
  remove (id: string): boolean {
    const at = this.head < this.tail && this.ids[this.head] === id ? this.head : this.ids.indexOf(id, this.head + 1)
    if (at === -1 || at >= this.tail) return false
    this.removeAt(at)
    return true
  }

  /** Removes the entry added with `seq`; returns its id, or undefined when it is not in the log. */
  removeSeq (seq: number): string | undefined {
    const at = this.indexOfSeq(seq)
    if (at === -1) return undefined
    const id = this.ids[at]
    this.removeAt(at)
    return id
  }

  hasSeq (seq: number): boolean { return this.indexOfSeq(seq) !== -1 }

  /** The seq `id` was added with, or undefined when it is not in the log. */
  seqOf (id: string): number | undefined {
    const at = this.ids.indexOf(id, this.head)
    return at === -1 || at >= this.tail ? undefined : this.seqs[at]
  }

  /** Seqs increase from head to tail: the front first (the usual ack), else a binary search. */
  private indexOfSeq (seq: number): number {
    const { seqs } = this
    let low = this.head
    let high = this.tail - 1
    if (low <= high && seqs[low] === seq) return low
    while (low <= high) {
      const mid = (low + high) >>> 1
      if (seqs[mid] === seq) return mid
      if (seqs[mid] < seq) low = mid + 1; else high = mid - 1
    }
    return -1
  }

  private removeAt (at: number): void {
    const { ids, seqs } = this
    if (at === this.head) {
      ids[this.head++] = ''
    } else {
      ids.copyWithin(at, at + 1, this.tail)
      seqs.copyWithin(at, at + 1, this.tail)
      ids[--this.tail] = ''
    }
    if (this.head === this.tail) {
      this.head = this.tail = 0
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.tail) {
      ids.copyWithin(0, this.head, this.tail)
      seqs.copyWithin(0, this.head, this.tail)
      ids.fill('', this.tail - this.head, this.tail)
      this.tail -= this.head
      this.head = 0
    }
  }
}
