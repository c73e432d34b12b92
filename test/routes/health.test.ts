import t from 'tap'
import { build } from '../helper.js'

t.test('healthz and readyz answer on a fresh database', async (t) => {
  const { app } = await build(t)
  const health = await app.inject('/healthz')
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready' })
})

t.test('readyz answers 503 when the database is gone', async (t) => {
  const { app } = await build(t)
  await app.db.destroy()
  const ready = await app.inject('/readyz')
  t.equal(ready.statusCode, 503)
  t.equal(ready.json().code, 'unavailable')
})
