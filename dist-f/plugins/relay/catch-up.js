import { pageFor } from './queue-store.js';
import { openDevice } from './device-cursors.js';
import { SentLog } from './sent-log.js';
function messageFrame(row) {
    return {
        type: 'private_message',
        data: {
            id: row.id, seq: Number(row.seq), senderId: row.sender_id, message: row.message.toString('base64'), nonce: row.nonce,
            mac: row.mac, ephemeralKey: row.ephemeral_key, timestamp: Number(row.timestamp)
        }
    };
}
/**
 * A connection's first minutes: the queue past its device's cursor, in seq order, page by page
 * paced by its acks; then it switches to live delivery.
 */
export function createCatchUp(deps) {
    const { writer, send } = deps;
    async function catchUp(state) {
        const { connection } = state;
        // The device's progress from an earlier connection may still be on its way to the database.
        await writer.flush();
        const device = await openDevice(deps.db, connection.sessionId, connection.userId, deps.now());
        if (state.closed)
            return;
        deps.onDevice(connection.userId, connection.sessionId, device.expiresAt);
        state.afterSeq = state.ackedSeq = device.ackedSeq;
        const sent = new SentLog();
        state.sent = sent;
        if (device.dropped > 0)
            send(connection, { type: 'dropped', data: { count: device.dropped } });
        const unacked = new Map();
        state.unacked = unacked;
        state.unackedBytes = 0;
        while (!state.closed) {
            if (writer.hasPendingFor(connection.userId))
                await writer.flush();
            if (state.closed)
                return;
            // Large messages fill the byte window with few rows: do not read a whole page each time.
            const limit = state.fit === 0 ? deps.pageSize : Math.min(deps.pageSize, Math.max(8, state.fit * 2));
            const rows = await pageFor(deps.db, connection.userId, state.afterSeq, limit);
            if (state.closed)
                return;
            let full = false;
            state.fit = 0;
            for (const row of rows) {
                // As the frame carries it: base64.
                const size = Math.ceil(row.message.length / 3) * 4;
                if (unacked.size > 0 && (unacked.size >= deps.pageSize || state.unackedBytes + size > deps.windowBytes)) {
                    full = true;
                    break;
                }
                state.afterSeq = Number(row.seq);
                sent.add(row.id, state.afterSeq);
                unacked.set(row.id, size);
                state.unackedBytes += size;
                state.fit++;
                if (!send(connection, deps.frameOf(row.id) ?? messageFrame(row)))
                    return;
            }
            // Nothing left in the table nor on its way there: from now on, live delivery keeps order.
            if (rows.length === 0 && !writer.hasPendingFor(connection.userId)) {
                state.catchingUp = false;
                state.unacked = null;
                return;
            }
            if (full || unacked.size >= deps.pageSize)
                await new Promise((resolve) => { state.resume = resolve; });
        }
    }
    /** A message sent during catch-up was acked: past half the window, the next page may go. */
    function paced(state, id) {
        const size = state.unacked?.get(id);
        if (size === undefined || state.unacked === null)
            return;
        state.unacked.delete(id);
        state.unackedBytes -= size;
        if (state.resume !== null && state.unacked.size <= deps.pageSize / 2 && state.unackedBytes <= deps.windowBytes / 2) {
            const resume = state.resume;
            state.resume = null;
            resume();
        }
    }
    return { catchUp, paced };
}
//# sourceMappingURL=catch-up.js.map