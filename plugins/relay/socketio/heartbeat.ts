/**
 * Engine.IO v4 heartbeats: the server pings every `intervalMs` and cuts a client that has not
 * answered within `timeoutMs`. Any pong proves the client alive (the shim also sends receipt
 * pings of its own), and the next ping is scheduled from it.
 */
export function createHeartbeat (options: { intervalMs: number, timeoutMs: number, ping: () => void, dead: () => void }) {
  let pingTimer: NodeJS.Timeout | undefined
  let pongTimer: NodeJS.Timeout | undefined

  function schedule (): void {
    pingTimer = setTimeout(() => {
      options.ping()
      pongTimer = setTimeout(options.dead, options.timeoutMs)
    }, options.intervalMs)
  }

  schedule()
  return {
    pong (): void {
      if (pongTimer === undefined) return
      clearTimeout(pongTimer)
      pongTimer = undefined
      schedule()
    },
    stop (): void {
      clearTimeout(pingTimer)
      clearTimeout(pongTimer)
    }
  }
}
