import t from 'tap'
import { build } from '../helper.js'

// POST routes that take no body at all: everything else that writes must declare its body.
const BODYLESS = new Set(['POST /api/logout', 'POST /api/me/2fa/setup'])

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  parameters?: Array<{ in: string, name: string, schema?: unknown }>
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>, description?: string }>
}

t.test('the OpenAPI document is served and every route has request and response schemas', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/docs/json')
  t.equal(res.statusCode, 200)
  const document = res.json() as { openapi: string, paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, unknown> } }
  t.match(document.openapi, /^3\./)
  t.ok(document.components.schemas.ErrorResponse, 'shared schemas keep their names')
  t.notOk(Object.keys(document.components.schemas).some((name) => name.startsWith('def-')), 'no anonymous def-N components')

  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, path, op] as const))
  t.ok(operations.length >= 7)
  for (const [name, path, op] of operations) {
    const responses = Object.entries(op.responses ?? {})
    const success = responses.filter(([code]) => code.startsWith('2'))
    t.ok(success.length > 0, `${name} documents its success reply`)
    for (const [code, response] of success) {
      t.ok(code === '204' || response.content?.['application/json']?.schema !== undefined, `${name} ${code} has a schema`)
    }
    const errors = responses.filter(([code]) => /^[45]/.test(code))
    // Liveness has no failure reply: a dead process does not answer.
    if (name !== 'GET /healthz') t.ok(errors.length > 0, `${name} documents its errors`)
    for (const [code, response] of errors) {
      t.match(JSON.stringify(response.content), /ErrorResponse/, `${name} ${code} uses the shared error shape`)
    }
    for (const param of path.match(/\{[^}]+\}/g) ?? []) {
      const documented = (op.parameters ?? []).find((p) => p.in === 'path' && `{${p.name}}` === param)
      t.ok(documented?.schema, `${name} documents ${param}`)
    }
    if (/^(POST|PUT|PATCH) /.test(name) && !BODYLESS.has(name)) {
      t.ok(op.requestBody?.content?.['application/json']?.schema, `${name} has a request body schema`)
    }
  }
})

t.test('the AsyncAPI document of the WebSocket protocol is served beside it', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/docs/asyncapi.json')
  t.equal(res.statusCode, 200)
  const document = res.json()
  t.match(document.asyncapi, /^[23]\./)
  for (const frame of ['private_message', 'presence_update', 'user_presence', 'ack', 'error']) {
    t.ok(JSON.stringify(document).includes(frame), frame)
  }
})
