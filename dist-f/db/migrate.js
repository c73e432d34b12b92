import { Migrator } from 'kysely';
import { migrations } from './migrations/index.js';
/** Brings the schema up to date; throws with the failing migration's name and error. */
export async function migrateToLatest(db) {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error, results = [] } = await migrator.migrateToLatest();
    const failed = results.find((r) => r.status === 'Error');
    if (error !== undefined) {
        throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error.message ?? error)}`);
    }
    return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
//# sourceMappingURL=migrate.js.map