/** The in-process registry: live connections by user and by session. */
export function createRegistry() {
    const byUser = new Map();
    const byId = new Map();
    return {
        add(connection) {
            const state = { connection, catchingUp: true, afterSeq: 0, ackedSeq: 0, sent: null, unacked: null, unackedBytes: 0, fit: 0, resume: null, strikes: 0, closed: false };
            byId.set(connection.id, state);
            let set = byUser.get(connection.userId);
            if (set === undefined) {
                set = new Set();
                byUser.set(connection.userId, set);
            }
            set.add(state);
            return state;
        },
        /** Removes a connection; returns its state, or undefined when it was not registered. */
        remove(connection) {
            const state = byId.get(connection.id);
            if (state === undefined)
                return undefined;
            byId.delete(connection.id);
            const set = byUser.get(connection.userId);
            set?.delete(state);
            if (set?.size === 0)
                byUser.delete(connection.userId);
            state.closed = true;
            return state;
        },
        get: (connection) => byId.get(connection.id),
        ofUser: (userId) => byUser.get(userId) ?? new Set(),
        all: () => byId.values(),
        get size() { return byId.size; }
    };
}
//# sourceMappingURL=registry.js.map