import { join } from 'node:path'
import t from 'tap'
import SQLite from 'better-sqlite3'
import { build } from '../helper.js'
import { Client, RELAY_TEST_ENV, messageTo, open, pair } from './client.js'

/**
 * A database from before per-device delivery (migration 006): its queue, keyed by message id,
 * is carried over, and the user's first device receives all of it.
 */
t.test('messages queued before migration 006 survive it and reach the first device', async (t) => {
  const first = await build(t, { env: RELAY_TEST_ENV })
  const { alice, bob } = await pair(first.app)
  await first.app.close()

  // The queue as migrations 002 and 005 left it, with three messages for bob.
  const file = new SQLite(join(first.dataDir, 'quietwire.db'))
  file.exec(`
    drop table delivery_cursors;
    drop table messages;
    delete from kysely_migration where name = '006-device-cursors';
    create table messages (id text primary key, sender_id text not null references users(id) on delete cascade,
      recipient_id text not null references users(id) on delete cascade, seq bigint not null, message text not null,
      nonce text not null, mac text not null, ephemeral_key text not null, timestamp bigint not null, created_at bigint not null);
    create unique index messages_recipient_seq on messages (recipient_id, seq);
  `)
  const insert = file.prepare('insert into messages values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  for (let seq = 1; seq <= 3; seq++) {
    const { data } = messageTo(bob, `old ${seq}`)
    insert.run(`00000000-0000-4000-8000-00000000000${seq}`, alice.id, bob.id, seq, data.message, data.nonce, data.mac, data.ephemeralKey, data.timestamp, Date.now())
  }
  file.prepare("insert into relay_cursors (user_id, last_seq) values (?, 3) on conflict (user_id) do update set last_seq = 3").run(bob.id)
  file.close()

  const second = await build(t, { listen: true, env: RELAY_TEST_ENV, dataDir: first.dataDir })
  const b = (await Client.ready(second.url, bob.token)).autoAck()
  const frames = await b.count('private_message', 3)
  t.same(frames.map((f) => open(f.data, bob.secretKey)), ['old 1', 'old 2', 'old 3'])
  t.same(frames.map((f) => f.data.id), [1, 2, 3].map((seq) => `00000000-0000-4000-8000-00000000000${seq}`), 'ids carried over')

  const a = await Client.ready(second.url, alice.token)
  a.send(messageTo(bob, 'new', 'n'))
  t.equal((await b.next((f) => f.data?.seq === 4)).type, 'private_message', 'numbering carries on')
  a.ws.terminate()
  b.ws.terminate()
})
