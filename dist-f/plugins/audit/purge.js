import { inChain } from './chain-store.js';
/**
 * Erases security events older than their type's retention, and keeps what remains verifiable.
 * An expired event at the start of its chain is deleted and becomes the chain's anchor. One
 * behind an event that is kept longer cannot go without breaking the link, so its fields are
 * erased (type, data, address, time) and only its digest and hashes stay, until everything
 * before it is gone too. Returns how many events had their content erased.
 */
export async function purgeSecurityEvents(db, retention, now) {
    return await db.transaction().execute(async (trx) => {
        const overridden = Object.keys(retention.byType);
        const erased = await trx.updateTable('security_events')
            .set({ purged: 1, event_type: 'purged', event_data: '{}', ip_address: null, created_at: 0 })
            .where('purged', '=', 0)
            .where((eb) => eb.or([
            ...Object.entries(retention.byType).map(([type, ms]) => eb.and([eb('event_type', '=', type), eb('created_at', '<', now - ms)])),
            overridden.length > 0
                ? eb.and([eb('event_type', 'not in', overridden), eb('created_at', '<', now - retention.defaultMs)])
                : eb('created_at', '<', now - retention.defaultMs)
        ]))
            .executeTakeFirst();
        const chains = await trx.selectFrom('security_events').select('user_id').distinct().where('purged', '=', 1).execute();
        for (const { user_id: userId } of chains)
            await compact(trx, userId);
        return Number(erased.numUpdatedRows);
    });
}
/** Deletes the run of erased events at the start of a chain and moves its anchor past them. */
async function compact(trx, userId) {
    const chain = await inChain(trx.selectFrom('audit_chains').selectAll(), userId).executeTakeFirst();
    if (chain === undefined)
        return;
    const firstKept = await inChain(trx.selectFrom('security_events').select((eb) => eb.fn.min('chain_seq').as('seq')), userId)
        .where('purged', '=', 0).executeTakeFirst();
    const lastErased = (firstKept?.seq ?? Number(chain.head_seq) + 1) - 1;
    if (lastErased <= Number(chain.anchor_seq))
        return;
    const anchor = await inChain(trx.selectFrom('security_events').select('hash'), userId).where('chain_seq', '=', lastErased).executeTakeFirst();
    if (anchor === undefined)
        return;
    await inChain(trx.deleteFrom('security_events'), userId).where('chain_seq', '<=', lastErased).execute();
    await trx.updateTable('audit_chains').set({ anchor_seq: lastErased, anchor_hash: anchor.hash }).where('id', '=', chain.id).execute();
}
//# sourceMappingURL=purge.js.map