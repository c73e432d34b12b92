import { createHash, randomBytes } from 'node:crypto';
/** Queries on auth_challenges: single-use random challenges for key-pair login. */
// Enough for a few devices signing in at once; older outstanding challenges give way.
const MAX_OUTSTANDING = 5;
function hashChallenge(challenge) {
    return createHash('sha256').update(challenge).digest('base64url');
}
/** What a client signs with its Ed25519 key: the challenge under a fixed domain prefix. */
export function challengeMessage(challenge) {
    return Buffer.from(`quietwire-key-login:${challenge}`, 'utf8');
}
/** A new challenge for `username` (known or not: the answer must not tell). */
export async function issueChallenge(db, username, now, ttlMs) {
    const name = username.toLowerCase();
    const challenge = randomBytes(32).toString('base64url');
    const expiresAt = now + ttlMs;
    await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('auth_challenges').where('expires_at', '<=', now).execute();
        const keep = await trx.selectFrom('auth_challenges').select('challenge_hash').where('username', '=', name)
            .orderBy('created_at', 'desc').limit(MAX_OUTSTANDING - 1).execute();
        let stale = trx.deleteFrom('auth_challenges').where('username', '=', name);
        if (keep.length > 0)
            stale = stale.where('challenge_hash', 'not in', keep.map((r) => r.challenge_hash));
        await stale.execute();
        await trx.insertInto('auth_challenges').values({ challenge_hash: hashChallenge(challenge), username: name, created_at: now, expires_at: expiresAt }).execute();
    });
    return { challenge, expiresAt };
}
/**
 * Takes a challenge out of the table and says whether it was issued for `username` and is
 * still fresh. Any attempt uses it up, so a challenge is never checked twice.
 */
export async function consumeChallenge(db, username, challenge, now) {
    const row = await db.deleteFrom('auth_challenges').where('challenge_hash', '=', hashChallenge(challenge))
        .returning(['username', 'expires_at']).executeTakeFirst();
    return row !== undefined && row.username === username.toLowerCase() && row.expires_at > now;
}
//# sourceMappingURL=challenges.js.map