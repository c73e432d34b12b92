/** Sockets holding their writes until the current turn of the event loop ends. */
let corked = [];
function uncorkAll() {
    const streams = corked;
    corked = [];
    for (const stream of streams)
        stream.uncork();
}
/**
 * Holds a socket's writes until the event loop has handled everything that was ready in this
 * turn (`setImmediate` runs right after the turn's I/O), so what is sent to it meanwhile leaves
 * in one system call: a catch-up page, the `queued` acks of a committed batch, the answers to
 * several frames.
 *
 * Flushing after each socket's read instead (at `process.nextTick`) sent the answers to the
 * frames of one turn one by one; on loopback each write could wake the client's sleeping
 * process, through an interrupt to the other core: 17,600-24,500 of them in a 4 s window at
 * 5,000 msgs/s, against 5,800-8,200 with one flush per turn (BENCHMARKS.md). Nothing waits
 * longer than the turn's work already running. Call before each write.
 */
export function corkForTurn(stream) {
    if (stream.writableCorked > 0)
        return;
    stream.cork();
    if (corked.length === 0)
        setImmediate(uncorkAll);
    corked.push(stream);
}
//# sourceMappingURL=turn-cork.js.map