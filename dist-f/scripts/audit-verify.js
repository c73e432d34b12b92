import { Kysely } from 'kysely';
import { openSqliteReadOnly } from '../db/sqlite.js';
import { verifyChains } from '../plugins/audit/verify.js';
import { fail, operatorConfig } from './operator.js';
/**
 * `npm run audit:verify`: checks every audit chain of the configured database, read-only, and
 * exits 1 naming each broken chain (2 when the database cannot be read).
 */
const config = operatorConfig();
let storage;
try {
    storage = openSqliteReadOnly(config.databaseFile);
}
catch (err) {
    fail(`cannot open ${config.databaseFile}: ${err.message}`, 2);
}
const db = new Kysely({ dialect: storage.dialect });
let result;
try {
    result = await verifyChains(db);
}
catch (err) {
    await db.destroy();
    fail(`cannot verify ${config.databaseFile}: ${err.message}`, 2);
}
await db.destroy();
if (result.problems.length === 0) {
    process.stdout.write(`audit chains intact: ${result.chains} chains, ${result.events} events\n`);
}
else {
    for (const p of result.problems) {
        const where = [p.seq !== undefined ? `position ${p.seq}` : '', p.eventId !== undefined ? `event id ${p.eventId}` : ''].filter(Boolean).join(', ');
        process.stderr.write(`BROKEN chain ${p.chain}${where === '' ? '' : ` at ${where}`}: ${p.problem}\n`);
    }
    fail(`${new Set(result.problems.map((p) => p.chain)).size} of ${result.chains} audit chains are broken`);
}
//# sourceMappingURL=audit-verify.js.map