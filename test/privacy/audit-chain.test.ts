import t from 'tap'
import { sql } from 'kysely'
import { bearer, build, login, registerUser, runScript, signedInUser } from '../helper.js'

const DAY = 86_400_000

/** `npm run audit:verify`'s script, run as a process on the test's database. */
function auditVerify (dataDir: string) {
  return runScript('audit-verify', [], { DATA_DIR: dataDir })
}

t.test('each user has a chain: every event links to the one before it', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  await login(app, alice)
  await app.inject({ method: 'POST', url: '/api/login', payload: { username: 'nobody-at-all', password: 'whatever-pass-1' } })
  const rows = await app.db.selectFrom('security_events').selectAll().orderBy('id').execute()
  const of = (userId: string | null) => rows.filter((r) => r.user_id === userId)
  t.same(of(alice.id).map((r) => r.chain_seq), [1, 2, 3], 'register and two logins')
  t.same(of(bob.id).map((r) => r.chain_seq), [1, 2])
  t.ok(of(null).length >= 1, 'events about no account are chained in the system chain')
  const aliceRows = of(alice.id)
  t.equal(aliceRows[0]!.prev_hash, '0'.repeat(64))
  t.equal(aliceRows[1]!.prev_hash, aliceRows[0]!.hash)
  t.equal(aliceRows[2]!.prev_hash, aliceRows[1]!.hash)
  t.same((await app.audit.verify()).problems, [])
})

t.test('verification catches an edited event, one deleted from the middle and one from the end', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  for (let i = 0; i < 3; i++) await login(app, alice)
  const events = () => app.db.selectFrom('security_events').selectAll().where('user_id', '=', alice.id).orderBy('chain_seq').execute()
  const [, second, third, , fifth] = await events()
  t.same((await app.audit.verify()).problems, [], 'intact at first')

  // An edited field.
  await app.db.updateTable('security_events').set({ event_data: '{"sessionId":"forged"}' }).where('id', '=', second!.id).execute()
  let problems = (await app.audit.verify()).problems
  t.equal(problems.length, 1)
  t.match(problems[0], { chain: alice.id, seq: 2, problem: /altered/ })
  await app.db.updateTable('security_events').set({ event_data: second!.event_data }).where('id', '=', second!.id).execute()
  t.same((await app.audit.verify()).problems, [], 'restored')

  // An edited field whose digest and hash were recomputed by someone without the rest of the chain.
  await app.db.updateTable('security_events').set({ created_at: 1 }).where('id', '=', third!.id).execute()
  t.match((await app.audit.verify()).problems[0], { seq: 3 })
  await app.db.updateTable('security_events').set({ created_at: third!.created_at }).where('id', '=', third!.id).execute()

  // The last event deleted: the head says there was one more.
  await app.db.deleteFrom('security_events').where('id', '=', fifth!.id).execute()
  problems = (await app.audit.verify()).problems
  t.match(problems[0], { chain: alice.id, problem: /removed from its end/ })

  // An event in the middle deleted.
  await app.db.deleteFrom('security_events').where('id', '=', third!.id).execute()
  problems = (await app.audit.verify()).problems
  t.match(problems[0], { chain: alice.id, seq: 4, problem: /missing/ })
})

t.test('npm run audit:verify exits 0 on intact chains and 1 naming the broken one', async (t) => {
  const { app, dataDir } = await build(t)
  const alice = await signedInUser(app)
  const bob = await signedInUser(app)
  const ok = auditVerify(dataDir)
  t.equal(ok.status, 0, ok.stderr)
  t.match(ok.stdout, /audit chains intact: \d+ chains, \d+ events/)

  const bobLogin = await app.db.selectFrom('security_events').select('id').where('user_id', '=', bob.id).where('event_type', '=', 'login_success').executeTakeFirstOrThrow()
  await app.db.updateTable('security_events').set({ event_type: 'logout' }).where('id', '=', bobLogin.id).execute()
  const broken = auditVerify(dataDir)
  t.equal(broken.status, 1)
  t.match(broken.stderr, new RegExp(`BROKEN chain ${bob.id} at position 2, event id ${bobLogin.id}: its fields were altered`))
  t.notMatch(broken.stderr, alice.id, 'the intact chain is not named')
  t.match(broken.stderr, /1 of \d+ audit chains are broken/)
})

