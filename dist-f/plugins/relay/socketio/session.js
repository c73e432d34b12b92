import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import { CLOSE_CODES } from '../close-codes.js';
import { decodeEngine, encodeEngine, encodeOpen, isCodecError } from './engine-codec.js';
import { decodeSocket, encodeSocket } from './socket-codec.js';
import { eventToFrame, frameToPacket, isEventProblem } from './event-table.js';
import { createReceipts } from './receipts.js';
import { readConnectAuth, refusalOf } from './connect-auth.js';
import { createHeartbeat } from './heartbeat.js';
import { corkForTurn } from '../turn-cork.js';
const PING = '2'.charCodeAt(0);
const PONG = '3'.charCodeAt(0);
/** Packets that may wait while a CONNECT is being authenticated; more is a flood. */
const MAX_WAITING = 64;
/** Close codes after which a Socket.IO client must not reconnect by itself. */
const FINAL = new Set([CLOSE_CODES.unauthorized, CLOSE_CODES.policyViolation]);
/**
 * One Engine.IO/Socket.IO session over one websocket: the handshake, heartbeats, the main
 * namespace's CONNECT with `auth: {token}`, and the translation of packets to the relay core's
 * frames and back. Every packet is handled in its own try/catch, in arrival order.
 */
export class SocketIoSession {
    ws;
    opts;
    raw;
    state = 'handshake';
    connection = null;
    receipts = createReceipts('auto');
    waiting = [];
    /** Binary frames still expected after a refused binary packet: swallowed, not counted. */
    discard = 0;
    connectTimer;
    heartbeat;
    receiptPingQueued = false;
    /** The last ack id given out when the receipt ping was queued: what it waits for. */
    receiptMark = 0;
    /**
     * `raw` is the TCP socket under `ws`: writes in one turn of the event loop leave together
     * (turn-cork.ts).
     */
    constructor(ws, opts, raw) {
        this.ws = ws;
        this.opts = opts;
        this.raw = raw;
        // Listeners first, before anything that could yield, or early frames would be lost.
        ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
        ws.on('close', () => this.onClose());
        ws.on('error', (err) => opts.log.debug({ err }, 'socket.io websocket error'));
        this.write(encodeOpen({ sid: randomBytes(15).toString('base64url'), pingInterval: opts.pingIntervalMs, pingTimeout: opts.pingTimeoutMs, maxPayload: opts.maxPayload }));
        this.startConnectTimer();
        this.heartbeat = createHeartbeat({
            intervalMs: opts.pingIntervalMs,
            timeoutMs: opts.pingTimeoutMs,
            ping: () => this.ping(),
            // A peer that stopped answering will not answer a close frame either: cut it.
            dead: () => { this.ws.terminate(); this.onClose(); }
        });
    }
    onFrame(raw, isBinary) {
        if (this.state === 'closed')
            return;
        try {
            if (raw.length > this.opts.maxPayload)
                return this.close(CLOSE_CODES.tooBig, 'packet over maxPayload');
            if (this.state === 'connecting' && (isBinary || (raw[0] !== PING && raw[0] !== PONG))) {
                // Socket.IO packets wait for the authentication in progress; pings and pongs do not.
                if (this.waiting.push({ data: raw, isBinary }) > MAX_WAITING)
                    this.close(CLOSE_CODES.policyViolation, 'too many packets before CONNECT completed');
                return;
            }
            this.handleFrame(raw, isBinary);
        }
        catch (err) {
            this.opts.log.error({ err }, 'socket.io packet handling failed');
            this.close(CLOSE_CODES.internalError, 'internal error');
        }
    }
    handleFrame(raw, isBinary) {
        const engine = decodeEngine(isBinary ? raw : raw.toString('utf8'), isBinary);
        if (isCodecError(engine))
            return this.malformed(engine.error);
        switch (engine.type) {
            case 'pong': return this.onPong();
            case 'ping': return this.write(encodeEngine('pong', engine.data));
            case 'close': return this.close(CLOSE_CODES.normal, 'client closed');
            case 'upgrade':
            case 'noop': return;
            case 'open': return this.malformed('open is sent by the server only');
            case 'binary':
                if (this.discard > 0) {
                    this.discard--;
                    return;
                }
                return this.malformed('binary frames are not supported: send JSON, with binary data as base64 strings', undefined, 'attachments');
            case 'message': {
                const packet = decodeSocket(engine.data);
                if (isCodecError(packet))
                    return this.malformed(packet.error);
                return this.onPacket(packet);
            }
        }
    }
    onPacket(packet) {
        if (packet.type === 'connect') {
            if (packet.nsp !== '/')
                return this.send({ type: 'connect_error', nsp: packet.nsp, data: { message: 'Invalid namespace' } });
            if (this.state !== 'handshake')
                return this.malformed('already connected to /', undefined, 'nsp');
            return void this.connect(packet.data);
        }
        if (this.state === 'handshake') {
            if (packet.type === 'disconnect')
                return;
            return this.close(CLOSE_CODES.policyViolation, 'invalid handshake: CONNECT to / first');
        }
        switch (packet.type) {
            case 'disconnect':
                if (packet.nsp === '/')
                    this.leave();
                return;
            case 'binary':
                this.discard = packet.attachments;
                return this.malformed('binary attachments are not supported: send JSON, with binary data as base64 strings', packet.id, 'attachments');
            case 'connect_error':
                return this.malformed('CONNECT_ERROR is sent by the server only', undefined, 'type');
            case 'ack': {
                const messageId = this.receipts.acked(packet.id);
                if (messageId !== undefined && this.connection !== null)
                    this.opts.core.receive(this.connection, { type: 'ack', data: { id: messageId } });
                return;
            }
            case 'event': {
                if (packet.nsp !== '/')
                    return this.malformed(`not connected to ${packet.nsp}`, packet.id, 'nsp');
                const frame = eventToFrame(packet.data, packet.id);
                if (isEventProblem(frame))
                    return this.malformed(frame.message, packet.id, frame.field);
                if (frame.type === 'ack')
                    this.forgetReceipt(frame.data);
                if (this.connection !== null)
                    this.opts.core.receive(this.connection, frame);
            }
        }
    }
    /**
     * An unreadable packet. Before CONNECT it ends the session, as in the official suite. After,
     * the core answers it like a malformed native frame (an error, through the ack when the packet
     * had an id) and counts it toward the malformed-frame limit, so the connection carries on.
     */
    malformed(message, ackId, field = 'packet') {
        if (this.connection === null || this.state !== 'connected')
            return this.close(CLOSE_CODES.policyViolation, `invalid handshake: ${message}`.slice(0, 120));
        this.opts.core.refuse(this.connection, { code: 'invalid_frame', field, message: `${field}: ${message}` }, ackId);
    }
    forgetReceipt(data) {
        const id = data?.id;
        if (typeof id === 'string')
            this.receipts.ackedMessage(id);
    }
    async connect(auth) {
        this.state = 'connecting';
        const { token, mode, problem } = readConnectAuth(auth);
        let context;
        try {
            if (problem !== undefined)
                throw new AppError('unauthorized', problem);
            context = await this.opts.authenticate(token);
        }
        catch (err) {
            if (!(err instanceof AppError))
                this.opts.log.error({ err }, 'socket.io authentication failed');
            const { code, message } = refusalOf(err);
            this.send({ type: 'connect_error', nsp: '/', data: { message, data: { code } } });
            return this.close(code === 'internal_error' ? CLOSE_CODES.internalError : CLOSE_CODES.unauthorized, message.slice(0, 120));
        }
        if (this.ws.readyState !== this.ws.OPEN)
            return this.onClose();
        clearTimeout(this.connectTimer);
        this.receipts = createReceipts(mode);
        const connection = this.makeConnection(context);
        this.connection = connection;
        this.send({ type: 'connect', nsp: '/', data: { sid: randomBytes(15).toString('base64url') } });
        try {
            await this.opts.core.connect(connection);
        }
        catch (err) {
            this.opts.log.error({ err }, 'relay connect failed');
            return this.close(CLOSE_CODES.internalError, 'internal error');
        }
        if (this.connection !== connection || this.ws.readyState !== this.ws.OPEN)
            return;
        this.state = 'connected';
        const waiting = this.waiting;
        this.waiting = [];
        for (const { data, isBinary } of waiting)
            this.onFrame(data, isBinary);
    }
    makeConnection(context) {
        return {
            id: randomUUID(),
            userId: context.userId,
            sessionId: context.sessionId,
            expiresAt: context.expiresAt,
            send: (frame) => this.push(frame),
            close: (code, reason) => this.close(code, reason)
        };
    }
    /** Connection.send: a native frame from the core, as its Socket.IO packet. */
    push(frame) {
        // A closing socket takes nothing, but is not a slow reader: its disconnect is on the way.
        if (this.state === 'closed' || this.ws.readyState !== this.ws.OPEN)
            return true;
        if (this.ws.bufferedAmount > this.opts.maxBufferedBytes)
            return false;
        const messageId = frame.type === 'private_message' ? frame.data?.id : undefined;
        const receipt = typeof messageId === 'string' ? this.receipts.push(messageId) : undefined;
        const packet = frameToPacket(frame, receipt);
        if (packet !== null)
            this.send(packet);
        if (receipt !== undefined)
            this.queueReceiptPing();
        return true;
    }
    /**
     * One extra ping after a burst of pushed messages, so auto mode confirms them promptly: shortly
     * after, and only if a message pushed before it was queued is still unconfirmed by then
     * (receipt-clock.ts). Messages pushed meanwhile get their own turn: under a steady stream one
     * has nearly always just left, and pinging for it sent a ping and a pong per session every
     * 20-40 ms to clients whose callbacks confirm everything within a round trip.
     */
    queueReceiptPing() {
        if (this.receipts.mode !== 'auto' || this.receiptPingQueued)
            return;
        this.receiptPingQueued = true;
        this.receiptMark = this.receipts.lastAckId;
        this.opts.receiptClock.queue(this.receiptDue);
    }
    receiptDue = () => {
        this.receiptPingQueued = false;
        if (this.state === 'closed' || this.receipts.mode !== 'auto')
            return;
        const unconfirmed = this.receipts.unpinged(this.receiptMark);
        if (unconfirmed === 'overdue')
            this.ping();
        else if (unconfirmed === 'recent')
            this.queueReceiptPing();
    };
    ping() {
        this.receipts.pinged();
        this.write(encodeEngine('ping'));
    }
    onPong() {
        this.heartbeat.pong();
        const confirmed = this.receipts.ponged();
        if (this.connection === null)
            return;
        for (const id of confirmed)
            this.opts.core.receive(this.connection, { type: 'ack', data: { id } });
    }
    startConnectTimer() {
        clearTimeout(this.connectTimer);
        this.connectTimer = setTimeout(() => this.close(CLOSE_CODES.policyViolation, 'no CONNECT in time'), this.opts.connectTimeoutMs);
    }
    /** The client left the main namespace but keeps the Engine.IO session: it may CONNECT again. */
    leave() {
        const connection = this.connection;
        this.connection = null;
        this.state = 'handshake';
        this.receipts = createReceipts('auto');
        this.startConnectTimer();
        if (connection !== null)
            this.opts.core.disconnect(connection);
    }
    send(packet) {
        this.write(encodeEngine('message', encodeSocket(packet)));
    }
    write(text) {
        if (this.ws.readyState !== this.ws.OPEN)
            return;
        if (this.raw !== undefined)
            corkForTurn(this.raw);
        this.ws.send(text);
    }
    /** Connection.close and our own closes. Codes that must not lead to a reconnect loop say DISCONNECT first. */
    close(code, reason) {
        if (this.state === 'closed')
            return;
        if (this.connection !== null && FINAL.has(code))
            this.send({ type: 'disconnect', nsp: '/' });
        this.ws.close(code, reason);
        // A reader that does not read will not read our close frame either: do not wait for it.
        if (code === CLOSE_CODES.slowReader)
            setTimeout(() => { this.ws.terminate(); }, 1000).unref();
        this.onClose();
    }
    onClose() {
        if (this.state === 'closed')
            return;
        this.state = 'closed';
        clearTimeout(this.connectTimer);
        this.heartbeat.stop();
        this.waiting = [];
        const connection = this.connection;
        this.connection = null;
        if (connection !== null)
            this.opts.core.disconnect(connection);
    }
}
//# sourceMappingURL=session.js.map