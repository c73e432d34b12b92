export function createReceipts(mode) {
    let nextId = 0;
    const byAckId = new Map();
    const byMessage = new Map();
    /** Ack ids pushed since the last ping was sent. */
    let sinceLastPing = [];
    /** For each ping not yet answered, the ack ids it covers (pongs come back in order). */
    const pings = [];
    function take(ackId) {
        const messageId = byAckId.get(ackId);
        if (messageId === undefined)
            return undefined;
        byAckId.delete(ackId);
        byMessage.delete(messageId);
        return messageId;
    }
    return {
        mode,
        /** Records a pushed message; returns the ack id to send it with. */
        push(messageId) {
            const known = byMessage.get(messageId);
            if (known !== undefined)
                return known;
            nextId = nextId >= Number.MAX_SAFE_INTEGER ? 1 : nextId + 1;
            byAckId.set(nextId, messageId);
            byMessage.set(messageId, nextId);
            sinceLastPing.push(nextId);
            return nextId;
        },
        /** The ack id given to the latest message pushed (0 before the first). */
        get lastAckId() { return nextId; },
        /**
         * What is still unconfirmed of the messages pushed since the last ping: `overdue` if one of
         * them was pushed no later than ack id `mark` (a receipt ping is worth sending), `recent` if
         * only later ones are, `none` if the client confirmed them all. Those it confirmed are
         * forgotten here.
         */
        unpinged(mark) {
            if (sinceLastPing.length > 0)
                sinceLastPing = sinceLastPing.filter((ackId) => byAckId.has(ackId));
            if (sinceLastPing.length === 0)
                return 'none';
            return sinceLastPing[0] <= mark ? 'overdue' : 'recent';
        },
        /** A ping is being sent: it covers everything pushed so far. */
        pinged() {
            pings.push(sinceLastPing);
            sinceLastPing = [];
        },
        /** A pong arrived; returns the message ids it confirms (none in manual mode). */
        ponged() {
            const covered = pings.shift() ?? [];
            if (mode !== 'auto')
                return [];
            return covered.map(take).filter((id) => id !== undefined);
        },
        /** The client acked `ackId` through its callback; returns the message id, once. */
        acked: take,
        /** The client acked a message by id (the `ack` event): forget its ack id. */
        ackedMessage(messageId) {
            const ackId = byMessage.get(messageId);
            if (ackId !== undefined)
                take(ackId);
        },
        /** Pushed messages not yet confirmed. */
        get pending() { return byAckId.size; },
        /** Pings sent and not yet answered. */
        get unansweredPings() { return pings.length; }
    };
}
//# sourceMappingURL=receipts.js.map