// Invalid tokens are checked before any rate limit runs, so their events are throttled here:
// one per user and kind a minute is enough to notice, and a flood cannot fill the table.
const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;
/** Records `invalid_token` security events, at most one per user and kind per minute. */
export function createInvalidTokenLog(audit, now) {
    const last = new Map();
    return {
        async record(userId, kind) {
            const key = `${kind}:${userId ?? ''}`;
            const at = now();
            if (at - (last.get(key) ?? -Infinity) < WINDOW_MS)
                return;
            if (last.size >= MAX_KEYS)
                last.clear();
            last.set(key, at);
            try {
                await audit.record({ userId, type: 'invalid_token', data: { kind } });
            }
            catch {
                // The account may be gone (the event would reference no user): keep the fact without it.
                await audit.record({ userId: null, type: 'invalid_token', data: { kind } });
            }
        }
    };
}
//# sourceMappingURL=invalid-token-log.js.map