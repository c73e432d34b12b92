import { randomUUID } from 'node:crypto';
import { flat } from './flat-string.js';
import { createCatchUp } from './catch-up.js';
/**
 * V8 allocates a Map's grown or shrunk table in the generation of the table it replaces, and an
 * obsolete old-generation table keeps its entries alive until the next full collection. Once
 * the in-flight map's table was promoted (after a burst, or a quiet spell), every message in
 * flight, its frame and its ciphertext outlived the young generation: 1.4 MB promoted per
 * scavenge instead of ~200 KB at 5,000 msgs/s, and the pauses were the p99. A fresh map starts
 * young; renewing it every second was enough (every 5 s was not).
 */
const RENEW_IN_FLIGHT_MS = 1000;
/** Live messages a connection may leave unacked, in catch-up pages: far more than a working client does. */
const UNACKED_PAGES = 4;
/**
 * Routing and delivery: live devices first, the offline queue for whatever not every device
 * acked. Per recipient, messages carry an increasing `seq`; a connection first receives what is
 * queued past its device's cursor (in seq order, paced by its acks) and only then live messages,
 * so order holds. A device's cursor moves up to the last seq below which it acked everything.
 */
export function createDelivery(deps) {
    const { writer, registry, now } = deps;
    // Insertion order is deadline order: the sweep walks from the front.
    let inFlight = new Map();
    let inFlightSince = 0;
    const queue = createCatchUp({ ...deps, send, frameOf: (id) => inFlight.get(id)?.frame });
    const unackedLimit = UNACKED_PAGES * deps.pageSize;
    function ackSender(item, status) {
        const { seen } = item;
        if (seen.status !== undefined)
            return;
        seen.status = status;
        const sender = item.sender;
        item.sender = null;
        if (sender !== null && registry.get(sender) !== undefined) {
            send(sender, { type: 'ack', ref: item.ref, data: { id: seen.id, status } });
        }
        for (const waiter of seen.waiting ?? [])
            waiter(status);
        seen.waiting = undefined;
        deps.onSettled?.(seen);
    }
    function send(connection, frame) {
        if (connection.send(frame))
            return true;
        const state = registry.get(connection);
        if (state !== undefined)
            deps.onSlow(state, 'slow reader: messages stay queued');
        return false;
    }
    /** The queue row of a message: made only for those that are stored, not on the hot path. */
    function rowOf(item) {
        const d = item.frame.data;
        return {
            id: d.id, sender_id: d.senderId, recipient_id: item.recipientId, seq: d.seq, message: Buffer.from(d.message, 'base64'), nonce: d.nonce,
            mac: d.mac, ephemeral_key: d.ephemeralKey, timestamp: d.timestamp, created_at: item.createdAt
        };
    }
    function store(item) {
        if (item.stored)
            return;
        item.stored = true;
        writer.insert(rowOf(item), (err) => {
            if (err !== undefined) {
                inFlight.delete(item.frame.data.id);
                if (item.seen.status === undefined)
                    deps.onStoreFailed(item.seen, item.sender, item.ref);
                return;
            }
            item.committed = true;
            if (item.ackWhenCommitted) {
                inFlight.delete(item.frame.data.id);
                ackSender(item, 'queued');
            }
        });
    }
    /** Routes an accepted message (already numbered) to the recipient's devices or the queue. */
    function route(message, senderId, seq, seen, sender, ref) {
        const id = flat(randomUUID());
        seen.id = id;
        const at = now();
        if (at - inFlightSince >= RENEW_IN_FLIGHT_MS) {
            inFlight = new Map(inFlight);
            inFlightSince = at;
        }
        const frame = {
            type: 'private_message',
            data: {
                id, seq, senderId, message: message.message, nonce: message.nonce, mac: message.mac,
                ephemeralKey: message.ephemeralKey, timestamp: message.timestamp
            }
        };
        const item = {
            recipientId: message.recipientId, frame, createdAt: at, seen, sender, ref, awaiting: 0,
            deadline: at + deps.ackTimeoutMs, stored: false, committed: false, ackWhenCommitted: false
        };
        let catchingUp = false;
        const reached = [];
        for (const state of registry.ofUser(message.recipientId)) {
            if (state.catchingUp) {
                catchingUp = true;
                continue;
            }
            if (!send(state.connection, frame))
                continue;
            item.awaiting++;
            state.afterSeq = seq;
            reached.push(state.connection.sessionId);
            // A device that never acks would grow this without bound; what it lacks stays queued.
            if (state.sent !== null && state.sent.add(id, seq) > unackedLimit)
                deps.onSlow(state, 'too many unacked messages: they stay queued');
        }
        inFlight.set(id, item);
        if (item.awaiting === 0)
            item.ackWhenCommitted = true;
        // A device still reading its queue gets this from the queue, after what came before it; an
        // offline device, when it connects.
        if (catchingUp || !reachesEveryDevice(message.recipientId, reached, at))
            store(item);
    }
    function reachesEveryDevice(userId, reached, at) {
        const devices = deps.devicesOf(userId);
        let valid = 0;
        for (const [sessionId, expiresAt] of devices) {
            if (expiresAt <= at) {
                devices.delete(sessionId);
                writer.prune(userId);
                continue;
            }
            if (!reached.includes(sessionId))
                return false;
            valid++;
        }
        return valid > 0;
    }
    /**
     * A recipient device acked a message: the sender hears `delivered`, the device's cursor moves
     * on, and once every live connection it went to acked, memory forgets it (a stored copy goes
     * when every device's cursor passed it). Ids this connection was not sent are ignored.
     */
    function acked(state, id) {
        const { userId, sessionId } = state.connection;
        const sent = state.sent;
        if (sent === null || !sent.remove(id))
            return;
        const first = sent.firstSeq;
        const next = first === undefined ? state.afterSeq : first - 1;
        if (next > state.ackedSeq) {
            state.ackedSeq = next;
            writer.advance(sessionId, userId, next);
        }
        // In this connection's sent map, so addressed to its user.
        const item = inFlight.get(id);
        if (item !== undefined) {
            ackSender(item, 'delivered');
            if (--item.awaiting <= 0)
                inFlight.delete(id);
        }
        queue.paced(state, id);
    }
    /** A connection closed: what it was sent and did not ack waits in the queue. */
    function disconnected(state) {
        state.resume?.();
        state.resume = null;
        const { userId } = state.connection;
        // With no live device left, nobody will ack soon: the sender hears `queued` once it is stored.
        const noneLeft = ![...registry.ofUser(userId)].some((s) => !s.catchingUp);
        for (const [id, item] of inFlight) {
            if (item.recipientId !== userId)
                continue;
            if (noneLeft)
                item.ackWhenCommitted = true;
            if (item.committed && noneLeft) {
                inFlight.delete(id);
                ackSender(item, 'queued');
            }
            else {
                store(item);
            }
        }
    }
    /** Messages no device acked in time are stored, and their senders told `queued`. */
    function sweep() {
        const at = now();
        for (const [id, item] of inFlight) {
            if (item.deadline > at)
                break;
            if (item.committed) {
                inFlight.delete(id);
                ackSender(item, 'queued');
            }
            else {
                item.ackWhenCommitted = true;
                store(item);
            }
        }
    }
    return {
        route,
        acked,
        catchUp: queue.catchUp,
        disconnected,
        sweep,
        /** Forgets everything in memory about a deleted user's messages. */
        forgetUser(userId) {
            for (const [id, item] of inFlight) {
                if (item.recipientId === userId || item.frame.data.senderId === userId)
                    inFlight.delete(id);
            }
        },
        get inFlight() { return inFlight.size; }
    };
}
//# sourceMappingURL=delivery.js.map