import { decodePacket, encodePacket } from 'engine.io-parser';
export function isCodecError(value) {
    return typeof value === 'object' && value !== null && 'error' in value;
}
const MESSAGE = '4'.charCodeAt(0);
/**
 * Decodes one websocket frame. Binary frames are reported as such, never parsed further: the
 * shim carries JSON only.
 */
export function decodeEngine(frame, isBinary) {
    if (isBinary || typeof frame !== 'string')
        return { type: 'binary', size: frame.length };
    // A message, by far the most common packet: what decodePacket returns for it, without the detour.
    if (frame.charCodeAt(0) === MESSAGE)
        return { type: 'message', data: frame.slice(1) };
    if (frame.startsWith('b'))
        return { type: 'binary', size: frame.length };
    let packet;
    try {
        packet = decodePacket(frame);
    }
    catch {
        return { error: 'not an Engine.IO packet' };
    }
    switch (packet.type) {
        case 'message':
            return { type: 'message', data: typeof packet.data === 'string' ? packet.data : '' };
        case 'open':
        case 'close':
        case 'ping':
        case 'pong':
        case 'upgrade':
        case 'noop':
            return typeof packet.data === 'string' ? { type: packet.type, data: packet.data } : { type: packet.type };
        default:
            return { error: 'not an Engine.IO packet (unknown packet type)' };
    }
}
/** Encodes a text packet for the websocket transport. */
export function encodeEngine(type, data) {
    let out = '';
    encodePacket({ type, data }, true, (encoded) => { out = encoded; });
    return out;
}
/** The open packet: no upgrades, since the websocket transport is the only one we speak. */
export function encodeOpen(payload) {
    const open = {
        sid: payload.sid,
        upgrades: [],
        pingInterval: payload.pingInterval,
        pingTimeout: payload.pingTimeout,
        maxPayload: payload.maxPayload
    };
    return encodeEngine('open', JSON.stringify(open));
}
//# sourceMappingURL=engine-codec.js.map