import { join } from 'node:path'
import t from 'tap'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { build, type TestContext } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

type Pair = Awaited<ReturnType<typeof pair>>

/**
 * A database as migrations 002 and 005 left it: the queue keyed by message id, ciphertext as
 * base64 text, `count` messages from alice to bob in it.
 */
async function beforeMigration006 (t: TestContext, count: number): Promise<{ dataDir: string } & Pair> {
  const first = await build(t, { env: RELAY_TEST_ENV })
  const users = await pair(first.app)
  await first.app.close()
  const { alice, bob } = users
  const file = new SQLite(join(first.dataDir, 'quietwire.db'))
  file.exec(`
    drop table delivery_cursors;
    drop table messages;
    delete from kysely_migration where name in ('006-device-cursors', '007-ciphertext-bytes');
    create table messages (id text primary key, sender_id text not null references users(id) on delete cascade,
      recipient_id text not null references users(id) on delete cascade, seq bigint not null, message text not null,
      nonce text not null, mac text not null, ephemeral_key text not null, timestamp bigint not null, created_at bigint not null);
    create unique index messages_recipient_seq on messages (recipient_id, seq);
  `)
  const insert = file.prepare('insert into messages values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  for (let seq = 1; seq <= count; seq++) {
    const { data } = messageTo(bob, `old ${seq}`)
    insert.run(`00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, alice.id, bob.id, seq, data.message, data.nonce, data.mac, data.ephemeralKey, data.timestamp, Date.now())
  }
  file.prepare('insert into relay_cursors (user_id, last_seq) values (?, ?) on conflict (user_id) do update set last_seq = excluded.last_seq').run(bob.id, count)
  file.close()
  return { dataDir: first.dataDir, ...users }
}

/**
 * A database from before per-device delivery (migration 006) and ciphertext kept as bytes
 * (007): its queue is carried over, and the user's first device receives all of it.
 */
t.test('messages queued before migrations 006 and 007 survive them and reach the first device', async (t) => {
  const first = await beforeMigration006(t, 3)
  const { alice, bob } = first
  const second = await build(t, { listen: true, env: RELAY_TEST_ENV, dataDir: first.dataDir })
  const stored = await sql<{ type: string }>`select typeof(message) as type from messages`.execute(second.app.db)
  t.same(stored.rows.map((r) => r.type), ['blob', 'blob', 'blob'], 'migration 007 turned the base64 text into bytes')
  const b = (await Client.ready(second.url, bob.token)).autoAck()
  const frames = await b.count('private_message', 3)
  t.same(frames.map((f) => open(f.data, bob.secretKey)), ['old 1', 'old 2', 'old 3'])
  t.same(frames.map((f) => f.data.id), [1, 2, 3].map((seq) => `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`), 'ids carried over')

  const a = await Client.ready(second.url, alice.token)
  a.send(messageTo(bob, 'new', 'n'))
  t.equal((await b.next((f) => f.data?.seq === 4)).type, 'private_message', 'numbering carries on')
  a.ws.terminate()
  b.ws.terminate()
})

t.test('migration 007 copies a queue longer than its copy batch, each ciphertext byte for byte', async (t) => {
  const { dataDir } = await beforeMigration006(t, 1201)
  const before = new SQLite(join(dataDir, 'quietwire.db'), { readonly: true })
  const text = before.prepare('select seq, message from messages order by seq').all() as Array<{ seq: number, message: string }>
  before.close()
  const { app } = await build(t, { env: RELAY_TEST_ENV, dataDir })
  const rows = await app.db.selectFrom('messages').select(['seq', 'message']).orderBy('seq').execute()
  t.equal(rows.length, 1201, 'every row copied')
  t.ok(rows.every((row, i) => Number(row.seq) === text[i].seq && row.message.equals(Buffer.from(text[i].message, 'base64'))), 'each the bytes its base64 encoded')
})
