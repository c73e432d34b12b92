import { EventEmitter } from 'node:events'

/**
 * How nodes tell each other what the relay and presence need (a user went online or offline,
 * a key changed). In-process by default: one node hears itself. A Redis pub/sub implementation
 * of the same interface is what scale-out adds (DESIGN.md section 6).
 */
export interface Backplane {
  publish: (topic: string, message: unknown) => void
  /** Returns the function that unsubscribes. */
  subscribe: (topic: string, handler: (message: unknown) => void) => () => void
  close: () => Promise<void>
}

/** The single-node backplane: synchronous, in memory. */
export function createInProcessBackplane (onError: (err: unknown, topic: string) => void = () => {}): Backplane {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    publish (topic, message) {
      for (const handler of emitter.listeners(topic)) {
        try { handler(message) } catch (err) { onError(err, topic) }
      }
    },
    subscribe (topic, handler) {
      emitter.on(topic, handler)
      return () => { emitter.off(topic, handler) }
    },
    async close () { emitter.removeAllListeners() }
  }
}
