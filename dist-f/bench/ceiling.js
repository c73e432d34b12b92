import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
/**
 * The ceiling: the same routing as the relay (message to the recipient, the recipient's ack back
 * to the sender, the same frames) built directly on `ws`, with no authentication, validation,
 * replay memory, rate limit or storage. The fastest Node does this job; ours is measured against it.
 * Clients name themselves with `?id=`. Run as its own process by ceiling-server.ts.
 */
export async function startCeiling(port, host = '127.0.0.1') {
    const byUser = new Map();
    // Message id -> who sent it and the ref to answer with.
    const pending = new Map();
    const http = createServer((req, res) => {
        res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
    });
    const wss = new WebSocketServer({ server: http, path: '/ws', maxPayload: 1 << 20 });
    wss.on('connection', (ws, req) => {
        const userId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('id') ?? randomUUID();
        byUser.set(userId, ws);
        ws.on('message', (raw) => { route(ws, userId, raw); });
        ws.on('close', () => { if (byUser.get(userId) === ws)
            byUser.delete(userId); });
        ws.send(JSON.stringify({ type: 'ready', data: { userId, heartbeatMs: 30000 } }));
    });
    function route(ws, userId, raw) {
        let frame;
        try {
            frame = JSON.parse(String(raw));
        }
        catch {
            return;
        }
        const data = frame.data ?? {};
        if (frame.type === 'private_message') {
            const { recipientId, ...envelope } = data;
            const target = byUser.get(String(recipientId));
            const id = randomUUID();
            if (target === undefined) {
                ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, data: { id, status: 'queued' } }));
                return;
            }
            pending.set(id, { sender: ws, ref: frame.ref });
            target.send(JSON.stringify({ type: 'private_message', data: { id, seq: 1, senderId: userId, ...envelope } }));
        }
        else if (frame.type === 'ack') {
            const id = String(data.id);
            const waiting = pending.get(id);
            if (waiting === undefined)
                return;
            pending.delete(id);
            waiting.sender.send(JSON.stringify({ type: 'ack', ref: waiting.ref, data: { id, status: 'delivered' } }));
        }
    }
    await new Promise((resolve) => http.listen(port, host, resolve));
    const address = http.address();
    const url = `http://${host}:${typeof address === 'object' && address !== null ? address.port : port}`;
    return {
        server: http,
        url,
        close: async () => {
            for (const ws of wss.clients)
                ws.terminate();
            await new Promise((resolve) => http.close(() => resolve()));
        }
    };
}
//# sourceMappingURL=ceiling.js.map