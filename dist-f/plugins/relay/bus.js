const KEY_TOPIC = 'key_changed';
/** What the relay does when other plugins report facts on the event bus. */
export function listenToBus(app, relay) {
    const { events, backplane } = app;
    events.on('session.revoked', ({ userId, sessionId }) => {
        relay.closeWhere((c) => c.sessionId === sessionId, 'session_revoked', 'The session has ended');
        relay.forgetDevices(userId, (id) => id === sessionId);
    });
    events.on('user.sessions_revoked', ({ userId, exceptSessionId }) => {
        relay.closeWhere((c) => c.userId === userId && c.sessionId !== exceptSessionId, 'session_revoked', 'The session has ended');
        relay.forgetDevices(userId, (id) => id !== exceptSessionId);
    });
    events.on('user.deleted', ({ userId }) => {
        relay.closeWhere((c) => c.userId === userId, 'session_revoked', 'The account was deleted');
        relay.forgetUser(userId);
    });
    // Through the backplane: users online on other nodes hear of the new key too.
    events.on('user.key_changed', (change) => { backplane.publish(KEY_TOPIC, change); });
    backplane.subscribe(KEY_TOPIC, (message) => {
        const { userId, publicKey, keyRotationDate } = message;
        relay.broadcast({ type: 'key_changed', data: { userId, publicKey, keyRotationDate } });
    });
}
//# sourceMappingURL=bus.js.map