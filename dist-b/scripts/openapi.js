import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../app.js';
import { loadConfig } from '../plugins/config.js';
/**
 * Writes the OpenAPI document (the one served at /docs/json) to `openapi.json`, or to the path
 * given as the first argument. Builds the kernel on a throw-away database: the document depends
 * on the routes only.
 */
const out = process.argv[2] ?? 'openapi.json';
const scratch = mkdtempSync(join(tmpdir(), 'quietwire-openapi-'));
try {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: scratch, LOG_LEVEL: 'silent' });
    const app = buildServer({ config });
    await app.ready();
    writeFileSync(out, JSON.stringify(app.swagger(), null, 2) + '\n');
    await app.close();
    process.stdout.write(`wrote ${out}\n`);
}
finally {
    rmSync(scratch, { recursive: true, force: true });
}
//# sourceMappingURL=openapi.js.map