t.test('per-type retention purges old events and what remains still verifies', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  for (let i = 0; i < 3; i++) await login(app, alice)
  await app.inject({ method: 'POST', url: '/api/login', payload: { username: alice.username, password: 'wrong-password-9' } })
  const rows = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', alice.id).orderBy('chain_seq').execute()
  t.same(rows.map((r) => r.event_type), ['register', 'login_success', 'login_success', 'login_success', 'login_success', 'login_failure'])
  // Age the rows: register and the first three logins are 40 days old, the rest 10 days.
  const now = Date.now()
  for (const row of rows) {
    const age = row.chain_seq <= 4 ? 40 * DAY : 10 * DAY
    await app.db.updateTable('security_events').set({ created_at: now - age }).where('id', '=', row.id).execute()
  }
  // The ages were changed behind the chain's back: re-seal them as if they had been written then.
  await reseal(app, alice.id)
  t.same((await app.audit.verify()).problems, [])
  const lastHash = (await app.db.selectFrom('security_events').select('hash').where('user_id', '=', alice.id).where('chain_seq', '=', 6).executeTakeFirstOrThrow()).hash

  // Logins kept 30 days, everything else 90: the register event (kept) stands before the old
  // logins (purged), so they lose their content but keep their link.
  const erased = await app.audit.purge({ defaultMs: 90 * DAY, byType: { login_success: 30 * DAY } }, now)
  t.equal(erased, 3)
  let left = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', alice.id).orderBy('chain_seq').execute()
  t.same(left.map((r) => [r.chain_seq, r.event_type]), [[1, 'register'], [2, 'purged'], [3, 'purged'], [4, 'purged'], [5, 'login_success'], [6, 'login_failure']])
  for (const row of left.filter((r) => r.purged === 1)) t.same([row.event_data, row.ip_address, Number(row.created_at)], ['{}', null, 0], 'nothing of a purged event is kept but its hashes')
  t.same((await app.audit.verify()).problems, [], 'erased events in the middle do not break verification')
  const listed = (await app.inject({ method: 'GET', url: '/api/me/security-events', headers: bearer(alice.token) })).json().items
  t.notOk(listed.some((e: { type: string }) => e.type === 'purged'), 'the owner does not see erased events')

  // A year later everything is past its time: the chain empties down to its anchor.
  await app.audit.purge({ defaultMs: 90 * DAY, byType: { login_success: 30 * DAY } }, now + 365 * DAY)
  left = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', alice.id).execute()
  t.same(left, [], 'the whole chain went')
  const chain = await app.db.selectFrom('audit_chains').selectAll().where('user_id', '=', alice.id).executeTakeFirstOrThrow()
  t.equal(chain.anchor_seq, 6)
  t.equal(chain.anchor_hash, lastHash, 'the anchor is the hash of the last event purged')
  t.same((await app.audit.verify()).problems, [])

  // New events continue the chain from the anchor.
  await login(app, alice)
  const next = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', alice.id).executeTakeFirstOrThrow()
  t.equal(next.chain_seq, 7)
  t.equal(next.prev_hash, chain.anchor_hash)
  t.same((await app.audit.verify()).problems, [])
})

t.test('a deleted event before the anchor is not missed: deleting the first kept one is caught', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  await login(app, alice)
  const [first] = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', alice.id).orderBy('chain_seq').execute()
  await app.db.deleteFrom('security_events').where('id', '=', first!.id).execute()
  t.match((await app.audit.verify()).problems[0], { chain: alice.id, problem: /missing/ })
})

t.test('the security-events route pages the caller\'s own events, newest first, and checks its query', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  const bob = await registerUser(app)
  for (let i = 0; i < 4; i++) await login(app, alice)
  await login(app, bob)
  const get = (query: string) => app.inject({ method: 'GET', url: `/api/me/security-events${query}`, headers: bearer(alice.token) })
  const first = (await get('?limit=2')).json()
  t.equal(first.items.length, 2)
  t.ok(first.items[0].id > first.items[1].id, 'newest first')
  const second = (await get(`?limit=2&cursor=${first.nextCursor}`)).json()
  const third = (await get(`?limit=2&cursor=${second.nextCursor}`)).json()
  const all = [...first.items, ...second.items, ...third.items]
  t.equal(all.length, 6, 'register and five logins, none of bob\'s')
  t.equal(third.nextCursor, null)
  t.same(all.map((e: { type: string }) => e.type).at(-1), 'register')
  for (const q of ['?limit=0', '?limit=101', '?limit=x', '?cursor=abc', '?cursor=-1', '?cursor=1e5', '?other=1']) {
    const res = await get(q)
    if (q === '?other=1') { t.equal(res.statusCode, 200, 'unknown query fields are dropped'); continue }
    t.equal(res.statusCode, 400, q)
    t.equal(res.json().code, 'validation_failed', q)
  }
  t.equal((await app.inject({ method: 'GET', url: '/api/me/security-events' })).statusCode, 401)
})

t.test('rate-limit trips are security events, once per window', async (t) => {
  const { app } = await build(t, { env: { RATE_LIMIT_MAX: '3' } })
  const alice = await signedInUser(app)
  const codes: number[] = []
  for (let i = 0; i < 6; i++) codes.push((await app.inject({ method: 'GET', url: '/api/me', headers: bearer(alice.token) })).statusCode)
  t.same(codes.slice(3), [429, 429, 429])
  const trips = await app.db.selectFrom('security_events').select('event_type').where('user_id', '=', alice.id).where('event_type', '=', 'rate_limited').execute()
  t.equal(trips.length, 1)
})

/** Recomputes a chain's digests and hashes from its current rows (test setup for aged rows). */
async function reseal (app: Awaited<ReturnType<typeof build>>['app'], userId: string) {
  const { eventDigest, chainHash, GENESIS_HASH } = await import('../../plugins/audit/chain-hash.js')
  const rows = await app.db.selectFrom('security_events').selectAll().where('user_id', '=', userId).orderBy('chain_seq').execute()
  let prev = GENESIS_HASH
  for (const row of rows) {
    const digest = eventDigest({ userId, type: row.event_type, data: row.event_data, createdAt: Number(row.created_at) })
    const hash = chainHash(prev, row.chain_seq, digest)
    await app.db.updateTable('security_events').set({ prev_hash: prev, digest, hash }).where('id', '=', row.id).execute()
    prev = hash
  }
  await sql`update audit_chains set head_hash = ${prev} where user_id = ${userId}`.execute(app.db)
}

t.test('an event moved out of any chain is reported', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app)
  await app.db.deleteFrom('audit_chains').where('user_id', '=', alice.id).execute()
  const problems = (await app.audit.verify()).problems
  t.equal(problems.length, 2, 'register and login')
  t.match(problems[0], { chain: alice.id, problem: /belongs to no chain/ })
})
