import { sql } from 'kysely';
/**
 * Per-device delivery. A device is a session that has connected to the relay; each has a
 * cursor: every message to its user up to `acked_seq` reached it (acked, or older than the
 * device). A queued message is deleted once every valid device's cursor passed it (or it
 * expired), so a device that was offline still receives what another device already acked.
 *
 * The queue is rebuilt keyed by `(recipient_id, seq)`: acked messages are now deleted by
 * sequence range, and the `id` index, the largest cost of each queued row, is no longer needed
 * (SQLite cannot drop a primary key in place).
 */
export async function up(db) {
    await db.schema.createTable('delivery_cursors')
        .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('acked_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('dropped', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await db.schema.createIndex('delivery_cursors_user').on('delivery_cursors').column('user_id').execute();
    await db.schema.createTable('messages_by_seq')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('ephemeral_key', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('messages_pk', ['recipient_id', 'seq'])
        .execute();
    await sql `insert into messages_by_seq (id, sender_id, recipient_id, seq, message, nonce, mac, ephemeral_key, timestamp, created_at)
    select id, sender_id, recipient_id, seq, message, nonce, mac, ephemeral_key, timestamp, created_at from messages`.execute(db);
    await db.schema.dropTable('messages').execute();
    await db.schema.alterTable('messages_by_seq').renameTo('messages').execute();
}
export async function down() {
    throw new Error('migrations are forward-only');
}
//# sourceMappingURL=006-device-cursors.js.map