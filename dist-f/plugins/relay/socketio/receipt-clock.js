/**
 * When auto-mode receipt pings go out, for every session of the shim on one timer.
 *
 * A client whose app calls the ack callback confirms each message within a round trip, and then
 * a receipt ping would only cost a frame each way per burst (at a steady trickle of messages,
 * a third of the shim's system calls). So the ping waits `delayMs` to `2 * delayMs`, and a
 * session sends it only if a message it had pushed when it queued the ping is still unconfirmed
 * by then (session.ts). One timer for all sessions, in two generations, instead of a timer per
 * burst.
 */
export function createReceiptClock(delayMs) {
    /** Sessions queued during the current period, and those of the period before (due next). */
    let current = [];
    let previous = [];
    let timer;
    function tick() {
        const due = previous;
        previous = current;
        current = [];
        if (previous.length === 0) {
            clearInterval(timer);
            timer = undefined;
        }
        for (const fire of due)
            fire();
    }
    return {
        /** Runs `fire` once, `delayMs` to `2 * delayMs` from now. The caller queues a function once at a time. */
        queue(fire) {
            current.push(fire);
            if (timer === undefined) {
                timer = setInterval(tick, delayMs);
                timer.unref();
            }
        },
        stop() {
            clearInterval(timer);
            timer = undefined;
            current = [];
            previous = [];
        }
    };
}
//# sourceMappingURL=receipt-clock.js.map