import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import { seconds } from '../config.js';
import { PRESENCE_TOPIC } from '../presence.js';
import { CLOSE_CODES } from './close-codes.js';
import { createRelayCore } from './core.js';
import { createFrameValidator } from './frame-validator.js';
import { createReplayGuard } from './replay-guard.js';
import { createTokenBuckets } from './token-bucket.js';
import { createQueueWriter } from './queue-writer.js';
import { deleteFor, exportFor, purgeExpired } from './queue-store.js';
import { takeDeviceDropped } from './device-cursors.js';
import { nativeTransport } from './native.js';
import { listenToBus } from './bus.js';
import { createPresenceFanout } from './presence-fanout.js';
import socketio from './socketio/index.js';
/** Presence changes within this window go out together. */
const PRESENCE_COALESCE_MS = 50;
// Room in a frame for everything but the ciphertext: the envelope's other fields and the ref.
const ENVELOPE_BYTES = 1024;
/**
 * The relay: connections, routing, acks and the offline queue. Registers @fastify/websocket
 * once, then the native transport at /ws and the Socket.IO shim at /socket.io/.
 */
export default fp(async function relayPlugin(app) {
    const { config } = app;
    const now = () => Date.now();
    const validator = createFrameValidator(config.RELAY_MAX_CIPHERTEXT_BYTES);
    let notifyDropped = (_userId) => { };
    const writer = createQueueWriter({
        db: app.db,
        flushMs: config.RELAY_FLUSH_MS,
        maxBatch: 500,
        quota: config.RELAY_QUEUE_QUOTA,
        onDropped: (userId) => { notifyDropped(userId); },
        onError: (err) => app.log.error({ err }, 'offline queue write failed'),
        now
    });
    const replay = createReplayGuard({ windowMs: seconds(config.RELAY_REPLAY_WINDOW) * 1000, maxEntries: config.RELAY_REPLAY_MEMORY, now });
    const relay = createRelayCore({
        db: app.db,
        writer,
        validator,
        replay,
        rate: createTokenBuckets({ burst: config.RELAY_RATE_BURST, perSecond: config.RELAY_RATE_PER_SECOND, now }),
        presence: app.presence,
        ackTimeoutMs: config.RELAY_ACK_TIMEOUT_MS,
        invalidFrameLimit: config.RELAY_INVALID_FRAME_LIMIT,
        windowBytes: Math.floor(config.RELAY_MAX_BUFFERED_BYTES / 2),
        now,
        log: app.log
    });
    // Online devices hear of dropped messages at once, each of its own loss; the others when they connect.
    notifyDropped = (userId) => {
        for (const { connection } of relay.registry.ofUser(userId)) {
            takeDeviceDropped(app.db, connection.sessionId).then((count) => {
                if (count > 0)
                    connection.send({ type: 'dropped', data: { count } });
            }, (err) => app.log.error({ err }, 'dropped notice failed'));
        }
    };
    const sweep = setInterval(() => { relay.sweep(); }, Math.max(10, Math.min(config.RELAY_ACK_TIMEOUT_MS / 2, 5000)));
    sweep.unref();
    const fanout = createPresenceFanout({ windowMs: PRESENCE_COALESCE_MS, send: (frames) => { relay.broadcastAbout(frames); } });
    app.backplane.subscribe(PRESENCE_TOPIC, (message) => { fanout.change(message); });
    listenToBus(app, relay);
    const api = {
        core: relay.core,
        async purgeExpired(at = Date.now()) {
            await writer.flush();
            const lost = await purgeExpired(app.db, at);
            let total = 0;
            for (const [userId, count] of lost) {
                total += count;
                notifyDropped(userId);
            }
            return total;
        },
        exportFor: async (userId) => { await writer.flush(); return await exportFor(app.db, userId); },
        deleteFor: async (userId) => { await writer.flush(); return await deleteFor(app.db, userId); },
        flush: () => writer.flush(),
        stats: () => ({ connections: relay.registry.size, inFlight: relay.delivery.inFlight, replayMemory: replay.size })
    };
    // Named, so a transport plugin can declare `dependencies: ['relay-core']`.
    await app.register(fp(async (inner) => { inner.decorate('relay', api); }, { name: 'relay-core' }));
    await app.register(websocket, {
        // Never ws's 100 MiB default: a frame is at most the largest ciphertext's base64 plus its envelope.
        options: { maxPayload: Math.ceil(config.RELAY_MAX_CIPHERTEXT_BYTES / 3) * 4 + ENVELOPE_BYTES },
        // ws already answers protocol errors (1009 for an oversized frame) and closes the socket.
        errorHandler(error, _socket, request) { request.log.debug({ err: { message: error.message } }, 'websocket error'); },
        preClose(done) {
            clearInterval(sweep);
            for (const state of relay.registry.all())
                state.connection.close(CLOSE_CODES.goingAway, 'server shutting down');
            for (const client of app.websocketServer.clients)
                client.close(CLOSE_CODES.goingAway, 'server shutting down');
            app.websocketServer.close();
            writer.flush().then(() => { done(); }, () => { done(); });
        }
    });
    await nativeTransport(app, {
        core: relay.core,
        validator,
        authTimeoutMs: config.RELAY_AUTH_TIMEOUT_MS,
        heartbeatMs: config.RELAY_HEARTBEAT_MS,
        maxBufferedBytes: config.RELAY_MAX_BUFFERED_BYTES,
        authenticate: (token) => app.auth.authenticate(token)
    });
    await app.register(socketio);
    app.addHook('onClose', async () => {
        clearInterval(sweep);
        fanout.stop();
        writer.stop();
        await writer.flush();
    });
}, { name: 'relay', dependencies: ['auth', 'presence', 'events', 'db'] });
//# sourceMappingURL=index.js.map