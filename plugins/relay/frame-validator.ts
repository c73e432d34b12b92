import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import type { ErrorCode } from '../errors.js'
import { ClientEnvelope, clientFrames, type ClientFrameType } from '../../schemas/frames.js'
import type { ClientFrame } from './contract.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => UUID.test(value))

/** Why a frame was refused: an error code, the offending field and a message for the client. */
export interface FrameProblem {
  code: ErrorCode
  field?: string
  message: string
}

export type Checked<T> = { ok: true, value: T } | { ok: false, problem: FrameProblem }

/** `=` only at the end, at most two: with BASE64_PATTERN (schemas/frames.ts), `^[A-Za-z0-9+/]*={0,2}$`. */
export function wellPadded (text: string): boolean {
  const first = text.indexOf('=')
  return first === -1 || (first >= text.length - 2 && text.charCodeAt(text.length - 1) === 61)
}

function base64Bytes (text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  return (text.length / 4) * 3 - padding
}

/** `/data/nonce` -> `nonce`; `/ref` -> `ref`: what a client calls the field. */
function fieldOf (path: string): string {
  const parts = path.split('/').filter((p) => p !== '')
  if (parts[0] === 'data' && parts.length > 1) parts.shift()
  return parts.join('.') || 'data'
}

function problemOf (check: TypeCheck<TSchema>, value: unknown, prefix: string): FrameProblem {
  const error = check.Errors(value).First()
  const field = fieldOf(prefix + (error?.path ?? ''))
  return { code: 'invalid_frame', field, message: `${field}: ${error?.message ?? 'invalid'}` }
}

/**
 * Validators for every client frame, compiled once per server (the ciphertext limit is part of
 * the schema). Checking never throws and never coerces.
 */
export function createFrameValidator (maxCiphertextBytes: number) {
  const envelope = TypeCompiler.Compile(ClientEnvelope)
  const byType = new Map<string, TypeCheck<TSchema>>()
  for (const [type, frame] of Object.entries(clientFrames(maxCiphertextBytes))) {
    byType.set(type, TypeCompiler.Compile(frame.data as TSchema))
  }
  const types = [...byType.keys()].join(', ')

  return {
    /** Turns the JSON value of a text frame into a ClientFrame, or says what is wrong with it. */
    envelope (value: unknown): Checked<ClientFrame> {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { ok: false, problem: { code: 'invalid_frame', field: 'type', message: 'A frame is a JSON object {type, ref?, data}' } }
      }
      if (!envelope.Check(value)) return { ok: false, problem: problemOf(envelope, value, '') }
      const frame = value as { type: string, ref?: string | number, data?: unknown, token?: unknown }
      if (frame.token !== undefined) {
        if (frame.type !== 'auth' || frame.data !== undefined) {
          return { ok: false, problem: { code: 'invalid_frame', field: 'token', message: 'token: only the auth frame carries a token' } }
        }
        return { ok: true, value: { type: 'auth', ref: frame.ref, data: { token: frame.token } } }
      }
      // Exactly {type, ref?, data?}: the parsed object is the frame, no copy on the hot path.
      return { ok: true, value: frame as ClientFrame }
    },

    /** Validates `data` for the frame's type. */
    data<T> (type: ClientFrameType, data: unknown): Checked<T> {
      const check = byType.get(type)
      if (check === undefined) {
        return { ok: false, problem: { code: 'invalid_frame', field: 'type', message: `type: unknown frame type (one of ${types})` } }
      }
      if (check.Check(data)) {
        if (type === 'private_message') {
          const { message } = data as { message: string }
          if (message.length % 4 !== 0 || !wellPadded(message)) {
            return { ok: false, problem: { code: 'invalid_frame', field: 'message', message: 'message: padded base64: a length that is a multiple of 4, and = only as the last one or two characters' } }
          }
          // Base64 length counts in steps of 3 bytes: the schema's maxLength lets up to 2 bytes over.
          if (base64Bytes(message) > maxCiphertextBytes) {
            return { ok: false, problem: { code: 'invalid_frame', field: 'message', message: `message: more than ${maxCiphertextBytes} bytes of ciphertext` } }
          }
        }
        return { ok: true, value: data as T }
      }
      return { ok: false, problem: problemOf(check, data, '/data') }
    },

    isKnownType: (type: string): type is ClientFrameType => byType.has(type),
    types
  }
}

export type FrameValidator = ReturnType<typeof createFrameValidator>
