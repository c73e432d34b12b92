import type { Writable } from 'node:stream'

function uncork (stream: Writable) {
  stream.uncork()
}

/**
 * Holds a socket's writes until the current tick ends, so the frames sent to it meanwhile leave
 * in one system call instead of one each: a catch-up page, the `queued` acks of a committed
 * batch, the messages of several frames read from one TCP chunk. Nothing waits longer than the
 * synchronous work already running. Call before each write.
 */
export function corkForTick (stream: Writable): void {
  if (stream.writableCorked > 0) return
  stream.cork()
  process.nextTick(uncork, stream)
}
