import WebSocket from 'ws';
import { CorkingAgent } from './corking-agent.js';
/**
 * A client of the native protocol at /ws (also spoken by the ceiling). Authenticates with the
 * Authorization header, waits for `ready`, acks every message it receives. Frames are written as
 * template strings: the generator's CPU is the server's competitor for the same two cores.
 */
export async function connectNative(options) {
    const wsUrl = options.url.replace(/^http/, 'ws') + '/ws' + (options.token === undefined ? `?id=${options.userId}` : '');
    const agent = new CorkingAgent();
    const ws = new WebSocket(wsUrl, {
        agent,
        headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
        perMessageDeflate: false
    });
    const waiting = new Map();
    let nextRef = 0;
    const client = {
        userId: options.userId,
        send(recipientId, envelope, nonce, done) {
            const ref = ++nextRef;
            waiting.set(ref, done);
            agent.corkForTurn();
            ws.send(`{"type":"private_message","ref":${ref},"data":{"recipientId":"${recipientId}","message":"${envelope.message}","nonce":"${nonce}","mac":"${envelope.mac}","ephemeralKey":"${envelope.ephemeralKey}","timestamp":${Date.now()}}}`);
        },
        onDelivery: options.onDelivery ?? ((_delivery) => { }),
        get inFlight() { return waiting.size; },
        async close() {
            if (ws.readyState === WebSocket.CLOSED)
                return;
            await new Promise((resolve) => {
                const timer = setTimeout(() => { ws.terminate(); resolve(); }, 2000);
                ws.once('close', () => { clearTimeout(timer); resolve(); });
                ws.close(1000, 'bench done');
            });
        }
    };
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { ws.terminate(); reject(new Error(`native client ${options.userId}: not ready in time`)); }, options.timeoutMs ?? 15_000);
        const fail = (err) => { clearTimeout(timer); reject(err); };
        ws.once('error', fail);
        ws.once('close', (code, reason) => fail(new Error(`native client ${options.userId}: closed ${code} ${String(reason)}`)));
        ws.on('message', (raw) => {
            const frame = JSON.parse(String(raw));
            if (frame.type === 'ready') {
                clearTimeout(timer);
                ws.removeAllListeners('error').removeAllListeners('close');
                ws.on('error', () => { });
                resolve();
                return;
            }
            handle(frame);
        });
    });
    function handle(frame) {
        const data = frame.data;
        if (frame.type === 'private_message' && data?.id !== undefined) {
            agent.corkForTurn();
            ws.send(`{"type":"ack","data":{"id":"${data.id}"}}`);
            client.onDelivery({ id: data.id, nonce: data.nonce ?? '' });
        }
        else if ((frame.type === 'ack' || frame.type === 'error') && frame.ref !== undefined) {
            const done = waiting.get(frame.ref);
            if (done === undefined)
                return;
            waiting.delete(frame.ref);
            done(frame.type === 'ack' ? data?.status : `error:${data?.code ?? 'unknown'}`);
        }
    }
    return client;
}
//# sourceMappingURL=native.js.map