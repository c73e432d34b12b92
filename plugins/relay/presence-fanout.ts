import type { PresenceChange } from '../presence.js'
import type { ServerFrame } from './contract.js'

type AboutUser = ServerFrame & { data: { userId: string } }

/**
 * Presence changes to every connected user, coalesced over a short window: a burst of users
 * connecting (a restart) costs one write per connection per window rather than one per change,
 * and a user who flaps within the window causes no frame at all.
 */
export function createPresenceFanout (options: { windowMs: number, send: (frames: AboutUser[]) => void }) {
  const pending = new Map<string, PresenceChange>()
  // What the others were last told, per user (only online users are kept).
  const announced = new Set<string>()
  let timer: NodeJS.Timeout | null = null

  function flush () {
    timer = null
    const frames: AboutUser[] = []
    for (const change of pending.values()) {
      const online = change.status === 'online'
      if (announced.has(change.userId) === online) continue
      if (online) announced.add(change.userId); else announced.delete(change.userId)
      frames.push({ type: 'user_presence', data: change })
    }
    pending.clear()
    if (frames.length > 0) options.send(frames)
  }

  return {
    change (change: PresenceChange): void {
      pending.delete(change.userId)
      pending.set(change.userId, change)
      timer ??= setTimeout(flush, options.windowMs)
    },
    stop (): void {
      if (timer !== null) clearTimeout(timer)
      timer = null
    }
  }
}
