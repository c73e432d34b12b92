import { randomUUID } from 'node:crypto';
import { AppError, ERRORS } from '../errors.js';
import { bearerToken } from '../auth/index.js';
import { CLOSE_CODES } from './close-codes.js';
import { corkForTurn } from './turn-cork.js';
import { messageAckJson, messageDataJson } from './message-json.js';
// Frames that arrive while the auth frame is being checked wait; a client may not pile them up.
const MAX_EARLY_FRAMES = 32;
// A frame pushed to many sockets (a message to several devices, a presence change) goes to
// them one after the other: the last one serialized is kept, so it is serialized once. A
// WeakMap did the same for every message and cost the collector an ephemeron each. Replies
// carry a ref and are never shared, so they are not cached.
let lastFrame = null;
let lastText = '';
function textOf(frame) {
    if (frame.ref !== undefined) {
        const ack = frame.type === 'ack' ? frame.data : undefined;
        return ack?.id !== undefined ? messageAckJson(frame.ref, ack.id, ack.status) : JSON.stringify(frame);
    }
    if (frame !== lastFrame) {
        lastText = frame.type === 'private_message'
            ? `{"type":"private_message","data":${messageDataJson(frame.data)}}`
            : JSON.stringify(frame);
        lastFrame = frame;
    }
    return lastText;
}
/** The ref of a frame refused for another reason, when it has a usable one, so the client can match the error. */
function refOf(value) {
    const ref = typeof value === 'object' && value !== null ? value.ref : undefined;
    if (typeof ref === 'string' && ref.length >= 1 && ref.length <= 64)
        return ref;
    if (Number.isSafeInteger(ref) && ref >= 0)
        return ref;
    return undefined;
}
const errorFrame = (problem, ref) => ({ type: 'error', ref, data: problem });
function authProblem(err) {
    const code = err instanceof AppError ? err.code : 'internal_error';
    return { code, message: err instanceof AppError ? err.message : ERRORS.internal_error.message };
}
/**
 * One socket of the native transport: authentication (Authorization header or first frame),
 * JSON decoding, and the `Connection` the core pushes through.
 */
