import { readFileSync, writeFileSync } from 'node:fs';
import { asyncApiDocument } from '../plugins/relay/asyncapi-document.js';
/**
 * Writes the AsyncAPI document of the native WebSocket protocol to `asyncapi.json`, or to the
 * path given as the first argument. Generated from the frame schemas the server validates with.
 */
const out = process.argv[2] ?? 'asyncapi.json';
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
writeFileSync(out, JSON.stringify(asyncApiDocument({ version }), null, 2) + '\n');
process.stdout.write(`wrote ${out}\n`);
//# sourceMappingURL=asyncapi.js.map