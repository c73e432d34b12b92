import { Decoder, PacketType, isPacketValid } from 'socket.io-parser';
const TYPE_CHARS = {
    connect: String(PacketType.CONNECT),
    disconnect: String(PacketType.DISCONNECT),
    event: String(PacketType.EVENT),
    ack: String(PacketType.ACK),
    connect_error: String(PacketType.CONNECT_ERROR)
};
const BINARY_HEADER = /^([56])(\d+)-/;
/**
 * Runs the official decoder on one string. A throw becomes an error value; `null` means the
 * decoder accepted the text but is now waiting for binary attachments.
 */
function parse(text) {
    const decoder = new Decoder();
    let packet = null;
    decoder.on('decoded', (p) => { packet = p; });
    try {
        decoder.add(text);
    }
    catch (err) {
        return { error: `not a Socket.IO packet (${err instanceof Error ? err.message : 'unreadable'})` };
    }
    finally {
        decoder.destroy();
    }
    return packet;
}
function validId(id) {
    return id === undefined || (Number.isSafeInteger(id) && id >= 0);
}
const EVENT = 50; // '2'
const ACK = 51; // '3'
const OPEN_BRACKET = 91; // '['
const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
/**
 * The packets a client sends with every message, an EVENT or ACK to `/` with its JSON array
 * (`2<id>[...]`, `3<id>[...]`), read without building a decoder for each. The same checks as
 * the official decoder and `isPacketValid`; anything else, or anything they would refuse, is
 * left to the official decoder (undefined), so errors read the same either way.
 */
function decodeCommon(text) {
    const type = text.charCodeAt(0);
    if (type !== EVENT && type !== ACK)
        return undefined;
    let i = 1;
    let c = text.charCodeAt(i);
    while (c >= 48 && c <= 57)
        c = text.charCodeAt(++i);
    if (c !== OPEN_BRACKET || i > 17)
        return undefined;
    const id = i === 1 ? undefined : Number(text.slice(1, i));
    if (id !== undefined && !Number.isSafeInteger(id))
        return undefined;
    let data;
    try {
        data = JSON.parse(text.slice(i));
    }
    catch {
        return undefined;
    }
    if (!Array.isArray(data))
        return undefined;
    if (type === ACK)
        return id === undefined ? undefined : { type: 'ack', nsp: '/', id, data };
    const name = data[0];
    if (typeof name !== 'number' && (typeof name !== 'string' || RESERVED_EVENTS.has(name)))
        return undefined;
    return id === undefined ? { type: 'event', nsp: '/', data } : { type: 'event', nsp: '/', id, data };
}
/** Decodes the text of an Engine.IO message into one Socket.IO packet. */
export function decodeSocket(text) {
    if (text.length === 0)
        return { error: 'empty Socket.IO packet' };
    const common = decodeCommon(text);
    if (common !== undefined)
        return common;
    if (text.startsWith('5') || text.startsWith('6'))
        return decodeBinaryHeader(text);
    const packet = parse(text);
    if (packet === null)
        return { error: 'not a Socket.IO packet' };
    if ('error' in packet)
        return packet;
    if (!validId(packet.id))
        return { error: 'not a Socket.IO packet (invalid ack id)' };
    if (!isPacketValid(packet))
        return { error: 'not a Socket.IO packet (invalid payload)' };
    const { nsp } = packet;
    switch (packet.type) {
        case PacketType.CONNECT:
            return packet.data === undefined ? { type: 'connect', nsp } : { type: 'connect', nsp, data: packet.data };
        case PacketType.DISCONNECT:
            return { type: 'disconnect', nsp };
        case PacketType.EVENT:
            return packet.id === undefined ? { type: 'event', nsp, data: packet.data } : { type: 'event', nsp, id: packet.id, data: packet.data };
        case PacketType.ACK:
            if (packet.id === undefined)
                return { error: 'not a Socket.IO packet (ack without id)' };
            return { type: 'ack', nsp, id: packet.id, data: packet.data };
        case PacketType.CONNECT_ERROR:
            return { type: 'connect_error', nsp, data: packet.data };
        default:
            return { error: 'not a Socket.IO packet (unknown packet type)' };
    }
}
/**
 * A packet announcing binary attachments. The official decoder checks the header; namespace and
 * ack id are then read from the same text as a plain packet so the refusal reaches the right
 * callback.
 */
function decodeBinaryHeader(text) {
    const header = BINARY_HEADER.exec(text);
    const checked = parse(text);
    if (header === null || checked !== null) {
        return checked !== null && 'error' in checked ? checked : { error: 'not a Socket.IO packet (illegal attachments)' };
    }
    const attachments = Number(header[2]);
    const plain = parse((header[1] === '5' ? '2' : '3') + text.slice(header[0].length));
    if (plain === null || 'error' in plain)
        return { type: 'binary', nsp: '/', attachments };
    const id = validId(plain.id) ? plain.id : undefined;
    return id === undefined ? { type: 'binary', nsp: plain.nsp, attachments } : { type: 'binary', nsp: plain.nsp, id, attachments };
}
/**
 * Encodes one outgoing packet as the text of an Engine.IO message: what `socket.io-parser`'s
 * `encodeAsString` writes (type, namespace other than `/` with a comma, ack id, JSON data).
 * Written here because the encoder first walks the whole packet looking for binary data
 * (`hasBinary`), which ours never holds: `OutgoingPacket` is JSON only.
 */
export function encodeSocket(packet) {
    let text = TYPE_CHARS[packet.type];
    if (packet.nsp !== '/' && packet.nsp !== '')
        text += packet.nsp + ',';
    if ('id' in packet && packet.id !== undefined)
        text += packet.id;
    if ('json' in packet)
        return text + packet.json;
    return 'data' in packet && packet.data !== undefined && packet.data !== null ? text + JSON.stringify(packet.data) : text;
}
//# sourceMappingURL=socket-codec.js.map