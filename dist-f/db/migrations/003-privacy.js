import { sql } from 'kysely';
import { GENESIS_HASH, chainHash, eventDigest } from '../../plugins/audit/chain-hash.js';
/**
 * The tamper-evident audit trail: every security event is chained per user (the system chain
 * holds events with no user) by a SHA-256 hash over the previous hash, its position and a
 * digest of its fields. `audit_chains` keeps each chain's head, so a removed last event shows,
 * and its anchor, the hash of the last event purged by retention, so purging keeps what
 * remains verifiable.
 */
export async function up(db) {
    await db.schema.alterTable('security_events').addColumn('chain_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('security_events').addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('security_events').addColumn('digest', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('security_events').addColumn('hash', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('security_events').addColumn('purged', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createTable('audit_chains')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('head_seq', 'integer', (c) => c.notNull())
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('anchor_seq', 'integer', (c) => c.notNull())
        .addColumn('anchor_hash', 'text', (c) => c.notNull())
        .execute();
    // One chain per user and one system chain (user_id null): coalesce makes the nulls collide too.
    await sql `create unique index audit_chains_user on audit_chains (coalesce(user_id, ''))`.execute(db);
    await db.schema.createIndex('security_events_purge').on('security_events').columns(['purged', 'created_at']).execute();
    await chainExistingEvents(db);
}
/** Events recorded before this migration join their chains in the order they were written. */
async function chainExistingEvents(db) {
    const rows = await db.selectFrom('security_events').selectAll().orderBy('id').execute();
    const heads = new Map();
    for (const row of rows) {
        const head = heads.get(row.user_id) ?? { seq: 0, hash: GENESIS_HASH };
        const seq = head.seq + 1;
        const digest = eventDigest({ userId: row.user_id, type: row.event_type, data: row.event_data, createdAt: Number(row.created_at) });
        const hash = chainHash(head.hash, seq, digest);
        await db.updateTable('security_events').set({ chain_seq: seq, prev_hash: head.hash, digest, hash }).where('id', '=', row.id).execute();
        heads.set(row.user_id, { seq, hash });
    }
    for (const [userId, head] of heads) {
        await db.insertInto('audit_chains').values({ user_id: userId, head_seq: head.seq, head_hash: head.hash, anchor_seq: 0, anchor_hash: GENESIS_HASH }).execute();
    }
}
export async function down() {
    throw new Error('migrations are forward-only');
}
//# sourceMappingURL=003-privacy.js.map