class NativeSocket {
    ws;
    raw;
    options;
    onGone;
    id = randomUUID();
    userId = '';
    sessionId = '';
    expiresAt = undefined;
    alive = true;
    phase = 'auth';
    /** Handed to the core (connect called): the core must hear of the close. */
    registered = false;
    early = [];
    authTimer = null;
    constructor(ws, raw, options, onGone) {
        this.ws = ws;
        this.raw = raw;
        this.options = options;
        this.onGone = onGone;
    }
    send(frame) {
        // A closing socket takes nothing more: the core keeps the message queued instead.
        if (this.ws.readyState !== this.ws.OPEN || this.ws.bufferedAmount > this.options.maxBufferedBytes)
            return false;
        corkForTurn(this.raw);
        this.ws.send(textOf(frame));
        return true;
    }
    sendMany(frames) {
        if (this.ws.readyState !== this.ws.OPEN || this.ws.bufferedAmount > this.options.maxBufferedBytes)
            return false;
        corkForTurn(this.raw);
        for (const frame of frames)
            this.ws.send(textOf(frame));
        return true;
    }
    close(code, reason) {
        if (this.ws.readyState >= this.ws.CLOSING)
            return;
        this.ws.close(code, reason);
        // A reader that does not read will not read our close frame either: do not wait for it.
        if (code === CLOSE_CODES.slowReader)
            setTimeout(() => { this.ws.terminate(); }, 1000).unref();
    }
    start(auth) {
        if (auth instanceof Error)
            return this.fail(authProblem(auth));
        if (auth !== undefined)
            return this.open(auth);
        this.authTimer = setTimeout(() => {
            if (this.phase === 'auth' || this.phase === 'checking')
                this.fail({ code: 'auth_timeout', message: ERRORS.auth_timeout.message });
        }, this.options.authTimeoutMs);
    }
    onMessage(data, isBinary) {
        this.alive = true;
        if (this.phase === 'closed')
            return;
        const frame = this.decode(data, isBinary);
        if (frame === null)
            return;
        if (this.phase === 'open')
            return frame.type === 'auth' ? this.renew(frame) : this.options.core.receive(this, frame);
        if (this.phase === 'checking') {
            if (this.early.length >= MAX_EARLY_FRAMES)
                return this.close(CLOSE_CODES.policyViolation, 'too many frames before authentication');
            this.early.push(frame);
            return;
        }
        if (frame.type !== 'auth')
            return this.fail({ code: 'unauthorized', message: 'Authenticate first: {"type":"auth","token":"..."}' }, frame.ref);
        const checked = this.options.validator.data('auth', frame.data);
        if (!checked.ok)
            return this.fail({ ...checked.problem, code: 'unauthorized' }, frame.ref);
        this.phase = 'checking';
        this.options.authenticate(checked.value.token).then((auth) => { if (this.phase === 'checking')
            this.open(auth, frame.ref); }, (err) => { if (this.phase === 'checking')
            this.fail(authProblem(err), frame.ref); });
    }
    onClose() {
        this.phase = 'closed';
        this.early = [];
        if (this.authTimer !== null)
            clearTimeout(this.authTimer);
        this.onGone(this);
        if (this.registered)
            this.options.core.disconnect(this);
    }
    /** Heartbeat tick: a socket that did not answer the last ping is dead. */
    beat() {
        if (!this.alive)
            return this.ws.terminate();
        this.alive = false;
        this.ws.ping();
    }
    decode(data, isBinary) {
        let problem;
        let ref;
        if (isBinary) {
            problem = { code: 'invalid_frame', field: 'type', message: 'Frames are JSON text, not binary' };
        }
        else {
            let value;
            try {
                value = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data).toString('utf8'));
            }
            catch {
                value = undefined;
            }
            if (value === undefined) {
                problem = { code: 'invalid_frame', message: 'The frame is not valid JSON' };
            }
            else {
                const checked = this.options.validator.envelope(value);
                if (checked.ok)
                    return checked.value;
                problem = checked.problem;
                ref = refOf(value);
            }
        }
        if (this.phase === 'open')
            this.options.core.refuse(this, problem, ref);
        else {
            this.send(errorFrame(problem));
            this.close(CLOSE_CODES.policyViolation, 'malformed frame before authentication');
        }
        return null;
    }
    open(auth, ref) {
        if (this.authTimer !== null)
            clearTimeout(this.authTimer);
        this.userId = auth.userId;
        this.sessionId = auth.sessionId;
        this.expiresAt = auth.expiresAt;
        this.phase = 'open';
        this.send({ type: 'ready', ref, data: { userId: auth.userId, heartbeatMs: this.options.heartbeatMs } });
        this.registered = true;
        this.options.core.connect(this).catch(() => { this.close(CLOSE_CODES.internalError, 'internal error'); });
        const early = this.early;
        this.early = [];
        for (const frame of early)
            this.options.core.receive(this, frame);
    }
    /**
     * A fresh token for the same user on an open socket (access tokens are short-lived): the
     * socket lives on until the new token expires. Another user's token, or a bad one, ends it.
     */
    renew(frame) {
        const checked = this.options.validator.data('auth', frame.data);
        if (!checked.ok)
            return this.options.core.refuse(this, checked.problem, frame.ref);
        this.options.authenticate(checked.value.token).then((auth) => {
            if (this.phase !== 'open')
                return;
            if (auth.userId !== this.userId)
                return this.fail({ code: 'invalid_token', message: 'The token is for another user' }, frame.ref);
            this.expiresAt = auth.expiresAt;
            this.send({ type: 'ready', ref: frame.ref, data: { userId: auth.userId, heartbeatMs: this.options.heartbeatMs } });
        }, (err) => { if (this.phase === 'open')
            this.fail(authProblem(err), frame.ref); });
    }
    fail(problem, ref) {
        this.phase = 'closed';
        this.send(errorFrame(problem, ref));
        this.close(CLOSE_CODES.unauthorized, problem.code);
    }
}
/**
 * The native WebSocket transport at `/ws`: our JSON framing (schemas/frames.ts) straight onto
 * the relay core. Credentials come from an `Authorization: Bearer` header, checked in a hook
 * before the upgrade completes, or from a first `auth` frame; never from the URL.
 */
export async function nativeTransport(app, options) {
    const headerAuth = new WeakMap();
    const sockets = new Set();
    // One timer for every socket: a socket that missed a whole interval's pong is dead.
    const heartbeat = setInterval(() => {
        for (const socket of sockets)
            socket.beat();
    }, options.heartbeatMs);
    heartbeat.unref();
    app.addHook('onClose', async () => { clearInterval(heartbeat); });
    app.get('/ws', {
        websocket: true,
        schema: { hide: true },
        async onRequest(request) {
            const header = request.headers.authorization;
            if (header === undefined)
                return;
            try {
                headerAuth.set(request, await app.auth.authenticate(bearerToken(header)));
            }
            catch (err) {
                headerAuth.set(request, err instanceof Error ? err : new Error(String(err)));
            }
        }
    }, (ws, request) => {
        const socket = new NativeSocket(ws, request.raw.socket, options, (gone) => { sockets.delete(gone); });
        sockets.add(socket);
        // Listeners first, before anything that could yield: frames must not be missed.
        ws.on('message', (data, isBinary) => { socket.onMessage(data, isBinary); });
        ws.on('pong', () => { socket.alive = true; });
        ws.on('close', () => { socket.onClose(); });
        socket.start(headerAuth.get(request));
    });
    return {
        /** Closes every native socket (server shutdown). */
        closeAll(code, reason) {
            for (const socket of sockets)
                socket.close(code, reason);
        }
    };
}
//# sourceMappingURL=native.js.map