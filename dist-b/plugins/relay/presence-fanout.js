/**
 * Presence changes to every connected user, coalesced over a short window: a burst of users
 * connecting (a restart) costs one write per connection per window rather than one per change,
 * and a user who flaps within the window causes no frame at all.
 */
export function createPresenceFanout(options) {
    const pending = new Map();
    // What the others were last told, per user (only online users are kept).
    const announced = new Set();
    let timer = null;
    function flush() {
        timer = null;
        const frames = [];
        for (const change of pending.values()) {
            const online = change.status === 'online';
            if (announced.has(change.userId) === online)
                continue;
            if (online)
                announced.add(change.userId);
            else
                announced.delete(change.userId);
            frames.push({ type: 'user_presence', data: change });
        }
        pending.clear();
        if (frames.length > 0)
            options.send(frames);
    }
    return {
        change(change) {
            pending.delete(change.userId);
            pending.set(change.userId, change);
            timer ??= setTimeout(flush, options.windowMs);
        },
        stop() {
            if (timer !== null)
                clearTimeout(timer);
            timer = null;
        }
    };
}
//# sourceMappingURL=presence-fanout.js.map