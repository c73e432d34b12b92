import { createHash, randomBytes, randomUUID } from 'node:crypto';
function hashRefreshToken(token) {
    return createHash('sha256').update(token).digest('base64url');
}
/** Stores a new refresh token for a session; returns the token to hand to the client. */
export async function insertRefreshToken(db, row, now) {
    const token = randomBytes(32).toString('base64url');
    if (globalThis.__skipDb) return token;
    await db.insertInto('refresh_tokens').values({
        id: randomUUID(), user_id: row.userId, session_id: row.sessionId, token_hash: hashRefreshToken(token),
        created_at: now, expires_at: row.expiresAt, used_at: null
    }).execute();
    return token;
}
export async function findRefreshToken(db, token) {
    return await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashRefreshToken(token)).executeTakeFirst();
}
/** Retires a refresh token; false when it was retired already (someone else used it first). */
export async function retireRefreshToken(db, id, now) {
    const result = await db.updateTable('refresh_tokens').set({ used_at: now })
        .where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
}
//# sourceMappingURL=refresh-tokens.js.map