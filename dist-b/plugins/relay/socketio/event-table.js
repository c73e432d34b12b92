import { messageDataJson } from '../message-json.js';
/**
 * The table between Socket.IO events and the relay's native frames. Events keep their native
 * names, so `socket.emit('private_message', data, callback)` is the native
 * `{type: 'private_message', ref, data}` with the Socket.IO ack id as `ref`.
 */
/** Events a client may emit; each becomes the native frame of the same type. */
export const CLIENT_EVENTS = ['private_message', 'presence_update', 'ack'];
/**
 * Native frames the shim does not forward: `ready` is the native transport's handshake reply,
 * which Socket.IO's CONNECT acknowledgement already plays.
 */
const SWALLOWED = new Set(['ready']);
const clientEvents = new Set(CLIENT_EVENTS);
export function isEventProblem(value) {
    return 'code' in value;
}
/**
 * A client EVENT's arguments (`[name, data]`) as a native frame. The data is not validated
 * here: the relay core validates every frame, whatever its transport.
 */
export function eventToFrame(args, ackId) {
    const name = args[0];
    if (typeof name !== 'string' || !clientEvents.has(name)) {
        return { code: 'invalid_frame', field: 'type', message: `type: unknown event (one of ${CLIENT_EVENTS.join(', ')})` };
    }
    if (args.length !== 2) {
        return { code: 'invalid_frame', field: 'data', message: `data: ${name} takes exactly one argument (the data object), besides the callback` };
    }
    return ackId === undefined ? { type: name, data: args[1] } : { type: name, ref: ackId, data: args[1] };
}
/**
 * A native frame as the Socket.IO packet to send, or null when it has no Socket.IO form.
 * A reply whose `ref` is a Socket.IO ack id becomes an ACK carrying `{type, data}` (the native
 * frame without its ref), so one callback receives both outcomes. Other frames become EVENTs
 * `[type, data]` (a private_message's written out by message-json.ts); `receiptId` asks for an
 * acknowledgement of a pushed private_message.
 */
export function frameToPacket(frame, receiptId) {
    if (typeof frame.ref === 'number' && (frame.type === 'ack' || frame.type === 'error')) {
        return { type: 'ack', nsp: '/', id: frame.ref, data: [{ type: frame.type, data: frame.data }] };
    }
    if (SWALLOWED.has(frame.type))
        return null;
    if (frame.type === 'private_message') {
        const json = `["private_message",${messageDataJson(frame.data)}]`;
        return receiptId === undefined ? { type: 'event', nsp: '/', json } : { type: 'event', nsp: '/', id: receiptId, json };
    }
    const data = [frame.type, frame.data];
    return receiptId === undefined ? { type: 'event', nsp: '/', data } : { type: 'event', nsp: '/', id: receiptId, data };
}
//# sourceMappingURL=event-table.js.map