import { randomInt } from 'node:crypto';
/** A message before `check`: the guard fills in the rest. */
export function seenMessage(recipientId, mac, timestamp) {
    // Every field from the start: one object shape, however far the message gets.
    return { id: '', recipientId, mac, timestamp, status: undefined, waiting: undefined, keyHigh: 0, keyLow: 0, slot: -1 };
}
const NEW = { kind: 'new' };
const STALE = { kind: 'stale' };
const REPLAY = { kind: 'replay' };
const FREE = 0;
const ROUTING = 1;
const DELIVERED = 2;
const QUEUED = 3;
/** Message ids are UUIDs: 36 characters, kept as bytes. */
const ID_CHARS = 36;
/**
 * Expired entries dropped per message, and per sweep: dropping all of a full memory at once
 * would stop the event loop for milliseconds. An expired entry still held refuses only what the
 * window refuses anyway (its timestamp is stale), or the same nonce with a new timestamp.
 */
const EXPIRE_PER_MESSAGE = 4;
const EXPIRE_PER_SWEEP = 2048;
// Two 32-bit hashes of a pair of strings, computed together and seeded per process: a 64-bit
// fingerprint. Written to these two variables so that hashing allocates nothing.
let hashHigh = 0;
let hashLow = 0;
const SEED_HIGH = randomInt(2 ** 31);
const SEED_LOW = randomInt(2 ** 31);
function mix(h) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
}
/** Runs the characters of `text` through both hashes. */
function absorb(text) {
    let high = hashHigh;
    let low = hashLow;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        high = Math.imul(high ^ c, 0x01000193);
        low = Math.imul(low + c, 0x9e3779b1) ^ (low >>> 15);
    }
    hashHigh = high;
    hashLow = low;
}
function hashPair(a, b, seed) {
    hashHigh = SEED_HIGH ^ seed;
    hashLow = SEED_LOW ^ seed;
    absorb(a);
    // The length of the first string keeps the pair unambiguous.
    hashHigh = Math.imul(hashHigh ^ a.length, 0x01000193);
    absorb(b);
    hashHigh = mix(hashHigh);
    hashLow = mix(hashLow ^ b.length);
}
/**
 * Replay protection: a timestamp window around the server's clock and a memory of the nonces
 * each sender used inside it. The memory is bounded: when full, the oldest entry goes and the
 * window's past edge moves up to its timestamp if it had not expired, so a forgotten nonce can
 * never be accepted again (it is refused as stale instead).
 *
 * The memory lives outside the JavaScript heap, in typed arrays: a ring of entries in order of
 * arrival, and an open-addressing table from the 64-bit fingerprint of (sender, nonce) to the
 * entry. Kept as strings and objects in a Map, hundreds of thousands of entries that live for
 * minutes were copied twice by every young-generation collection on their way to the old one
 * (8-11 ms pauses at 5,000 msgs/s), and each lookup in the big map missed the cache several
 * times. A fingerprint collision can only refuse a message as a replay; with a seeded 64-bit
 * fingerprint and a fresh random nonce per message, that is as likely as guessing the nonce.
 *
 * A retry (the same sealed box to the same person, same timestamp) is told from a replay by the
 * recipient and MAC, compared exactly while the message is routed and by their fingerprint once
 * its sender has the ack; then only the id (for the answer) and the status stay.
 */
