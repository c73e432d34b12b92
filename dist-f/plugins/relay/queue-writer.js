import { deleteDelivered, enforceQuota, insertMessages, saveCursors } from './queue-store.js';
import { advanceDevices } from './device-cursors.js';
// Cursor-only changes (messages delivered live, devices' progress) are not urgent: at most this often.
const CURSOR_FLUSH_MS = 1000;
function mergeInto(into, from) {
    for (const [key, count] of from)
        into.set(key, (into.get(key) ?? 0) + count);
}
/**
 * Batches the offline queue's writes (new messages, sequence and device cursors, deletion of what
 * every device received) into one transaction every few milliseconds, so the hot path never
 * waits on the disk per message. A message counts as queued only once its batch committed:
 * `committed` runs after that.
 */
export function createQueueWriter(options) {
    const { db, flushMs, maxBatch, quota } = options;
    let inserts = [];
    let cursors = new Map();
    let devices = new Map();
    // Recipients whose devices moved on or went away: what all of them received can be deleted.
    let floors = new Set();
    // Uncommitted inserts per recipient: a connection catching up reads the queue only once they
    // are written, or it would miss a new message.
    const pending = new Map();
    function settle(recipientId) {
        const left = (pending.get(recipientId) ?? 1) - 1;
        if (left > 0)
            pending.set(recipientId, left);
        else
            pending.delete(recipientId);
    }
    let timer = null;
    let timerDue = Infinity;
    let timerDelay = Infinity;
    let running = Promise.resolve();
    function schedule(delay) {
        // A pending timer set with no longer a delay is due no later than this one would be: the
        // common case (a cursor per message), decided without reading the clock.
        if (timer !== null && timerDelay <= delay)
            return;
        const due = Date.now() + delay;
        if (timer !== null && timerDue <= due)
            return;
        if (timer !== null)
            clearTimeout(timer);
        timerDue = due;
        timerDelay = delay;
        timer = setTimeout(() => { void flush(); }, delay);
    }
    // Queued messages per recipient as far as this process knows. Never below the truth: only
    // this writer adds rows, and deletions elsewhere (retention, account deletion) only lower the
    // real count. So the quota's count query runs only for recipients that may be over it, or
    // that this process has not counted yet, instead of for every recipient of every batch.
    const queued = new Map();
    async function writeBatch(rows, seqs, deviceSeqs, recipients) {
        const result = await db.transaction().execute(async (trx) => {
            await insertMessages(trx, rows);
            await saveCursors(trx, seqs);
            await advanceDevices(trx, deviceSeqs);
            const deleted = await deleteDelivered(trx, recipients, options.now());
            const next = new Map();
            const uncounted = new Set();
            for (const { recipient_id: recipientId } of rows) {
                const known = next.get(recipientId) ?? queued.get(recipientId);
                if (known === undefined)
                    uncounted.add(recipientId);
                else
                    next.set(recipientId, known + 1);
            }
            for (const [recipientId, count] of deleted) {
                if (uncounted.has(recipientId))
                    continue;
                const known = next.get(recipientId) ?? queued.get(recipientId);
                if (known !== undefined)
                    next.set(recipientId, known - count);
            }
            for (const [recipientId, count] of next)
                if (count > quota)
                    uncounted.add(recipientId);
            if (uncounted.size === 0)
                return { dropped: new Map(), next };
            const { lost, counts } = await enforceQuota(trx, [...uncounted], quota, options.now());
            for (const [recipientId, count] of counts)
                next.set(recipientId, count);
            return { dropped: lost, next };
        });
        // Committed: the counts are true now.
        for (const [recipientId, count] of result.next) {
            if (count > 0)
                queued.set(recipientId, count);
            else
                queued.delete(recipientId);
        }
        return result.dropped;
    }
    async function write() {
        timer = null;
        timerDue = Infinity;
        timerDelay = Infinity;
        if (inserts.length === 0 && cursors.size === 0 && devices.size === 0 && floors.size === 0)
            return;
        const batch = { inserts, cursors, devices, floors };
        inserts = [];
        cursors = new Map();
        devices = new Map();
        floors = new Set();
        let dropped = new Map();
        let whole = false;
        try {
            dropped = await writeBatch(batch.inserts.map((i) => i.row), batch.cursors, batch.devices, batch.floors);
            whole = true;
        }
        catch (err) {
            // One bad row (say, its recipient was deleted meanwhile) must not sink the others.
            for (const { row, committed } of batch.inserts) {
                try {
                    mergeInto(dropped, await writeBatch([row], new Map(), new Map(), new Set()));
                    committed();
                }
                catch (rowErr) {
                    options.onError(rowErr);
                    committed(rowErr);
                }
            }
            try {
                await writeBatch([], new Map(), batch.devices, batch.floors);
            }
            catch (e) {
                options.onError(e);
            }
            for (const [userId, seq] of batch.cursors) {
                try {
                    await writeBatch([], new Map([[userId, seq]]), new Map(), new Set());
                }
                catch { }
            }
            if (batch.inserts.length === 0)
                options.onError(err);
        }
        finally {
            for (const { row } of batch.inserts)
                settle(row.recipient_id);
        }
        if (whole)
            for (const { committed } of batch.inserts)
                committed();
        for (const [recipientId, count] of dropped)
            options.onDropped(recipientId, count);
    }
    /** Writes everything enqueued so far; resolves once it is committed. */
    function flush() {
        running = running.then(write, write);
        return running;
    }
    return {
        insert(row, committed) {
            inserts.push({ row, committed });
            pending.set(row.recipient_id, (pending.get(row.recipient_id) ?? 0) + 1);
            if (inserts.length >= maxBatch)
                void flush();
            else
                schedule(flushMs);
        },
        /** A device has received its user's messages up to `ackedSeq`. */
        advance(sessionId, userId, ackedSeq) {
            if ((devices.get(sessionId) ?? 0) < ackedSeq)
                devices.set(sessionId, ackedSeq);
            floors.add(userId);
            schedule(CURSOR_FLUSH_MS);
        },
        /** A device of the user went away: what the remaining ones received can go. */
        prune(userId) {
            floors.add(userId);
            schedule(CURSOR_FLUSH_MS);
        },
        cursor(userId, lastSeq) {
            cursors.set(userId, lastSeq);
            schedule(CURSOR_FLUSH_MS);
        },
        hasPendingFor: (recipientId) => pending.has(recipientId),
        flush,
        /** Stops the timer; the caller flushes once more before closing the database. */
        stop() {
            if (timer !== null)
                clearTimeout(timer);
            timer = null;
        }
    };
}
//# sourceMappingURL=queue-writer.js.map