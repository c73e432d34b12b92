/**
 * Fewer B-trees for the offline queue: every queued row was written into five (the table, its
 * `id` key, `(recipient_id, seq)`, `sender_id`, `created_at`), which bounded the store rate.
 *
 * - `messages_created` served only the per-recipient deletion of the retention purge, which
 *   finds its recipients by scanning the whole queue first anyway; that deletion now walks the
 *   recipient's part of `(recipient_id, seq)` instead.
 * - `messages_sender` served only account deletion (the queued messages a user sent, directly
 *   and through the foreign key's cascade). That is rare, user-initiated, and the retention
 *   purge already scans the queue periodically, so a scan there is cheaper overall than an index
 *   write on every queued message.
 */
export async function up(db) {
    await db.schema.dropIndex('messages_created').ifExists().execute();
    await db.schema.dropIndex('messages_sender').ifExists().execute();
}
export async function down() {
    throw new Error('migrations are forward-only');
}
//# sourceMappingURL=005-queue-indexes.js.map