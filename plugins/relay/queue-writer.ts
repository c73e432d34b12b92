import type { Kysely } from 'kysely'
import type { Database, MessagesTable } from '../../db/types.js'
import { deleteAcked, enforceQuota, insertMessages, saveCursors } from './queue-store.js'

/** Called once the transaction holding a queued message committed (or failed). */
export type Committed = (err?: unknown) => void

export interface QueueWriterOptions {
  db: Kysely<Database>
  /** Longest wait before a write reaches the database. */
  flushMs: number
  /** A batch this large is written at once. */
  maxBatch: number
  /** Most queued messages per recipient. */
  quota: number
  /** Recipients who lost messages to the quota in a batch, with how many. */
  onDropped: (recipientId: string, count: number) => void
  onError: (err: unknown) => void
}

// Cursor-only changes (messages delivered live) are not urgent: at most this often.
const CURSOR_FLUSH_MS = 1000

/**
 * Batches the offline queue's writes (new messages, acked deletions, sequence cursors) into one
 * transaction every few milliseconds, so the hot path never waits on the disk per message. A
 * message counts as queued only once its batch committed: `committed` runs after that.
 */
function mergeInto (into: Map<string, number>, from: Map<string, number>) {
  for (const [key, count] of from) into.set(key, (into.get(key) ?? 0) + count)
}

export function createQueueWriter (options: QueueWriterOptions) {
  const { db, flushMs, maxBatch, quota } = options
  let inserts: Array<{ row: MessagesTable, committed: Committed }> = []
  let deletes: Array<{ id: string, recipientId: string }> = []
  let cursors = new Map<string, number>()
  // Uncommitted inserts and deletions per recipient: a connection catching up reads the queue
  // only once they are written, or it would miss a new message or get an acked one again.
  const pending = new Map<string, number>()
  function settle (recipientId: string) {
    const left = (pending.get(recipientId) ?? 1) - 1
    if (left > 0) pending.set(recipientId, left); else pending.delete(recipientId)
  }
  let timer: NodeJS.Timeout | null = null
  let timerDue = Infinity
  let running: Promise<void> = Promise.resolve()

  function schedule (delay: number) {
    const due = Date.now() + delay
    if (timer !== null && timerDue <= due) return
    if (timer !== null) clearTimeout(timer)
    timerDue = due
    timer = setTimeout(() => { void flush() }, delay)
  }

  // Queued messages per recipient as far as this process knows. Never below the truth: only
  // this writer adds rows, and deletions elsewhere (retention, account deletion) only lower the
  // real count. So the quota's count query runs only for recipients that may be over it, or
  // that this process has not counted yet, instead of for every recipient of every batch.
  const queued = new Map<string, number>()

  async function writeBatch (rows: MessagesTable[], acks: Array<{ id: string, recipientId: string }>, seqs: Map<string, number>) {
    const result = await db.transaction().execute(async (trx) => {
      await insertMessages(trx, rows)
      const deleted = await deleteAcked(trx, acks)
      await saveCursors(trx, seqs)
      const next = new Map<string, number>()
      const uncounted = new Set<string>()
      for (const { recipient_id: recipientId } of rows) {
        const known = next.get(recipientId) ?? queued.get(recipientId)
        if (known === undefined) uncounted.add(recipientId); else next.set(recipientId, known + 1)
      }
      for (const [recipientId, count] of deleted) {
        if (uncounted.has(recipientId)) continue
        const known = next.get(recipientId) ?? queued.get(recipientId)
        if (known !== undefined) next.set(recipientId, known - count)
      }
      for (const [recipientId, count] of next) if (count > quota) uncounted.add(recipientId)
      if (uncounted.size === 0) return { dropped: new Map<string, number>(), next }
      const { lost, counts } = await enforceQuota(trx, [...uncounted], quota)
      for (const [recipientId, count] of counts) next.set(recipientId, count)
      return { dropped: lost, next }
    })
    // Committed: the counts are true now.
    for (const [recipientId, count] of result.next) {
      if (count > 0) queued.set(recipientId, count); else queued.delete(recipientId)
    }
    return result.dropped
  }

  async function write () {
    timer = null
    timerDue = Infinity
    if (inserts.length === 0 && deletes.length === 0 && cursors.size === 0) return
    const batch = { inserts, deletes, cursors }
    inserts = []
    deletes = []
    cursors = new Map()
    let dropped = new Map<string, number>()
    let whole = false
    try {
      dropped = await writeBatch(batch.inserts.map((i) => i.row), batch.deletes, batch.cursors)
      whole = true
    } catch (err) {
      // One bad row (say, its recipient was deleted meanwhile) must not sink the others.
      for (const { row, committed } of batch.inserts) {
        try {
          mergeInto(dropped, await writeBatch([row], [], new Map()))
          committed()
        } catch (rowErr) {
          options.onError(rowErr)
          committed(rowErr)
        }
      }
      try { await writeBatch([], batch.deletes, new Map()) } catch (e) { options.onError(e) }
      for (const [userId, seq] of batch.cursors) {
        try { await writeBatch([], [], new Map([[userId, seq]])) } catch {}
      }
      if (batch.inserts.length === 0) options.onError(err)
    } finally {
      for (const { row } of batch.inserts) settle(row.recipient_id)
      for (const { recipientId } of batch.deletes) settle(recipientId)
    }
    if (whole) for (const { committed } of batch.inserts) committed()
    for (const [recipientId, count] of dropped) options.onDropped(recipientId, count)
  }

  /** Writes everything enqueued so far; resolves once it is committed. */
  function flush (): Promise<void> {
    running = running.then(write, write)
    return running
  }

  return {
    insert (row: MessagesTable, committed: Committed): void {
      inserts.push({ row, committed })
      pending.set(row.recipient_id, (pending.get(row.recipient_id) ?? 0) + 1)
      if (inserts.length >= maxBatch) void flush(); else schedule(flushMs)
    },
    delete (id: string, recipientId: string): void {
      deletes.push({ id, recipientId })
      pending.set(recipientId, (pending.get(recipientId) ?? 0) + 1)
      schedule(flushMs)
    },
    cursor (userId: string, lastSeq: number): void {
      cursors.set(userId, lastSeq)
      schedule(CURSOR_FLUSH_MS)
    },
    hasPendingFor: (recipientId: string) => pending.has(recipientId),
    flush,
    /** Stops the timer; the caller flushes once more before closing the database. */
    stop (): void {
      if (timer !== null) clearTimeout(timer)
      timer = null
    }
  }
}

export type QueueWriter = ReturnType<typeof createQueueWriter>
