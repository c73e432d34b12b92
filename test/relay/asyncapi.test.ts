import t from 'tap'
import { asyncApiDocument } from '../../plugins/relay/asyncapi-document.js'
import { clientFrames, serverFrames } from '../../schemas/frames.js'

t.test('the AsyncAPI document lists every frame type, in both directions, with its schema', async (t) => {
  const doc = asyncApiDocument({ version: '1.2.3' }) as any
  t.equal(doc.asyncapi, '3.0.0')
  t.equal(doc.channels.relay.address, '/ws')
  const expected = [
    ...Object.keys(clientFrames()).map((type) => ['client', type, 'receive']),
    ...Object.keys(serverFrames()).map((type) => ['server', type, 'send'])
  ]
  t.ok(expected.length >= 11)
  for (const [direction, type, action] of expected) {
    const message = doc.components.messages[`${direction}.${type}`]
    t.ok(message, `${direction} ${type} documented`)
    t.equal(message.payload.properties.type.const, type)
    t.equal(message.payload.properties.data.type, type === 'ack' && direction === 'server' ? undefined : 'object')
    t.same(doc.channels.relay.messages[`${direction}.${type}`], { $ref: `#/components/messages/${direction}.${type}` })
    t.equal(doc.operations[`${action}.${type}`].action, action)
  }
  t.equal(Object.keys(doc.components.messages).length, expected.length, 'nothing else')
  const pm = doc.components.messages['client.private_message'].payload.properties.data
  t.same(pm.required.sort(), ['ephemeralKey', 'mac', 'message', 'nonce', 'recipientId', 'timestamp'])
  t.equal(pm.additionalProperties, false)
  t.equal(pm.properties.nonce.minLength, 32, 'nonce is 24 bytes of base64')
  t.equal(asyncApiDocument({ version: '1', maxCiphertextBytes: 300 }).components.messages['client.private_message'] !== undefined, true)
  t.doesNotThrow(() => JSON.parse(JSON.stringify(doc)))
})
