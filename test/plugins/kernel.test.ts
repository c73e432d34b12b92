import t from 'tap'
import fp from 'fastify-plugin'
import { buildServer } from '../../app.js'
import { loadConfig } from '../../plugins/config.js'
import { build, signedInUser, bearer, tempDir } from '../helper.js'
import example from '../fixtures/example-plugin.js'

t.test('an outside plugin adds a route, uses the db and receives the authenticated user', async (t) => {
  const { app } = await build(t, { plugins: [example] })
  const alice = await signedInUser(app, 'alice')
  const res = await app.inject({ method: 'POST', url: '/api/example/notes', headers: bearer(alice.token), payload: { text: 'hello' } })
  t.equal(res.statusCode, 201)
  t.same(res.json(), { id: 1, owner: alice.id })
  const anonymous = await app.inject({ method: 'POST', url: '/api/example/notes', payload: { text: 'hello' } })
  t.equal(anonymous.statusCode, 401, 'the kernel\'s error handler and auth apply to it')
  const invalid = await app.inject({ method: 'POST', url: '/api/example/notes', headers: bearer(alice.token), payload: { text: 5 } })
  t.equal(invalid.statusCode, 400)
  t.equal(invalid.json().code, 'validation_failed')
  t.ok((app.swagger() as { paths: object }).paths['/api/example/notes' as keyof object], 'and its route is documented')
})

t.test('a plugin whose dependency is missing fails at boot, naming it', async (t) => {
  const needsRedis = fp(async () => {}, { name: 'needs-redis', dependencies: ['redis-backplane'] })
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: tempDir(t), LOG_LEVEL: 'silent' })
  const app = buildServer({ config, plugins: [needsRedis] })
  t.teardown(() => app.close())
  await t.rejects(async () => { await app.ready() }, /needs-redis.*redis-backplane|redis-backplane.*needs-redis/)
})
