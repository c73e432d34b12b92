import { sql } from 'kysely';
import { Value } from '@sinclair/typebox/value';
import { UserSettings } from '../../schemas/accounts.js';
/** Queries on the users table. Usernames are unique regardless of case. */
export async function insertUser(db, user) {
    await db.insertInto('users').values(user).execute();
}
export async function findUserByUsername(db, username) {
    return await db.selectFrom('users').selectAll()
        .where(sql `lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
}
export async function findUserById(db, id) {
    return await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function usernameExists(db, username) {
    const row = await db.selectFrom('users').select('id')
        .where(sql `lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
    return row !== undefined;
}
/**
 * Counts a failed login; at `maxAttempts` the account locks until `now + lockMs` and the count
 * starts again. Returns the lock's end when this failure locked the account.
 */
export async function recordFailedLogin(db, userId, now, maxAttempts, lockMs) {
    const row = await db.updateTable('users')
        .set((eb) => ({ failed_login_attempts: eb('failed_login_attempts', '+', 1), last_failed_login: now }))
        .where('id', '=', userId).returning('failed_login_attempts').executeTakeFirst();
    if (row === undefined || row.failed_login_attempts < maxAttempts)
        return null;
    const until = now + lockMs;
    await db.updateTable('users').set({ account_locked_until: until, failed_login_attempts: 0 }).where('id', '=', userId).execute();
    return until;
}
export async function resetFailedLogins(db, userId) {
    await db.updateTable('users').set({ failed_login_attempts: 0, account_locked_until: null }).where('id', '=', userId).execute();
}
/** The user's settings, with defaults for whatever was never set. */
export function settingsOf(user) {
    let stored = {};
    try {
        stored = JSON.parse(user.security_settings);
    }
    catch { }
    const merged = Value.Default(UserSettings, Value.Clean(UserSettings, Value.Clone(stored ?? {})));
    return Value.Check(UserSettings, merged) ? merged : Value.Default(UserSettings, {});
}
//# sourceMappingURL=accounts.js.map