import { sql } from 'kysely';
import { GENESIS_HASH, chainHash, eventDigest } from './chain-hash.js';
/** Narrows a query to one chain: a user's, or the system chain (user_id null). */
export function inChain(query, userId) {
    return userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
}
async function chainHead(db, userId) {
    // Through the unique expression index on coalesce(user_id, ''): one lookup per event.
    const head = await db.selectFrom('audit_chains').select(['id', 'head_seq', 'head_hash'])
        .where(sql `coalesce(user_id, '')`, '=', userId ?? '').executeTakeFirst();
    if (head !== undefined)
        return head;
    const created = await db.insertInto('audit_chains')
        .values({ user_id: userId, head_seq: 0, head_hash: GENESIS_HASH, anchor_seq: 0, anchor_hash: GENESIS_HASH })
        .returning(['id', 'head_seq', 'head_hash']).executeTakeFirstOrThrow();
    return created;
}
/**
 * Appends an event to the end of its chain and moves the head. Must run inside a transaction,
 * so two events can never take the same place in a chain.
 */
export async function appendEvent(trx, event) {
    const head = await chainHead(trx, event.userId);
    const seq = head.head_seq + 1;
    const digest = eventDigest(event);
    const hash = chainHash(head.head_hash, seq, digest);
    await trx.insertInto('security_events').values({
        user_id: event.userId,
        event_type: event.type,
        event_data: event.data,
        ip_address: event.ip,
        created_at: event.createdAt,
        chain_seq: seq,
        prev_hash: head.head_hash,
        digest,
        hash
    }).execute();
    await trx.updateTable('audit_chains').set({ head_seq: seq, head_hash: hash }).where('id', '=', head.id).execute();
}
//# sourceMappingURL=chain-store.js.map