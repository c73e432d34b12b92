import fp from 'fastify-plugin';
import { settingsOf } from './auth/accounts.js';
import { createInProcessBackplane } from './relay/backplane.js';
/** The backplane topic presence changes travel on. */
export const PRESENCE_TOPIC = 'presence';
/**
 * Who is online on this node and who may know it. A user is online from their first
 * authenticated connection to their last close, unless they appear offline or hide presence
 * in their settings; changes go out on the backplane. Kept in memory: presence is not worth a
 * disk write, except `last_seen` when a user goes offline.
 */
export function createPresence(deps) {
    const now = deps.now ?? Date.now;
    const onError = deps.onError ?? (() => { });
    const entries = new Map();
    function reconcile(userId, entry) {
        const shown = entry.loaded && entry.connections > 0 && entry.visible && !entry.appearOffline;
        if (shown === entry.announced)
            return;
        entry.announced = shown;
        deps.backplane.publish(PRESENCE_TOPIC, { userId, status: shown ? 'online' : 'offline', timestamp: now() });
    }
    function lastSeen(userId) {
        deps.saveLastSeen(userId, now()).catch(onError);
    }
    function load(userId, entry) {
        return deps.lookup(userId).then((info) => {
            if (info === undefined)
                return;
            entry.username = info.username;
            entry.visible = info.visible;
            entry.loaded = true;
            if (entries.get(userId) === entry)
                reconcile(userId, entry);
        }, onError);
    }
    return {
        /**
         * Counts an authenticated connection; the first makes the user online. The user's name and
         * presence setting are looked up unless given.
         */
        connected(userId, username, visible) {
            const existing = entries.get(userId);
            if (existing !== undefined) {
                existing.connections++;
                return existing.loading;
            }
            const known = username !== undefined && visible !== undefined;
            const entry = { username: username ?? '', connections: 1, appearOffline: false, visible: visible ?? false, loaded: known, announced: false, loading: Promise.resolve() };
            entries.set(userId, entry);
            if (known)
                reconcile(userId, entry);
            else
                entry.loading = load(userId, entry);
            return entry.loading;
        },
        /** Uncounts a connection; the last makes the user offline. */
        disconnected(userId) {
            const entry = entries.get(userId);
            if (entry === undefined || --entry.connections > 0)
                return;
            entries.delete(userId);
            reconcile(userId, entry);
            lastSeen(userId);
        },
        /** `presence_update` from one of the user's devices: appear online or offline. */
        update(userId, status) {
            const entry = entries.get(userId);
            if (entry === undefined)
                return;
            entry.appearOffline = status === 'offline';
            if (entry.appearOffline)
                lastSeen(userId);
            reconcile(userId, entry);
        },
        /** Re-reads the user's presence setting (it changed). */
        refresh(userId) {
            const entry = entries.get(userId);
            return entry === undefined ? Promise.resolve() : load(userId, entry);
        },
        /** The account is gone: offline for everyone, at once. */
        remove(userId) {
            const entry = entries.get(userId);
            if (entry === undefined)
                return;
            entries.delete(userId);
            entry.connections = 0;
            reconcile(userId, entry);
        },
        /** Whether others see the user online. */
        isOnline: (userId) => entries.get(userId)?.announced === true,
        /** Visible online users ordered by id, `limit` after `cursor` (the last id of the previous page). */
        list(limit, cursor) {
            const ids = [...entries.keys()].filter((id) => entries.get(id)?.announced === true && (cursor === undefined || id > cursor)).sort();
            const page = ids.slice(0, limit).map((userId) => ({ userId, username: entries.get(userId)?.username ?? '' }));
            return { items: page, nextCursor: ids.length > limit ? page[page.length - 1].userId : null };
        }
    };
}
export default fp(async function presencePlugin(app) {
    const backplane = createInProcessBackplane((err, topic) => app.log.error({ err, topic }, 'backplane handler failed'));
    const presence = createPresence({
        backplane,
        async lookup(userId) {
            const user = await app.auth.findUserById(userId);
            return user === undefined ? undefined : { username: user.username, visible: settingsOf(user).presenceVisible };
        },
        async saveLastSeen(userId, at) {
            // The one column of users that presence owns.
            await app.db.updateTable('users').set({ last_seen: at }).where('id', '=', userId).execute();
        },
        onError: (err) => app.log.error({ err }, 'presence failed')
    });
    app.decorate('backplane', backplane);
    app.decorate('presence', presence);
    app.events.on('user.settings_changed', ({ userId }) => { void presence.refresh(userId); });
    app.events.on('user.deleted', ({ userId }) => { presence.remove(userId); });
    app.addHook('onClose', async () => { await backplane.close(); });
}, { name: 'presence', dependencies: ['auth', 'db', 'events'] });
//# sourceMappingURL=presence.js.map