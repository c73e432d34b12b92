import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.js';
import { errorResponses } from '../../../schemas/common.js';
import { SocketIoSession } from './session.js';
import { createReceiptClock } from './receipt-clock.js';
const SocketIoQuery = Type.Object({
    EIO: Type.Optional(Type.String({ maxLength: 8, description: 'Engine.IO protocol version: 4' })),
    transport: Type.Optional(Type.String({ maxLength: 16, description: 'websocket (long-polling is refused)' })),
    sid: Type.Optional(Type.String({ maxLength: 64, description: 'Refused: there is no polling session to upgrade' })),
    t: Type.Optional(Type.String({ maxLength: 64, description: 'Cache buster, ignored' }))
});
const schema = { hide: true, querystring: SocketIoQuery, response: errorResponses(400, 429) };
/**
 * How long an auto-mode receipt ping waits for the app's own acks: up to twice this, four times
 * for a message pushed just after the ping was queued (session.ts).
 */
const RECEIPT_DELAY_MS = 20;
const USE_WEBSOCKET = "Long-polling is not supported: connect with the websocket transport (socket.io-client: io(url, { transports: ['websocket'] }))";
/** Why a request to /socket.io/ cannot open a session, or undefined when it can. */
function refusal(query, isUpgrade) {
    if (query.EIO !== '4')
        return 'Only Engine.IO protocol 4 is supported (EIO=4, socket.io-client v3 or v4)';
    if (query.transport !== 'websocket' || !isUpgrade)
        return USE_WEBSOCKET;
    if (query.sid !== undefined)
        return 'There is no long-polling session to upgrade: connect with transport=websocket and no sid';
    return undefined;
}
async function checkQuery(request) {
    const reason = refusal(request.query ?? {}, request.ws && request.method === 'GET');
    if (reason !== undefined)
        throw new AppError('bad_request', reason);
}
async function refusePolling(request, reply) {
    throw new AppError('bad_request', refusal(request.query, false) ?? USE_WEBSOCKET);
    // Unreachable; keeps the handler's reply type.
    return reply;
}
/**
 * The Socket.IO compatibility shim at /socket.io/: Engine.IO v4 and Socket.IO v5 over the
 * websocket transport, feeding the same relay core as the native transport. Long-polling is
 * refused with a 400 that says to use the websocket transport. See docs/SOCKETIO.md.
 */
export default fp(async function socketioShim(app) {
    const { config } = app;
    const options = {
        core: app.relay.core,
        authenticate: (token) => app.auth.authenticate(token),
        pingIntervalMs: config.RELAY_HEARTBEAT_MS,
        pingTimeoutMs: config.SOCKETIO_PING_TIMEOUT_MS,
        connectTimeoutMs: config.RELAY_AUTH_TIMEOUT_MS,
        // What the websocket server accepts (the relay sets ws's maxPayload to the same): the largest
        // ciphertext in base64 plus room for its envelope and the Engine.IO/Socket.IO prefixes.
        maxPayload: Math.ceil(config.RELAY_MAX_CIPHERTEXT_BYTES / 3) * 4 + 1024,
        maxBufferedBytes: config.RELAY_MAX_BUFFERED_BYTES,
        // Long enough for an app's ack callback to come back first, well inside the ack timeout.
        receiptClock: createReceiptClock(Math.max(1, Math.min(RECEIPT_DELAY_MS, Math.floor(config.RELAY_ACK_TIMEOUT_MS / 8))))
    };
    app.addHook('onClose', async () => { options.receiptClock.stop(); });
    app.route({
        method: 'GET',
        url: '/socket.io/',
        schema,
        preHandler: checkQuery,
        handler: refusePolling,
        wsHandler: (socket, request) => {
            // The session attaches its listeners in its constructor, synchronously.
            new SocketIoSession(socket, { ...options, log: request.log }, request.raw.socket); // eslint-disable-line no-new
        }
    });
    // Refused before the body is read, so its content type does not matter (a polling client posts text/plain).
    app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url: '/socket.io/', schema, onRequest: checkQuery, handler: refusePolling });
}, { name: 'relay-socketio', decorators: { fastify: ['auth', 'relay', 'websocketServer'] } });
//# sourceMappingURL=index.js.map