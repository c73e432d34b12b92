import { Decoder, PacketType, isPacketValid, type Packet } from 'socket.io-parser'
import type { Decoded } from './engine-codec.js'

/**
 * Socket.IO v5 packets (the payload of an Engine.IO `message`), as pure functions. Parsing is
 * delegated to the maintained `socket.io-parser`, except for the EVENT and ACK packets every
 * message brings, read here with the same checks (test/socketio/codecs.test.ts holds both to the
 * same results); this module adds the checks its server applies after parsing (`isPacketValid`:
 * an EVENT needs its array, an ack id is an integer) and returns errors as values instead of
 * throwing.
 */

export type SocketPacket =
  | { type: 'connect', nsp: string, data?: unknown }
  | { type: 'disconnect', nsp: string }
  | { type: 'event', nsp: string, id?: number, data: unknown[] }
  | { type: 'ack', nsp: string, id: number, data: unknown[] }
  | { type: 'connect_error', nsp: string, data: unknown }
  /** A packet announcing binary attachments: decoded only far enough to answer it. */
  | { type: 'binary', nsp: string, id?: number, attachments: number }

/** The server's outgoing packets: JSON only, never binary. `json` is an EVENT's arguments already written as JSON. */
export type OutgoingPacket =
  | { type: 'connect', nsp: string, data: { sid: string } }
  | { type: 'disconnect', nsp: string }
  | { type: 'event', nsp: string, id?: number, data: unknown[] }
  | { type: 'event', nsp: string, id?: number, json: string }
  | { type: 'ack', nsp: string, id: number, data: unknown[] }
  | { type: 'connect_error', nsp: string, data: { message: string, data?: unknown } }

const TYPE_CHARS: Record<OutgoingPacket['type'], string> = {
  connect: String(PacketType.CONNECT),
  disconnect: String(PacketType.DISCONNECT),
  event: String(PacketType.EVENT),
  ack: String(PacketType.ACK),
  connect_error: String(PacketType.CONNECT_ERROR)
}

const BINARY_HEADER = /^([56])(\d+)-/

/**
 * Runs the official decoder on one string. A throw becomes an error value; `null` means the
 * decoder accepted the text but is now waiting for binary attachments.
 */
function parse (text: string): Decoded<Packet> | null {
  const decoder = new Decoder()
  let packet: Packet | null = null
  decoder.on('decoded', (p: Packet) => { packet = p })
  try {
    decoder.add(text)
  } catch (err) {
    return { error: `not a Socket.IO packet (${err instanceof Error ? err.message : 'unreadable'})` }
  } finally {
    decoder.destroy()
  }
  return packet
}

function validId (id: number | undefined): boolean {
  return id === undefined || (Number.isSafeInteger(id) && id >= 0)
}

const EVENT = 50 // '2'
const ACK = 51 // '3'
const OPEN_BRACKET = 91 // '['
const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])

/**
 * The packets a client sends with every message, an EVENT or ACK to `/` with its JSON array
 * (`2<id>[...]`, `3<id>[...]`), read without building a decoder for each. The same checks as
 * the official decoder and `isPacketValid`; anything else, or anything they would refuse, is
 * left to the official decoder (undefined), so errors read the same either way.
 */
function decodeCommon (text: string): SocketPacket | undefined {
  const type = text.charCodeAt(0)
  if (type !== EVENT && type !== ACK) return undefined
  let i = 1
  let c = text.charCodeAt(i)
  while (c >= 48 && c <= 57) c = text.charCodeAt(++i)
  if (c !== OPEN_BRACKET || i > 17) return undefined
  const id = i === 1 ? undefined : Number(text.slice(1, i))
  if (id !== undefined && !Number.isSafeInteger(id)) return undefined
  let data: unknown
  try {
    data = JSON.parse(text.slice(i))
  } catch {
    return undefined
  }
  if (!Array.isArray(data)) return undefined
  if (type === ACK) return id === undefined ? undefined : { type: 'ack', nsp: '/', id, data }
  const name: unknown = data[0]
  if (typeof name !== 'number' && (typeof name !== 'string' || RESERVED_EVENTS.has(name))) return undefined
  return id === undefined ? { type: 'event', nsp: '/', data } : { type: 'event', nsp: '/', id, data }
}

/** Decodes the text of an Engine.IO message into one Socket.IO packet. */
export function decodeSocket (text: string): Decoded<SocketPacket> {
  if (text.length === 0) return { error: 'empty Socket.IO packet' }
  const common = decodeCommon(text)
  if (common !== undefined) return common
  if (text.startsWith('5') || text.startsWith('6')) return decodeBinaryHeader(text)
  const packet = parse(text)
  if (packet === null) return { error: 'not a Socket.IO packet' }
  if ('error' in packet) return packet
  if (!validId(packet.id)) return { error: 'not a Socket.IO packet (invalid ack id)' }
  if (!isPacketValid(packet)) return { error: 'not a Socket.IO packet (invalid payload)' }
  const { nsp } = packet
  switch (packet.type) {
    case PacketType.CONNECT:
      return packet.data === undefined ? { type: 'connect', nsp } : { type: 'connect', nsp, data: packet.data }
    case PacketType.DISCONNECT:
      return { type: 'disconnect', nsp }
    case PacketType.EVENT:
      return packet.id === undefined ? { type: 'event', nsp, data: packet.data } : { type: 'event', nsp, id: packet.id, data: packet.data }
    case PacketType.ACK:
      if (packet.id === undefined) return { error: 'not a Socket.IO packet (ack without id)' }
      return { type: 'ack', nsp, id: packet.id, data: packet.data }
    case PacketType.CONNECT_ERROR:
      return { type: 'connect_error', nsp, data: packet.data }
    default:
      return { error: 'not a Socket.IO packet (unknown packet type)' }
  }
}

/**
 * A packet announcing binary attachments. The official decoder checks the header; namespace and
 * ack id are then read from the same text as a plain packet so the refusal reaches the right
 * callback.
 */
function decodeBinaryHeader (text: string): Decoded<SocketPacket> {
  const header = BINARY_HEADER.exec(text)
  const checked = parse(text)
  if (header === null || checked !== null) {
    return checked !== null && 'error' in checked ? checked : { error: 'not a Socket.IO packet (illegal attachments)' }
  }
  const attachments = Number(header[2])
  const plain = parse((header[1] === '5' ? '2' : '3') + text.slice(header[0].length))
  if (plain === null || 'error' in plain) return { type: 'binary', nsp: '/', attachments }
  const id = validId(plain.id) ? plain.id : undefined
  return id === undefined ? { type: 'binary', nsp: plain.nsp, attachments } : { type: 'binary', nsp: plain.nsp, id, attachments }
}

/**
 * Encodes one outgoing packet as the text of an Engine.IO message: what `socket.io-parser`'s
 * `encodeAsString` writes (type, namespace other than `/` with a comma, ack id, JSON data).
 * Written here because the encoder first walks the whole packet looking for binary data
 * (`hasBinary`), which ours never holds: `OutgoingPacket` is JSON only.
 */
export function encodeSocket (packet: OutgoingPacket): string {
  let text = TYPE_CHARS[packet.type]
  if (packet.nsp !== '/' && packet.nsp !== '') text += packet.nsp + ','
  if ('id' in packet && packet.id !== undefined) text += packet.id
  if ('json' in packet) return text + packet.json
  return 'data' in packet && packet.data !== undefined && packet.data !== null ? text + JSON.stringify(packet.data) : text
}