export function createReplayGuard(options) {
    const { windowMs, now } = options;
    const capacity = Math.max(1, Math.floor(options.maxEntries));
    const keyHigh = new Int32Array(capacity);
    const keyLow = new Int32Array(capacity);
    const stamps = new Float64Array(capacity);
    const states = new Uint8Array(capacity);
    const boxes = new Int32Array(capacity * 2);
    const ids = new Uint8Array(capacity * ID_CHARS);
    const routing = Array.from({ length: capacity }, () => undefined);
    // Slot + 1 per cell, 0 for empty; at most half full, so probes stay short.
    const tableSize = 2 ** Math.ceil(Math.log2(capacity * 2));
    const mask = tableSize - 1;
    const table = new Int32Array(tableSize);
    /** The next slot to fill; `used` slots before it (forgotten ones included) are the ring. */
    let head = 0;
    let used = 0;
    let live = 0;
    let forgottenUpTo = -Infinity;
    function find(high, low) {
        for (let i = high & mask;; i = (i + 1) & mask) {
            const slot = table[i] - 1;
            if (slot < 0 || (keyHigh[slot] === high && keyLow[slot] === low))
                return slot;
        }
    }
    function insert(slot) {
        let i = keyHigh[slot] & mask;
        while (table[i] !== 0)
            i = (i + 1) & mask;
        table[i] = slot + 1;
    }
    /** Linear probing's deletion: later cells of the cluster move back, so no probe stops early. */
    function remove(slot) {
        let hole = keyHigh[slot] & mask;
        while (table[hole] !== slot + 1)
            hole = (hole + 1) & mask;
        for (let i = (hole + 1) & mask; table[i] !== 0; i = (i + 1) & mask) {
            const home = keyHigh[table[i] - 1] & mask;
            // The cell may move to the hole unless its home lies cyclically in (hole, i].
            if (hole < i ? (home <= hole || home > i) : (home <= hole && home > i)) {
                table[hole] = table[i];
                hole = i;
            }
        }
        table[hole] = 0;
    }
    function release(slot) {
        if (states[slot] === FREE)
            return;
        remove(slot);
        states[slot] = FREE;
        routing[slot] = undefined;
        live--;
    }
    const tail = () => (head - used + capacity) % capacity;
    /** Drops up to `budget` expired entries (and forgotten slots) from the old end. */
    function dropExpired(at, budget) {
        while (used > 0 && budget-- > 0) {
            const slot = tail();
            if (states[slot] !== FREE && stamps[slot] + windowMs >= at)
                return;
            release(slot);
            used--;
        }
    }
    function idOf(slot) {
        return String.fromCharCode(...ids.subarray(slot * ID_CHARS, (slot + 1) * ID_CHARS));
    }
    return {
        /** Classifies a message by its sender, nonce, timestamp and content; fills in its fingerprint. */
        check(seen, senderId, nonce) {
            const at = now();
            const { timestamp } = seen;
            if (Math.abs(at - timestamp) > windowMs || timestamp <= forgottenUpTo)
                return STALE;
            hashPair(senderId, nonce, 0);
            seen.keyHigh = hashHigh;
            seen.keyLow = hashLow;
            const slot = find(hashHigh, hashLow);
            if (slot < 0)
                return NEW;
            const pending = routing[slot];
            if (pending !== undefined) {
                // The same sealed box to the same person is the sender retrying after a lost ack.
                const same = pending.recipientId === seen.recipientId && pending.mac === seen.mac && pending.timestamp === timestamp;
                return same ? { kind: 'retry', seen: pending } : REPLAY;
            }
            hashPair(seen.recipientId, seen.mac, 1);
            if (stamps[slot] !== timestamp || boxes[2 * slot] !== hashHigh || boxes[2 * slot + 1] !== hashLow)
                return REPLAY;
            const settled = seenMessage(seen.recipientId, seen.mac, timestamp);
            settled.id = idOf(slot);
            settled.status = states[slot] === DELIVERED ? 'delivered' : 'queued';
            return { kind: 'retry', seen: settled };
        },
        /** Remembers an accepted message (one that `check` called new). */
        remember(seen) {
            const at = now();
            dropExpired(at, EXPIRE_PER_MESSAGE);
            if (used === capacity) {
                const oldest = tail();
                // Forgetting an unexpired nonce: its timestamp must stay refused.
                if (states[oldest] !== FREE && stamps[oldest] + windowMs >= at)
                    forgottenUpTo = Math.max(forgottenUpTo, stamps[oldest]);
                release(oldest);
                used--;
            }
            const slot = head;
            head = (head + 1) % capacity;
            used++;
            live++;
            keyHigh[slot] = seen.keyHigh;
            keyLow[slot] = seen.keyLow;
            stamps[slot] = seen.timestamp;
            states[slot] = ROUTING;
            routing[slot] = seen;
            seen.slot = slot;
            insert(slot);
        },
        /** The message's sender got its ack: from now on only its fingerprint, id and status are kept. */
        settle(seen) {
            const { slot } = seen;
            if (seen.status === undefined || slot < 0 || routing[slot] !== seen)
                return;
            routing[slot] = undefined;
            states[slot] = seen.status === 'delivered' ? DELIVERED : QUEUED;
            hashPair(seen.recipientId, seen.mac, 1);
            boxes[2 * slot] = hashHigh;
            boxes[2 * slot + 1] = hashLow;
            const { id } = seen;
            const base = slot * ID_CHARS;
            for (let i = 0; i < ID_CHARS; i++)
                ids[base + i] = id.charCodeAt(i);
        },
        /** Forgets a message still being routed that was not accepted after all: sending it again is not a replay. */
        forget(seen) {
            if (seen.slot >= 0 && routing[seen.slot] === seen)
                release(seen.slot);
        },
        /** Whether a timestamp is inside the window around the server's clock. */
        inWindow: (timestamp) => Math.abs(now() - timestamp) <= windowMs,
        /** Drops a batch of expired entries (called by the relay's sweep). */
        sweep: () => { dropExpired(now(), EXPIRE_PER_SWEEP); },
        /** Entries remembered. */
        get size() { return live; }
    };
}
//# sourceMappingURL=replay-guard.js.map