/**
 * Engine.IO v4 heartbeats: the server pings every `intervalMs` and cuts a client that has not
 * answered within `timeoutMs`. Any pong proves the client alive (the shim also sends receipt
 * pings of its own), and the next ping is scheduled from it.
 */
export function createHeartbeat(options) {
    let pingTimer;
    let pongTimer;
    function schedule() {
        pingTimer = setTimeout(() => {
            options.ping();
            pongTimer = setTimeout(options.dead, options.timeoutMs);
        }, options.intervalMs);
    }
    schedule();
    return {
        pong() {
            if (pongTimer === undefined)
                return;
            clearTimeout(pongTimer);
            pongTimer = undefined;
            schedule();
        },
        stop() {
            clearTimeout(pingTimer);
            clearTimeout(pongTimer);
        }
    };
}
//# sourceMappingURL=heartbeat.js.map