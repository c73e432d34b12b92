import { decodePacket, encodePacket, type Packet } from 'engine.io-parser'

/**
 * Engine.IO v4 packets over the websocket transport, as pure functions. Parsing is delegated to
 * the maintained `engine.io-parser`; this module only turns its loose results (and anything it
 * might throw) into a closed set of values, so the transport never sees an exception.
 */

/** A decoded Engine.IO packet. `binary` is a binary frame (or a `b…` base64 one): we refuse those. */
export type EnginePacket =
  | { type: 'open' | 'close' | 'ping' | 'pong' | 'upgrade' | 'noop', data?: string }
  | { type: 'message', data: string }
  | { type: 'binary', size: number }

/** A decoding failure, with a reason that is safe to show to the client. */
export interface CodecError {
  error: string
}

export type Decoded<T> = T | CodecError

export function isCodecError (value: unknown): value is CodecError {
  return typeof value === 'object' && value !== null && 'error' in value
}

/** The `0{…}` open packet's payload, the first thing a client reads. */
export interface OpenPayload {
  sid: string
  upgrades: string[]
  pingInterval: number
  pingTimeout: number
  maxPayload: number
}

const MESSAGE = '4'.charCodeAt(0)

/**
 * Decodes one websocket frame. Binary frames are reported as such, never parsed further: the
 * shim carries JSON only.
 */
export function decodeEngine (frame: string | Buffer, isBinary: boolean): Decoded<EnginePacket> {
  if (isBinary || typeof frame !== 'string') return { type: 'binary', size: frame.length }
  // A message, by far the most common packet: what decodePacket returns for it, without the detour.
  if (frame.charCodeAt(0) === MESSAGE) return { type: 'message', data: frame.slice(1) }
  if (frame.startsWith('b')) return { type: 'binary', size: frame.length }
  let packet: Packet
  try {
    packet = decodePacket(frame)
  } catch {
    return { error: 'not an Engine.IO packet' }
  }
  switch (packet.type) {
    case 'message':
      return { type: 'message', data: typeof packet.data === 'string' ? packet.data : '' }
    case 'open': case 'close': case 'ping': case 'pong': case 'upgrade': case 'noop':
      return typeof packet.data === 'string' ? { type: packet.type, data: packet.data } : { type: packet.type }
    default:
      return { error: 'not an Engine.IO packet (unknown packet type)' }
  }
}

/** Encodes a text packet for the websocket transport. */
export function encodeEngine (type: 'open' | 'close' | 'ping' | 'pong' | 'message' | 'noop', data?: string): string {
  let out = ''
  encodePacket({ type, data }, true, (encoded) => { out = encoded as string })
  return out
}

/** The open packet: no upgrades, since the websocket transport is the only one we speak. */
export function encodeOpen (payload: Omit<OpenPayload, 'upgrades'>): string {
  const open: OpenPayload = {
    sid: payload.sid,
    upgrades: [],
    pingInterval: payload.pingInterval,
    pingTimeout: payload.pingTimeout,
    maxPayload: payload.maxPayload
  }
  return encodeEngine('open', JSON.stringify(open))
}
