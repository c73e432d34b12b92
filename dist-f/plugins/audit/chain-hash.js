import { createHash } from 'node:crypto';
/** The `prev_hash` of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
/**
 * SHA-256 over an event's own fields. Kept beside the event so that retention can erase the
 * fields of an event in the middle of a chain while its link stays checkable. The client
 * address is left out on purpose: a user who withdraws consent has it erased, and that must
 * not look like tampering.
 */
export function eventDigest(fields) {
    return sha256(JSON.stringify([fields.userId ?? '', fields.type, fields.data, fields.createdAt]));
}
/** The hash that links an event to its predecessor: editing, removing or reordering breaks it. */
export function chainHash(prevHash, seq, digest) {
    return sha256(`${prevHash}\n${seq}\n${digest}`);
}
//# sourceMappingURL=chain-hash.js.map