import { settingsOf } from '../auth/accounts.js';
export function privacySettingsOf(user) {
    const { presenceVisible, storeConnectionMetadata } = settingsOf(user);
    return { dataRetentionDays: user.data_retention_days, presenceVisible, storeConnectionMetadata };
}
/** The caller's profile as the API shows it to them. */
export function profileOf(user) {
    return {
        id: user.id,
        username: user.username,
        createdAt: Number(user.created_at),
        lastSeen: user.last_seen === null ? null : Number(user.last_seen),
        publicKey: user.public_key,
        keyRotationDate: Number(user.key_rotation_date),
        lastPasswordChange: Number(user.last_password_change),
        twoFactorEnabled: user.two_factor_enabled === 1,
        settings: privacySettingsOf(user)
    };
}
/**
 * Writes the given settings. The JSON column may hold settings other plugins own: they are
 * kept as they are. Returns the settings before and after.
 */
export async function writeSettings(db, userId, patch) {
    return await db.transaction().execute(async (trx) => {
        const user = await trx.selectFrom('users').select(['security_settings', 'data_retention_days']).where('id', '=', userId).executeTakeFirst();
        if (user === undefined)
            return undefined;
        let stored = {};
        try {
            const parsed = JSON.parse(user.security_settings);
            if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
                stored = parsed;
        }
        catch { }
        if (patch.presenceVisible !== undefined)
            stored.presenceVisible = patch.presenceVisible;
        if (patch.storeConnectionMetadata !== undefined)
            stored.storeConnectionMetadata = patch.storeConnectionMetadata;
        const updated = { security_settings: JSON.stringify(stored), data_retention_days: patch.dataRetentionDays ?? user.data_retention_days };
        await trx.updateTable('users').set(updated).where('id', '=', userId).execute();
        return { before: privacySettingsOf(user), after: privacySettingsOf(updated) };
    });
}
/** Erases the addresses and user agents kept on a user's sessions (consent withdrawn). */
export async function forgetSessionMetadata(db, userId) {
    const result = await db.updateTable('sessions').set({ ip_address: null, user_agent: null })
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('ip_address', 'is not', null), eb('user_agent', 'is not', null)]))
        .executeTakeFirst();
    return Number(result.numUpdatedRows);
}
/** Deletes the account row; every table referring to it cascades. Returns whether it existed. */
export async function deleteUserRow(db, userId) {
    const result = await db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
}
/** Everything kept about a user in the tables this plugin may read, for the export. */
export async function collectUserData(db, userId) {
    const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (user === undefined)
        return undefined;
    const sessions = await db.selectFrom('sessions').leftJoin('delivery_cursors', 'delivery_cursors.session_id', 'sessions.id')
        .select(['sessions.id', 'sessions.created_at', 'sessions.expires_at', 'sessions.last_activity', 'sessions.ip_address',
        'sessions.user_agent', 'sessions.device_label', 'sessions.is_valid', 'delivery_cursors.acked_seq'])
        .where('sessions.user_id', '=', userId).orderBy('sessions.created_at').execute();
    const events = await db.selectFrom('security_events')
        .select(['id', 'event_type', 'event_data', 'ip_address', 'created_at', 'chain_seq', 'hash'])
        .where('user_id', '=', userId).where('purged', '=', 0).orderBy('chain_seq').execute();
    const chain = await db.selectFrom('audit_chains').select(['head_seq', 'head_hash']).where('user_id', '=', userId).executeTakeFirst();
    return { user, sessions, events, chain };
}
//# sourceMappingURL=account.js.map