import t from 'tap'
import { Value } from '@sinclair/typebox/value'
import { build, signedInUser, bearer } from '../helper.js'
import { ErrorResponse } from '../../schemas/common.js'

interface Schema { type?: string | string[], properties?: Record<string, Schema>, required?: string[] }
interface Operation {
  security?: unknown[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  parameters?: Array<{ in: string, name: string, schema?: Schema }>
}

const typeOf = (schema: Schema | undefined) => Array.isArray(schema?.type) ? schema.type[0] : schema?.type

/** A value of the wrong JSON type for a property, with no coercion that could make it right. */
function wrongTypeFor (schema: Schema): unknown {
  const type = typeOf(schema)
  if (type === 'string') return 12345
  if (type === 'integer' || type === 'number') return '30'
  if (type === 'boolean') return 'true'
  if (type === 'array') return { not: 'an array' }
  return 'not an object'
}

/**
 * Every REST route of the OpenAPI document, fed malformed input: a body that is not JSON, not an
 * object, missing what it requires, with each field of the wrong type or far too long, a
 * prototype-polluting key, the wrong content type; path parameters that are not ids; query
 * parameters of the wrong type, too long or repeated. Each must be a 4xx naming the problem in
 * the shared error shape (a code from the one table), never a 500. Driven by the document, so a
 * route added later is covered without editing this file.
 */
t.test('every route answers malformed input with a 4xx error, never a 500', async (t) => {
  const { app, logs } = await build(t, { env: { RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '100000' } })
  const alice = await signedInUser(app)
  const document = app.swagger() as { paths: Record<string, Record<string, Operation>> }
  const id = '0b6f2f52-8f35-4f1c-9d0e-3f1d1c2b7a10'

  let requests = 0
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`
      const headers = (op.security ?? []).length > 0 ? bearer(alice.token) : {}
      const send = async (what: string, url: string, body?: { payload: string, type: string }) => {
        const res = await app.inject({
          method: method.toUpperCase() as 'POST',
          url,
          headers: body === undefined ? headers : { ...headers, 'content-type': body.type },
          payload: body?.payload
        })
        requests++
        t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}, ${what}: ${res.statusCode}`)
        const reply = res.json() as { statusCode?: unknown }
        t.ok(Value.Check(ErrorResponse, reply) && reply.statusCode === res.statusCode, `${name}, ${what}: ${res.body.slice(0, 160)}`)
      }

      const url = path.replace(/\{[^}]+\}/g, id)
      if ((op.parameters ?? []).some((p) => p.in === 'path')) {
        const badParams = [
          ['a path parameter that is not an id', 'not-an-id'],
          ['a path parameter 600 characters long', 'a'.repeat(600)],
          ['a path parameter with broken percent-encoding', '%E0%A4%A']
        ]
        for (const [what, value] of badParams) await send(what, path.replace(/\{[^}]+\}/g, value))
      }

      for (const query of (op.parameters ?? []).filter((p) => p.in === 'query')) {
        const numeric = typeOf(query.schema) === 'integer' || typeOf(query.schema) === 'number'
        const values = numeric ? ['abc', '1.5e400', '1&' + query.name + '=2'] : ['x'.repeat(5000), 'a&' + query.name + '=b']
        for (const value of values) await send(`query ${query.name}=${value.slice(0, 20)}`, `${url}?${query.name}=${value}`)
      }

      const schema = op.requestBody?.content?.['application/json']?.schema
      if (schema === undefined) continue
      const json = (value: unknown) => ({ payload: JSON.stringify(value), type: 'application/json' })
      await send('a body that is not JSON', url, { payload: '{"username": ', type: 'application/json' })
      await send('a JSON array', url, json([]))
      await send('JSON null', url, json(null))
      await send('a JSON string', url, json('text'))
      await send('a form instead of JSON', url, { payload: 'a=b', type: 'application/x-www-form-urlencoded' })
      await send('a __proto__ key', url, { payload: '{"__proto__": {"admin": true}}', type: 'application/json' })
      if ((schema.required ?? []).length > 0) await send('an empty object', url, json({}))
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        await send(`${field} of the wrong type`, url, json({ [field]: wrongTypeFor(property) }))
        if (typeOf(property) === 'string') await send(`${field} 100,000 characters long`, url, json({ [field]: 'x'.repeat(100_000) }))
      }
    }
  }
  t.ok(requests >= 100, `${requests} malformed requests`)
  t.ok(logs.length > 0, 'the server logged its requests')
  t.notOk(logs.some((line) => /"level":(50|60)/.test(line)), 'nothing was logged as a server error')
  const me = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(alice.token) })
  t.equal(me.statusCode, 200, 'the session that sent them all still works')
})
