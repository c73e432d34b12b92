import { CompiledQuery, sql } from 'kysely';
import { countDrops, deliveredFloor } from './device-cursors.js';
import { chunksOf } from './chunks.js';
const DAY_MS = 86_400_000;
/** Queued messages for a recipient after `afterSeq`, oldest first. */
export async function pageFor(db, recipientId, afterSeq, limit) {
    return await db.selectFrom('messages').selectAll()
        .where('recipient_id', '=', recipientId).where('seq', '>', afterSeq)
        .orderBy('seq').limit(limit).execute();
}
/** Whether a user exists, and the last sequence number given to a message for them. */
export async function recipientState(db, userId) {
    const row = await db.selectFrom('users').leftJoin('relay_cursors', 'relay_cursors.user_id', 'users.id')
        .select(['users.id', 'relay_cursors.last_seq']).where('users.id', '=', userId).executeTakeFirst();
    return row === undefined ? undefined : { lastSeq: Number(row.last_seq ?? 0) };
}
const MESSAGE_COLUMNS = ['id', 'sender_id', 'recipient_id', 'seq', 'message', 'nonce', 'mac', 'ephemeral_key', 'timestamp', 'created_at'];
// 10 columns a row: 90 rows stay well under SQLite's bound-parameter limit.
const INSERT_ROWS = 90;
/**
 * The SQL of an insert of `count` queue rows, per dialect. kysely builds and compiles the same
 * statement anew for every batch, which cost about 3 µs a row, a twentieth of the store path;
 * the text depends only on the number of rows, so it is compiled once per count.
 */
const insertTexts = new WeakMap();
function insertText(db, count) {
    const adapter = db.getExecutor().adapter;
    let texts = insertTexts.get(adapter);
    if (texts === undefined)
        insertTexts.set(adapter, texts = new Map());
    let text = texts.get(count);
    if (text === undefined) {
        const placeholder = Object.fromEntries(MESSAGE_COLUMNS.map((column) => [column, null]));
        const compiled = db.insertInto('messages').values(new Array(count).fill(placeholder)).compile();
        if (compiled.parameters.length !== count * MESSAGE_COLUMNS.length)
            throw new Error('the queue insert does not bind one parameter per column');
        text = compiled.sql;
        texts.set(count, text);
    }
    return text;
}
export async function insertMessages(db, rows) {
    for (const chunk of chunksOf(rows, INSERT_ROWS)) {
        const parameters = [];
        for (const row of chunk)
            for (const column of MESSAGE_COLUMNS)
                parameters.push(row[column]);
        await db.executeQuery(CompiledQuery.raw(insertText(db, chunk.length), parameters));
    }
}
/**
 * Deletes the queued messages every valid device of each recipient has received. Returns how
 * many rows each recipient with queued messages lost. Most recipients whose devices moved on
 * had everything delivered live and have nothing queued: one query finds those that do, so
 * the deletion runs only for them (thousands of active devices once took a statement each,
 * every second).
 */
export async function deleteDelivered(db, recipientIds, now) {
    const deleted = new Map();
    for (const ids of chunksOf([...recipientIds], 500)) {
        const queued = await db.selectFrom('messages').select('recipient_id').distinct()
            .where('recipient_id', 'in', ids).execute();
        for (const { recipient_id: recipientId } of queued) {
            const result = await db.deleteFrom('messages').where('recipient_id', '=', recipientId)
                .where('seq', '<=', deliveredFloor(db, recipientId, now)).executeTakeFirst();
            deleted.set(recipientId, Number(result.numDeletedRows));
        }
    }
    return deleted;
}
/** Records the last sequence numbers used (only ever moves them up), in one statement per 400. */
export async function saveCursors(db, cursors) {
    const rows = [...cursors].map(([userId, lastSeq]) => ({ user_id: userId, last_seq: lastSeq }));
    for (const chunk of chunksOf(rows, 400)) {
        await db.insertInto('relay_cursors').values(chunk)
            .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_seq: sql `case when excluded.last_seq > relay_cursors.last_seq then excluded.last_seq else relay_cursors.last_seq end` }))
            .execute();
    }
}
/**
 * Drops the oldest queued messages beyond `quota` for each of the recipients (one count query
 * for all of them); returns how many each lost, and how many each has queued now.
 */
