import fp from 'fastify-plugin'

interface OnlineEntry {
  username: string
  connections: number
  /** False while the user appears offline or hides presence: counted, not listed. */
  visible: boolean
}

/**
 * Who is online on this node. The relay reports connections opening and closing; routes list the
 * visible ones. Kept in memory: presence is not worth a disk write.
 */
export function createPresence () {
  const online = new Map<string, OnlineEntry>()
  return {
    /** Counts a connection; returns true when it made the user online. */
    connected (userId: string, username: string, visible: boolean): boolean {
      const entry = online.get(userId)
      if (entry !== undefined) { entry.connections++; return false }
      online.set(userId, { username, connections: 1, visible })
      return true
    },
    /** Uncounts a connection; returns true when it was the user's last. */
    disconnected (userId: string): boolean {
      const entry = online.get(userId)
      if (entry === undefined) return false
      if (--entry.connections > 0) return false
      online.delete(userId)
      return true
    },
    setVisible (userId: string, visible: boolean): void {
      const entry = online.get(userId)
      if (entry !== undefined) entry.visible = visible
    },
    isOnline: (userId: string) => online.get(userId)?.visible === true,
    /** Visible online users ordered by id, `limit` after `cursor` (the last id of the previous page). */
    list (limit: number, cursor?: string) {
      const ids = [...online.keys()].filter((id) => online.get(id)?.visible === true && (cursor === undefined || id > cursor)).sort()
      const page = ids.slice(0, limit).map((userId) => ({ userId, username: online.get(userId)?.username ?? '' }))
      return { items: page, nextCursor: ids.length > limit ? page[page.length - 1]!.userId : null }
    }
  }
}

export type Presence = ReturnType<typeof createPresence>

declare module 'fastify' {
  interface FastifyInstance {
    presence: Presence
  }
}

export default fp(async function presencePlugin (app) {
  app.decorate('presence', createPresence())
}, { name: 'presence', dependencies: ['auth'] })
