import { createHash, randomBytes, randomUUID } from 'node:crypto';
/** Queries on the sessions table. Only a hash of each token id is stored. */
export function hashTokenId(tokenId) {
    return createHash('sha256').update(tokenId).digest('base64url');
}
/** Creates a session; returns its public id and the secret token id to put in the JWT. */
export async function createSession(db, session, now) {
    const sessionId = randomUUID();
    const tokenId = randomBytes(24).toString('base64url');
    await db.insertInto('sessions').values({
        id: sessionId,
        user_id: session.userId,
        token_hash: hashTokenId(tokenId),
        created_at: now,
        expires_at: session.expiresAt,
        last_activity: now,
        device_label: session.deviceLabel ?? null,
        ip_address: session.ipAddress ?? null,
        user_agent: session.userAgent ?? null
    }).execute();
    return { sessionId, tokenId };
}
/** The valid, unexpired session a token id belongs to. */
export async function findActiveSession(db, tokenId, now) {
    return await db.selectFrom('sessions').selectAll()
        .where('token_hash', '=', hashTokenId(tokenId))
        .where('is_valid', '=', 1)
        .where('expires_at', '>', now)
        .executeTakeFirst();
}
export async function touchSession(db, sessionId, now) {
    await db.updateTable('sessions').set({ last_activity: now }).where('id', '=', sessionId).execute();
}
/** Ends one session; returns whether it was still valid. */
export async function invalidateSession(db, sessionId) {
    const result = await db.updateTable('sessions').set({ is_valid: 0 })
        .where('id', '=', sessionId).where('is_valid', '=', 1).executeTakeFirst();
    return result.numUpdatedRows > 0n;
}
/** Ends every valid session of a user but `exceptSessionId`; returns the ids ended. */
export async function invalidateUserSessions(db, userId, exceptSessionId) {
    let query = db.updateTable('sessions').set({ is_valid: 0 }).where('user_id', '=', userId).where('is_valid', '=', 1);
    if (exceptSessionId !== undefined)
        query = query.where('id', '!=', exceptSessionId);
    const rows = await query.returning('id').execute();
    return rows.map((r) => r.id);
}
export async function findSessionById(db, sessionId) {
    return await db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
}
/**
 * Gives a session a new token id and returns it: access tokens carrying the old one stop working,
 * so a refresh also retires the access token it replaces.
 */
export async function rotateSessionTokenId(db, sessionId, now) {
    const tokenId = randomBytes(24).toString('base64url');
    await db.updateTable('sessions').set({ token_hash: hashTokenId(tokenId), last_activity: now }).where('id', '=', sessionId).execute();
    return tokenId;
}
/**
 * A user's valid, unexpired sessions, newest first, `limit` after `cursor` (the id of the last
 * session of the previous page).
 */
export async function listActiveSessions(db, userId, now, limit, cursor) {
    let query = db.selectFrom('sessions').selectAll()
        .where('user_id', '=', userId).where('is_valid', '=', 1).where('expires_at', '>', now);
    if (cursor !== undefined) {
        query = query.where((eb) => eb.or([
            eb('created_at', '<', cursor.created_at),
            eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', cursor.id)])
        ]));
    }
    return await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
//# sourceMappingURL=sessions.js.map