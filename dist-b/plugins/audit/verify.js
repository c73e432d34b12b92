import { sql } from 'kysely';
import { chainHash, eventDigest } from './chain-hash.js';
import { inChain } from './chain-store.js';
/**
 * Checks every chain from its anchor to its head: each event's digest matches its fields (for
 * events not yet purged), each links to the one before it, positions leave no gap, and the
 * last one is the recorded head. Any edited, removed, inserted or reordered row shows up.
 */
export async function verifyChains(db) {
    const chains = await db.selectFrom('audit_chains').selectAll().orderBy('id').execute();
    const problems = [];
    let events = 0;
    for (const chain of chains) {
        const name = chain.user_id ?? 'system';
        const rows = await inChain(db.selectFrom('security_events').selectAll(), chain.user_id).orderBy('chain_seq').orderBy('id').execute();
        events += rows.length;
        let seq = Number(chain.anchor_seq);
        let prev = chain.anchor_hash;
        let broken = false;
        for (const row of rows) {
            const at = { chain: name, seq: row.chain_seq, eventId: Number(row.id) };
            const fail = (problem) => { problems.push({ ...at, problem }); broken = true; };
            if (row.chain_seq !== seq + 1)
                fail(row.chain_seq <= seq ? `position ${row.chain_seq} is repeated or before the anchor` : `events ${seq + 1}..${row.chain_seq - 1} are missing`);
            else if (row.prev_hash !== prev)
                fail('does not link to the event before it');
            else if (row.purged === 0 && eventDigest({ userId: row.user_id, type: row.event_type, data: row.event_data, createdAt: Number(row.created_at) }) !== row.digest)
                fail('its fields were altered');
            else if (chainHash(row.prev_hash, row.chain_seq, row.digest) !== row.hash)
                fail('its hash does not match');
            if (broken)
                break;
            seq = row.chain_seq;
            prev = row.hash;
        }
        if (!broken && (seq !== Number(chain.head_seq) || prev !== chain.head_hash)) {
            problems.push({ chain: name, seq: Number(chain.head_seq), problem: `ends at ${seq}, but its head is ${chain.head_seq}: events were removed from its end` });
        }
    }
    const orphans = await db.selectFrom('security_events').select(['id', 'user_id'])
        .where(sql `coalesce(user_id, '')`, 'not in', sql `(select coalesce(user_id, '') from audit_chains)`).execute();
    for (const row of orphans)
        problems.push({ chain: row.user_id ?? 'system', eventId: Number(row.id), problem: 'event belongs to no chain' });
    return { chains: chains.length, events, problems };
}
//# sourceMappingURL=verify.js.map