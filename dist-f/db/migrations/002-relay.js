/**
 * The relay's offline queue: ciphertext and its envelope only, for recipients that have not
 * acked it yet, and one cursor row per recipient (last sequence number used, messages dropped
 * since the recipient last heard about it).
 */
export async function up(db) {
    await db.schema.createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('ephemeral_key', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('messages_recipient_seq').on('messages').columns(['recipient_id', 'seq']).unique().execute();
    await db.schema.createIndex('messages_sender').on('messages').column('sender_id').execute();
    await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();
    await db.schema.createTable('relay_cursors')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('dropped', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
}
export async function down() {
    throw new Error('migrations are forward-only');
}
//# sourceMappingURL=002-relay.js.map