export async function enforceQuota(db, recipientIds, quota, now) {
    const lost = new Map();
    const counts = new Map(recipientIds.map((id) => [id, 0]));
    for (const ids of chunksOf(recipientIds, 500)) {
        const rows = await db.selectFrom('messages').select(['recipient_id', (eb) => eb.fn.countAll().as('count')])
            .where('recipient_id', 'in', ids).groupBy('recipient_id').execute();
        for (const { recipient_id: recipientId, count } of rows) {
            const excess = Number(count) - quota;
            counts.set(recipientId, Math.min(Number(count), quota));
            if (excess <= 0)
                continue;
            const last = await db.selectFrom('messages').select('seq').where('recipient_id', '=', recipientId)
                .orderBy('seq').limit(1).offset(excess - 1).executeTakeFirstOrThrow();
            await countDrops(db, recipientId, 'seq', Number(last.seq), excess, now);
            await db.deleteFrom('messages').where('recipient_id', '=', recipientId).where('seq', '<=', last.seq).execute();
            lost.set(recipientId, excess);
        }
    }
    return { lost, counts };
}
/**
 * Deletes queued ciphertext older than its recipient's retention period, counting the loss for
 * each device so it is told, and what every device has received (a device that ended may have
 * been the last to hold it). Returns the recipients and how many messages each lost.
 */
export async function purgeExpired(db, now) {
    return await db.transaction().execute(async (trx) => {
        const expired = await trx.selectFrom('messages').innerJoin('users', 'users.id', 'messages.recipient_id')
            .select(['messages.recipient_id as recipientId', (eb) => eb.fn.countAll().as('count')])
            .where(sql `messages.created_at < ${now} - users.data_retention_days * ${DAY_MS}`)
            .groupBy('messages.recipient_id').execute();
        const lost = new Map();
        for (const { recipientId, count } of expired) {
            const cutoff = now - await retentionDays(trx, recipientId) * DAY_MS;
            await countDrops(trx, recipientId, 'created_at', cutoff, Number(count), now);
            await trx.deleteFrom('messages').where('recipient_id', '=', recipientId).where('created_at', '<', cutoff).execute();
            lost.set(recipientId, Number(count));
        }
        const queuedFor = await trx.selectFrom('messages').select('recipient_id').distinct().execute();
        await deleteDelivered(trx, queuedFor.map((r) => r.recipient_id), now);
        return lost;
    });
}
async function retentionDays(db, userId) {
    const row = await db.selectFrom('users').select('data_retention_days').where('id', '=', userId).executeTakeFirstOrThrow();
    return row.data_retention_days;
}
/** Queued ciphertext waiting for a user: envelope fields only, oldest first. */
export async function exportFor(db, userId) {
    const rows = await db.selectFrom('messages')
        .select(['id', 'sender_id', 'seq', 'message', 'nonce', 'mac', 'ephemeral_key', 'timestamp', 'created_at'])
        .where('recipient_id', '=', userId).orderBy('seq').execute();
    return rows.map((r) => ({
        id: r.id, senderId: r.sender_id, seq: Number(r.seq), message: r.message.toString('base64'), nonce: r.nonce,
        mac: r.mac, ephemeralKey: r.ephemeral_key, timestamp: Number(r.timestamp), queuedAt: Number(r.created_at)
    }));
}
/** Deletes every queued message to or from a user; returns how many. */
export async function deleteFor(db, userId) {
    const result = await db.deleteFrom('messages').where((eb) => eb.or([eb('recipient_id', '=', userId), eb('sender_id', '=', userId)])).executeTakeFirst();
    return Number(result.numDeletedRows);
}
//# sourceMappingURL=queue-store.js.map