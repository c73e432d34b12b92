import t from 'tap'
import fc from 'fast-check'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { build } from '../helper.js'
import { ERRORS, type ErrorCode } from '../../plugins/errors.js'
import { PrivateMessageOut } from '../../schemas/frames.js'
import '../../plugins/relay/frame-validator.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

const TYPES = ['auth', 'private_message', 'presence_update', 'ack', 'hack', '', 'PRIVATE_MESSAGE', '__proto__', 'constructor']

/** Raw frames of every shape: text, JSON, binary, and envelopes with arbitrary content. */
const arbitraryFrame = fc.oneof(
  fc.string({ maxLength: 200 }).map((s) => ({ raw: s, binary: false })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ raw: s, binary: false })),
  fc.json({ maxDepth: 3 }).map((s) => ({ raw: s, binary: false })),
  fc.uint8Array({ maxLength: 64 }).map((b) => ({ raw: Buffer.from(b), binary: true })),
  fc.record({
    type: fc.oneof(fc.constantFrom(...TYPES), fc.jsonValue({ maxDepth: 1 })),
    ref: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
    data: fc.jsonValue({ maxDepth: 3 })
  }, { requiredKeys: ['type'] }).map((f) => ({ raw: JSON.stringify(f), binary: false }))
)

type Mutation = { kind: 'drop', key: string } | { kind: 'set', key: string, value: unknown } | { kind: 'extra', key: string, value: unknown } | { kind: 'cut', at: number } | { kind: 'flip', at: number, char: string }
const KEYS = ['recipientId', 'message', 'nonce', 'mac', 'ephemeralKey', 'timestamp']
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...KEYS).map((key) => ({ kind: 'drop' as const, key })),
  fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...KEYS), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KEYS.includes(k)), value: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1 }) })
)

function mutate (frame: { type: string, data: Record<string, unknown> }, m: Mutation): string {
  const data = { ...frame.data }
  if (m.kind === 'drop') delete data[m.key]
  if (m.kind === 'set') data[m.key] = m.value
  if (m.kind === 'extra') data[m.key] = m.value
  const text = JSON.stringify({ ...frame, data })
  if (m.kind === 'cut') return text.slice(0, m.at % text.length)
  if (m.kind === 'flip') { const at = m.at % text.length; return text.slice(0, at) + m.char + text.slice(at + 1) }
  return text
}

t.test('no frame, however malformed, crashes the handler, escapes validation or stops the next valid message', async (t) => {
  const { app, url } = await build(t, { listen: true, env: { ...RELAY_TEST_ENV, RELAY_INVALID_FRAME_LIMIT: '1000000', RELAY_ACK_TIMEOUT_MS: '100' } })
  const { alice, bob } = await pair(app)
  const a = await Client.ready(url, alice.token)
  const b = (await Client.ready(url, bob.token)).autoAck()
  t.teardown(() => { a.ws.terminate(); b.ws.terminate() })
  let n = 0

  async function survives (raw: string | Buffer, binary: boolean): Promise<boolean> {
    const start = a.frames.length
    a.sendRaw(raw, binary)
    const ref = `valid-${++n}`
    a.send(messageTo(bob, `fuzz ${n}`, ref))
    const reply = await a.reply(ref)
    if (reply.type !== 'ack') return false
    const errors = a.frames.slice(start).filter((f) => f.type === 'error' && f.ref !== ref)
    // Refusals are client errors with a code from the table, never a server error.
    return errors.every((e) => ERRORS[e.data.code as ErrorCode] !== undefined && ERRORS[e.data.code as ErrorCode].status < 500 && typeof e.data.message === 'string')
  }

  await fc.assert(fc.asyncProperty(arbitraryFrame, async ({ raw, binary }) => await survives(raw, binary)), { numRuns: 150 })
  await fc.assert(fc.asyncProperty(mutation, async (m) => await survives(mutate(messageTo(bob, 'base'), m), false)), { numRuns: 150 })

  t.equal(a.ws.readyState, a.ws.OPEN, 'the fuzzed connection is still open')
  // Whatever was accepted and delivered has exactly the documented shape.
  await b.next((f) => f.type === 'private_message' && open(f.data, bob.secretKey) === `fuzz ${n}`)
  const shape = TypeCompiler.Compile(PrivateMessageOut())
  const delivered = b.frames.filter((f) => f.type === 'private_message')
  t.ok(delivered.every((f) => shape.Check(f.data)), 'every delivered frame matches its schema')
  const texts = new Set(delivered.map((f) => open(f.data, bob.secretKey)))
  t.ok(Array.from({ length: n }, (_, i) => `fuzz ${i + 1}`).every((text) => texts.has(text)), `all ${n} valid messages delivered`)
})
