import t from 'tap'
import { build, signedInUser, registerUser, bearer } from '../helper.js'

t.test('the key directory answers a user\'s public key', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app, 'alice')
  const bob = await registerUser(app, 'bob')
  const res = await app.inject({ url: `/api/users/${bob.id}/key`, headers: bearer(alice.token) })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { userId: bob.id, publicKey: bob.publicKey.toString('base64'), keyRotationDate: Number })
})

t.test('the key directory answers 404 for an unknown user and 400 for a malformed id', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app, 'alice')
  const unknown = await app.inject({ url: `/api/users/${crypto.randomUUID()}/key`, headers: bearer(alice.token) })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'not_found')
  const malformed = await app.inject({ url: '/api/users/not-a-uuid/key', headers: bearer(alice.token) })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json().message, /userId/)
})

t.test('the online list is paginated and validates its query', async (t) => {
  const { app } = await build(t)
  const alice = await signedInUser(app, 'alice')
  const users = await Promise.all(['user1', 'user2', 'user3'].map((name) => registerUser(app, name)))
  for (const u of users) app.presence.connected(u.id, u.username, true)
  const hidden = await registerUser(app, 'hidden')
  app.presence.connected(hidden.id, hidden.username, false)

  const first = await app.inject({ url: '/api/users/online?limit=2', headers: bearer(alice.token) })
  t.equal(first.statusCode, 200)
  t.equal(first.json().items.length, 2)
  t.type(first.json().nextCursor, 'string')
  const second = await app.inject({ url: `/api/users/online?limit=2&cursor=${first.json().nextCursor}`, headers: bearer(alice.token) })
  t.equal(second.json().items.length, 1)
  t.equal(second.json().nextCursor, null)
  const all = [...first.json().items, ...second.json().items].map((i: { username: string }) => i.username).sort()
  t.same(all, ['user1', 'user2', 'user3'], 'every visible user once, hidden ones never')

  for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5']) {
    const res = await app.inject({ url: `/api/users/online?${query}`, headers: bearer(alice.token) })
    t.equal(res.statusCode, 400, query)
    t.match(res.json().message, /limit/, query)
  }
})
