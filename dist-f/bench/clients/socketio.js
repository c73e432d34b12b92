import { io } from 'socket.io-client';
import { CorkingAgent } from './corking-agent.js';
/**
 * A client of the Socket.IO shim, driven by the real socket.io-client over WebSocket only (what
 * Socket.IO clients use behind a proxy once upgraded). Events keep the native names; the emit
 * callback receives the native reply `{type, data}`.
 */
export async function connectSocketIo(options) {
    const agent = new CorkingAgent();
    const socket = io(options.url, {
        // socket.io-client hands `agent` to the `ws` it runs on; its type says only string | boolean.
        agent: agent,
        transports: ['websocket'],
        auth: { token: options.token },
        extraHeaders: { authorization: `Bearer ${options.token ?? ''}` },
        reconnection: false,
        forceNew: true,
        timeout: options.timeoutMs ?? 15_000
    });
    let inFlight = 0;
    const client = {
        userId: options.userId,
        send(recipientId, envelope, nonce, done) {
            inFlight++;
            agent.corkForTurn();
            socket.emit('private_message', {
                recipientId, message: envelope.message, nonce, mac: envelope.mac, ephemeralKey: envelope.ephemeralKey, timestamp: Date.now()
            }, (reply) => {
                inFlight--;
                done(reply?.type === 'ack' ? reply.data?.status : `error:${reply?.data?.code ?? 'unknown'}`);
            });
        },
        onDelivery: options.onDelivery ?? ((_delivery) => { }),
        get inFlight() { return inFlight; },
        async close() {
            socket.disconnect();
        }
    };
    socket.on('private_message', (data, ack) => {
        agent.corkForTurn();
        ack?.();
        client.onDelivery({ id: data.id, nonce: data.nonce });
    });
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { socket.disconnect(); reject(new Error(`socket.io client ${options.userId}: not connected in time`)); }, options.timeoutMs ?? 15_000);
        socket.once('connect', () => { clearTimeout(timer); resolve(); });
        socket.once('connect_error', (err) => { clearTimeout(timer); socket.disconnect(); reject(new Error(`socket.io client ${options.userId}: ${err.message}`)); });
    });
    return client;
}
//# sourceMappingURL=socketio.js.map