import { randomUUID } from 'node:crypto'
import t from 'tap'
import { build } from '../helper.js'
import { advanceDevices } from '../../plugins/relay/device-cursors.js'
import { deleteDelivered, insertMessages } from '../../plugins/relay/queue-store.js'

/** The queue writer's batched statements, with more devices and recipients than one statement takes. */

type App = Awaited<ReturnType<typeof build>>['app']

/** `count` users with one device each (a valid session and its delivery cursor at `ackedSeq`). */
async function devices (app: App, count: number, ackedSeq: number) {
  const now = Date.now()
  const made: Array<{ userId: string, sessionId: string }> = []
  for (let i = 0; i < count; i++) {
    const userId = randomUUID()
    const sessionId = randomUUID()
    await app.db.insertInto('users').values({ id: userId, username: `batch${i}`, password_hash: 'unused', public_key: 'unused', key_rotation_date: now, last_password_change: now, created_at: now }).execute()
    await app.db.insertInto('sessions').values({ id: sessionId, user_id: userId, token_hash: sessionId, created_at: now, expires_at: now + 3_600_000, last_activity: now }).execute()
    await app.db.insertInto('delivery_cursors').values({ session_id: sessionId, user_id: userId, acked_seq: ackedSeq }).execute()
    made.push({ userId, sessionId })
  }
  return made
}

const cursors = async (app: App) => new Map((await app.db.selectFrom('delivery_cursors').select(['session_id', 'acked_seq']).execute())
  .map((r) => [r.session_id, Number(r.acked_seq)]))

t.test('device cursors move forward in batches, never back, and a session that ended is skipped', async (t) => {
  const { app } = await build(t)
  const made = await devices(app, 901, 5)
  const moves = new Map(made.map(({ sessionId }, i) => [sessionId, i === 0 ? 3 : 5 + i]))
  moves.set(randomUUID(), 99)
  await app.db.transaction().execute(async (trx) => { await advanceDevices(trx, moves) })
  const after = await cursors(app)
  t.equal(after.size, 901, 'no cursor created for the session that does not exist')
  t.equal(after.get(made[0].sessionId), 5, 'a lower seq does not move a cursor back')
  t.ok(made.slice(1).every(({ sessionId }, i) => after.get(sessionId) === 6 + i), 'every other cursor moved to its own seq, across three statements')
})

t.test('delivered messages are deleted for every recipient, past the first 500, and only theirs', async (t) => {
  const { app } = await build(t)
  const made = await devices(app, 601, 1)
  const now = Date.now()
  // Every recipient has seq 1 (received) and seq 2 (not yet) queued; a sender is any of them.
  const rows = made.flatMap(({ userId }) => [1, 2].map((seq) => ({
    id: randomUUID(), sender_id: made[0].userId, recipient_id: userId, seq, message: Buffer.from('ciphertext'),
    nonce: 'n', mac: 'm', ephemeral_key: 'e', timestamp: now, created_at: now
  })))
  await insertMessages(app.db, rows)
  const deleted = await app.db.transaction().execute(async (trx) => await deleteDelivered(trx, [...made.map((m) => m.userId), randomUUID()], Date.now()))
  t.equal(deleted.size, 601, 'a count for every recipient with messages queued')
  t.ok([...deleted.values()].every((count) => count === 1), 'each lost exactly the message its device received')
  const left = await app.db.selectFrom('messages').select(['recipient_id', 'seq']).execute()
  t.equal(left.length, 601, 'what no device received stays')
  t.ok(left.every((r) => Number(r.seq) === 2), 'and it is the unreceived one')
})
