import { Ref, clientFrames, serverFrames } from '../../schemas/frames.js';
/** A frame schema as plain JSON Schema: TypeBox's symbols dropped. */
const plain = (schema) => JSON.parse(JSON.stringify(schema));
function envelope(type, data, withRef) {
    return {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'data'],
        properties: {
            type: { const: type },
            ...(withRef ? { ref: plain(Ref) } : {}),
            data: plain(data)
        }
    };
}
/**
 * The AsyncAPI 3.0 document of the native WebSocket protocol, built from the same TypeBox
 * schemas the server validates frames with (schemas/frames.ts). It describes the server:
 * it receives client frames and sends server frames on the one `/ws` channel.
 */
export function asyncApiDocument(options) {
    const inbound = clientFrames(options.maxCiphertextBytes);
    const outbound = serverFrames(options.maxCiphertextBytes);
    const messages = {};
    const channelMessages = {};
    const operations = {};
    for (const [direction, frames, action] of [['client', inbound, 'receive'], ['server', outbound, 'send']]) {
        for (const [type, frame] of Object.entries(frames)) {
            const name = `${direction}.${type}`;
            messages[name] = {
                name: type,
                title: `${type} (${direction} to ${direction === 'client' ? 'server' : 'client'})`,
                summary: frame.summary,
                ...(frame.reply === undefined ? {} : { description: `Reply: ${frame.reply}` }),
                contentType: 'application/json',
                payload: envelope(type, frame.data, true)
            };
            channelMessages[name] = { $ref: `#/components/messages/${name}` };
            operations[`${action}.${type}`] = {
                action,
                channel: { $ref: '#/channels/relay' },
                summary: frame.summary,
                messages: [{ $ref: `#/channels/relay/messages/${name}` }]
            };
        }
    }
    return {
        asyncapi: '3.0.0',
        info: {
            title: 'quietwire relay (native WebSocket protocol)',
            version: options.version,
            description: 'End-to-end-encrypted messages relayed as ciphertext. JSON text frames `{type, ref?, data}`; see docs/PROTOCOL.md for authentication, acks and the delivery contract.'
        },
        defaultContentType: 'application/json',
        servers: {
            relay: { host: options.host ?? 'localhost:3001', protocol: 'wss', pathname: '/ws', description: 'Authenticate with an Authorization: Bearer header or a first auth frame' }
        },
        channels: {
            relay: { address: '/ws', title: 'The relay socket', messages: channelMessages }
        },
        operations,
        components: { messages }
    };
}
//# sourceMappingURL=asyncapi-document.js.map