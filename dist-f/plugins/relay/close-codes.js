/**
 * The one table of WebSocket close codes the relay uses (both transports). Error frames carry
 * codes from plugins/errors.ts; a close that follows an error frame uses the code below.
 */
export const CLOSE_CODES = {
    /** The client said goodbye, or the server closed a socket it no longer needs. */
    normal: 1000,
    /** The server is shutting down; reconnect later. */
    goingAway: 1001,
    /** Too many malformed frames in a row, or a frame before authentication. */
    policyViolation: 1008,
    /** A frame over the size limit (sent by ws itself through `maxPayload`). */
    tooBig: 1009,
    /** A bug; the error is in the server log. */
    internalError: 1011,
    /** The client did not read fast enough; its messages wait in the queue for the next connection. */
    slowReader: 1013,
    /** Missing, bad, expired or revoked credentials, or the account was deleted. */
    unauthorized: 4401
};
//# sourceMappingURL=close-codes.js.map