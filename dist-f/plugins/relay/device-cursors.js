import { sql } from 'kysely';
import { chunksOf } from './chunks.js';
/** A user's valid devices (sessions neither ended nor expired), with when each expires. */
export async function validDevices(db, userId, now) {
    const rows = await db.selectFrom('delivery_cursors').innerJoin('sessions', 'sessions.id', 'delivery_cursors.session_id')
        .select(['delivery_cursors.session_id as sessionId', 'sessions.expires_at as expiresAt'])
        .where('delivery_cursors.user_id', '=', userId).where('sessions.is_valid', '=', 1).where('sessions.expires_at', '>', now)
        .execute();
    return new Map(rows.map((r) => [r.sessionId, Number(r.expiresAt)]));
}
/**
 * The device of a session that is connecting: where its delivery resumes, when the session
 * expires (not its access token: the device outlives each token it refreshes), and how many messages
 * were dropped before reaching it (taken: told once). A new device starts where the user's most
 * advanced other device is, so it receives what has reached none of them, not their history;
 * the user's first device receives everything queued and the drops counted while there was none.
 */
export async function openDevice(db, sessionId, userId, now) {
    return await db.transaction().execute(async (trx) => {
        const session = await trx.selectFrom('sessions').leftJoin('delivery_cursors', 'delivery_cursors.session_id', 'sessions.id')
            .select(['sessions.expires_at as expiresAt', 'delivery_cursors.acked_seq as ackedSeq', 'delivery_cursors.dropped as dropped'])
            .where('sessions.id', '=', sessionId).executeTakeFirstOrThrow();
        const expiresAt = Number(session.expiresAt);
        if (session.ackedSeq !== null) {
            const dropped = Number(session.dropped);
            if (dropped > 0)
                await trx.updateTable('delivery_cursors').set({ dropped: sql `dropped - ${dropped}` }).where('session_id', '=', sessionId).execute();
            return { ackedSeq: Number(session.ackedSeq), dropped, expiresAt };
        }
        const others = await trx.selectFrom('delivery_cursors').innerJoin('sessions', 'sessions.id', 'delivery_cursors.session_id')
            .select((eb) => [eb.fn.max('delivery_cursors.acked_seq').as('ackedSeq'), eb.fn.countAll().as('count')])
            .where('delivery_cursors.user_id', '=', userId).where('sessions.is_valid', '=', 1).where('sessions.expires_at', '>', now)
            .executeTakeFirstOrThrow();
        const ackedSeq = Number(others.ackedSeq ?? 0);
        const dropped = Number(others.count) === 0 ? await takeUndeviced(trx, userId) : 0;
        await trx.insertInto('delivery_cursors').values({ session_id: sessionId, user_id: userId, acked_seq: ackedSeq }).execute();
        return { ackedSeq, dropped, expiresAt };
    });
}
async function takeUndeviced(trx, userId) {
    const row = await trx.selectFrom('relay_cursors').select('dropped').where('user_id', '=', userId).executeTakeFirst();
    const dropped = Number(row?.dropped ?? 0);
    if (dropped > 0)
        await trx.updateTable('relay_cursors').set({ dropped: sql `dropped - ${dropped}` }).where('user_id', '=', userId).execute();
    return dropped;
}
/** Takes (reads and clears) the count of dropped messages a device has not been told of. */
export async function takeDeviceDropped(db, sessionId) {
    return await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('delivery_cursors').select('dropped').where('session_id', '=', sessionId).executeTakeFirst();
        const dropped = Number(row?.dropped ?? 0);
        if (dropped > 0)
            await trx.updateTable('delivery_cursors').set({ dropped: sql `dropped - ${dropped}` }).where('session_id', '=', sessionId).execute();
        return dropped;
    });
}
/**
 * Moves device cursors forward (never back), 400 devices a statement: every active device moves
 * each second, and a statement each stopped the event loop for a tenth of a second at a few
 * thousand devices. A session that ended meanwhile has no cursor left, and is skipped.
 */
export async function advanceDevices(db, cursors) {
    for (const moves of chunksOf([...cursors], 400)) {
        const values = sql.join(moves.map(([sessionId, ackedSeq]) => sql `(${sessionId}, ${ackedSeq})`));
        await sql `update delivery_cursors
      set acked_seq = case when acked_seq < moved.column2 then moved.column2 else acked_seq end
      from (values ${values}) as moved where delivery_cursors.session_id = moved.column1`.execute(db);
    }
}
/**
 * The highest seq every valid device of a user has received, as SQL: the queue up to it can go.
 * Null (nothing goes) while the user has no valid device: the queue waits for the first one.
 */
export function deliveredFloor(db, recipientId, now) {
    return db.selectFrom('delivery_cursors').innerJoin('sessions', 'sessions.id', 'delivery_cursors.session_id')
        .select((eb) => eb.fn.min('delivery_cursors.acked_seq').as('floor'))
        .where('delivery_cursors.user_id', '=', recipientId).where('sessions.is_valid', '=', 1).where('sessions.expires_at', '>', now);
}
/**
 * Before queued messages of a recipient are dropped (expired or over quota): counts, for each of
 * its devices, those among them the device has not received, so each is told its own loss. With
 * no valid device the count waits for the first one.
 */
export async function countDrops(db, recipientId, doomed, bound, total, now) {
    const devices = await validDevices(db, recipientId, now);
    if (devices.size === 0) {
        await db.insertInto('relay_cursors').values({ user_id: recipientId, dropped: total })
            .onConflict((oc) => oc.column('user_id').doUpdateSet({ dropped: sql `relay_cursors.dropped + ${total}` }))
            .execute();
        return;
    }
    const condition = doomed === 'seq' ? sql `m.seq <= ${bound}` : sql `m.created_at < ${bound}`;
    await db.updateTable('delivery_cursors')
        .set({ dropped: sql `dropped + (select count(*) from messages m where m.recipient_id = delivery_cursors.user_id and m.seq > delivery_cursors.acked_seq and ${condition})` })
        .where('user_id', '=', recipientId).execute();
}
//# sourceMappingURL=device-cursors.js.map