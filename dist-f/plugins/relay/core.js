import { ERRORS } from '../errors.js';
import { CLOSE_CODES } from './close-codes.js';
import { seenMessage } from './replay-guard.js';
import { createRegistry } from './registry.js';
import { createDelivery } from './delivery.js';
import { recipientState } from './queue-store.js';
import { validDevices } from './device-cursors.js';
const errorFrame = (problem, ref) => ({ type: 'error', ref, data: { code: problem.code, field: problem.field, message: problem.message } });
/**
 * The transport-agnostic relay: validates frames, numbers and routes messages, answers with
 * acks and errors. Transports hand it `Connection`s and decoded frames (contract.ts).
 */
export function createRelayCore(deps) {
    const { validator, replay, rate, writer, presence } = deps;
    const now = deps.now ?? Date.now;
    const registry = createRegistry();
    // Per recipient seen since boot: the last sequence number and the valid devices (session id
    // -> expiry); doubles as the cache of existing users.
    const recipients = new Map();
    const lookups = new Map();
    const delivery = createDelivery({
        db: deps.db,
        writer,
        registry,
        ackTimeoutMs: deps.ackTimeoutMs,
        pageSize: deps.pageSize ?? 500,
        windowBytes: deps.windowBytes,
        now,
        onSettled: (seen) => { replay.settle(seen); },
        devicesOf: (userId) => recipients.get(userId)?.devices ?? new Map(),
        onDevice(userId, sessionId, expiresAt) {
            const add = (recipient) => { recipient?.devices.set(sessionId, expiresAt); };
            add(recipients.get(userId));
            // A lookup already reading the devices may have missed this one.
            void lookups.get(userId)?.then(add);
        },
        onSlow: (state, reason) => { state.connection.close(CLOSE_CODES.slowReader, reason); },
        onStoreFailed(seen, sender, ref) {
            // Not accepted after all: the same message sent again is new, not a replay.
            replay.forget(seen);
            if (sender !== null)
                reply(sender, errorFrame({ code: 'unavailable', message: 'The message could not be stored; send it again' }, ref));
        }
    });
    function reply(connection, frame) {
        if (!connection.send(frame))
            connection.close(CLOSE_CODES.slowReader, 'slow reader: messages stay queued');
    }
    /** A malformed frame: an error naming the problem, and a strike toward the 1008 close. */
    function refuse(connection, problem, ref) {
        reply(connection, errorFrame(problem, ref));
        const state = registry.get(connection);
        if (state !== undefined && ++state.strikes >= deps.invalidFrameLimit) {
            connection.close(CLOSE_CODES.policyViolation, 'too many malformed frames');
        }
    }
    function lookupRecipient(userId) {
        let lookup = lookups.get(userId);
        if (lookup === undefined) {
            lookup = Promise.all([recipientState(deps.db, userId), validDevices(deps.db, userId, now())]).then(([found, devices]) => {
                // A message routed meanwhile may have numbered past what the database knew.
                if (found !== undefined && !recipients.has(userId))
                    recipients.set(userId, { lastSeq: found.lastSeq, devices });
                return recipients.get(userId);
            }).finally(() => lookups.delete(userId));
            lookups.set(userId, lookup);
        }
        return lookup;
    }
    function accept(connection, ref, message, seen, recipient) {
        const seq = ++recipient.lastSeq;
        writer.cursor(message.recipientId, seq);
        delivery.route(message, connection.userId, seq, seen, connection, ref);
    }
    function privateMessage(state, ref, message) {
        const { connection } = state;
        const seen = seenMessage(message.recipientId, message.mac, message.timestamp);
        const verdict = replay.check(seen, connection.userId, message.nonce);
        if (verdict.kind === 'stale')
            return reply(connection, errorFrame({ code: 'stale', field: 'timestamp', message: 'timestamp: outside the accepted window; check the device clock' }, ref));
        if (verdict.kind === 'replay')
            return reply(connection, errorFrame({ code: 'replay', field: 'nonce', message: 'nonce: already used by you for another message' }, ref));
        if (verdict.kind === 'retry') {
            const first = verdict.seen;
            const answer = (status) => reply(connection, { type: 'ack', ref, data: { id: first.id, status } });
            if (first.status !== undefined)
                answer(first.status);
            else
                (first.waiting ??= []).push(answer);
            return;
        }
        if (!rate.take(connection.userId)) {
            return reply(connection, errorFrame({ code: 'rate_limited', message: 'Too many messages; slow down and send again' }, ref));
        }
        replay.remember(seen);
        const known = recipients.get(message.recipientId);
        if (known !== undefined)
            return accept(connection, ref, message, seen, known);
        lookupRecipient(message.recipientId).then((recipient) => {
            if (recipient === undefined) {
                replay.forget(seen);
                return reply(connection, errorFrame({ code: 'unknown_recipient', field: 'recipientId', message: 'recipientId: no such user' }, ref));
            }
            accept(connection, ref, message, seen, recipient);
        }, (err) => {
            deps.log.error({ err }, 'recipient lookup failed');
            replay.forget(seen);
            reply(connection, errorFrame({ code: 'unavailable', message: ERRORS.unavailable.message }, ref));
        });
    }
    const core = {
        async connect(connection) {
            const state = registry.add(connection);
            await presence.connected(connection.userId);
            await delivery.catchUp(state);
        },
        receive(connection, frame) {
            const state = registry.get(connection);
            if (state === undefined)
                return;
            try {
                if (!validator.isKnownType(frame.type))
                    return refuse(connection, { code: 'invalid_frame', field: 'type', message: `type: unknown frame type (one of ${validator.types})` }, frame.ref);
                if (frame.type === 'auth')
                    return refuse(connection, { code: 'invalid_frame', field: 'type', message: 'type: already authenticated' }, frame.ref);
                const checked = validator.data(frame.type, frame.data);
                if (!checked.ok)
                    return refuse(connection, checked.problem, frame.ref);
                state.strikes = 0;
                if (frame.type === 'private_message')
                    return privateMessage(state, frame.ref, checked.value);
                if (frame.type === 'ack')
                    return delivery.acked(state, checked.value.id);
                const update = checked.value;
                if (!replay.inWindow(update.timestamp))
                    return reply(connection, errorFrame({ code: 'stale', field: 'timestamp', message: 'timestamp: outside the accepted window; check the device clock' }, frame.ref));
                presence.update(connection.userId, update.status);
                if (frame.ref !== undefined)
                    reply(connection, { type: 'ack', ref: frame.ref, data: { status: 'ok' } });
            }
            catch (err) {
                deps.log.error({ err, type: frame.type }, 'relay frame failed');
                reply(connection, errorFrame({ code: 'internal_error', message: ERRORS.internal_error.message }, frame.ref));
            }
        },
        disconnect(connection) {
            const state = registry.remove(connection);
            if (state === undefined)
                return;
            delivery.disconnected(state);
            presence.disconnected(connection.userId);
        },
        refuse
    };
    return {
        core,
        registry,
        delivery,
        /** Periodic housekeeping: ack timeouts, replay memory, idle rate buckets, expired tokens. */
        sweep() {
            delivery.sweep();
            replay.sweep();
            rate.sweep();
            const at = now();
            for (const state of registry.all()) {
                const { connection } = state;
                if (connection.expiresAt !== undefined && connection.expiresAt <= at) {
                    reply(connection, errorFrame({ code: 'token_expired', message: ERRORS.token_expired.message }));
                    connection.close(CLOSE_CODES.unauthorized, 'token expired');
                }
            }
        },
        /** Sends one frame object to every live connection but those of `exceptUserId`. */
        broadcast(frame, exceptUserId) {
            for (const state of registry.all()) {
                if (state.connection.userId !== exceptUserId)
                    reply(state.connection, frame);
            }
        },
        /** Sends frames about users to every live connection, each skipping the frames about its own user. */
        broadcastAbout(frames) {
            if (frames.length === 0)
                return;
            for (const { connection } of registry.all()) {
                const own = frames.some((f) => f.data.userId === connection.userId);
                const batch = own ? frames.filter((f) => f.data.userId !== connection.userId) : frames;
                if (batch.length === 0)
                    continue;
                const ok = connection.sendMany !== undefined && batch.length > 1 ? connection.sendMany(batch) : batch.every((f) => connection.send(f));
                if (!ok)
                    connection.close(CLOSE_CODES.slowReader, 'slow reader: messages stay queued');
            }
        },
        /** Closes connections with an error frame first (revocation, deletion). */
        closeWhere(match, code, message) {
            for (const state of [...registry.all()]) {
                if (!match(state.connection))
                    continue;
                reply(state.connection, errorFrame({ code, message }));
                state.connection.close(CLOSE_CODES.unauthorized, message);
            }
        },
        /** Sessions that ended are no longer devices waiting for messages (all but `except`, or one). */
        forgetDevices(userId, match) {
            const devices = recipients.get(userId)?.devices;
            if (devices !== undefined)
                for (const sessionId of devices.keys())
                    if (match(sessionId))
                        devices.delete(sessionId);
            writer.prune(userId);
        },
        forgetUser(userId) {
            recipients.delete(userId);
            rate.forget(userId);
            delivery.forgetUser(userId);
        }
    };
}
//# sourceMappingURL=core.js.map