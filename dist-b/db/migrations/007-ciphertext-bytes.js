import { sql } from 'kysely';
const COPY_ROWS = 500;
/**
 * The queue keeps ciphertext as its bytes, not as the base64 text it travels in: a quarter
 * smaller, and the ciphertext is most of a queued row (a 1 KiB message now fits three rows to a
 * page instead of two). SQLite has no base64 decoder, so the rows are copied through here.
 */
export async function up(db) {
    await db.schema.createTable('messages_bytes')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('message', 'blob', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('ephemeral_key', 'text', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('messages_pk', ['recipient_id', 'seq'])
        .execute();
    for (let after = { recipient: '', seq: -1 };;) {
        const rows = await db.selectFrom('messages').selectAll()
            .where(sql `(recipient_id, seq) > (${after.recipient}, ${after.seq})`)
            .orderBy('recipient_id').orderBy('seq').limit(COPY_ROWS).execute();
        if (rows.length === 0)
            break;
        await db.insertInto('messages_bytes').values(rows.map((row) => ({ ...row, message: Buffer.from(row.message, 'base64') }))).execute();
        const last = rows[rows.length - 1];
        after = { recipient: last.recipient_id, seq: last.seq };
    }
    await db.schema.dropTable('messages').execute();
    await db.schema.alterTable('messages_bytes').renameTo('messages').execute();
}
export async function down() {
    throw new Error('migrations are forward-only');
}
//# sourceMappingURL=007-ciphertext-bytes.js.map