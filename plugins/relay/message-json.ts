import type { PrivateMessageOutData } from '../../schemas/frames.js'

const json = JSON.stringify

/**
 * `JSON.stringify(data)` of a pushed private_message, written out. JSON.stringify scans every
 * character of the ciphertext for something to escape (about 2 us per KiB), and base64 has
 * nothing to escape: the ciphertext is base64 wherever a message comes from (checked against
 * BASE64_PATTERN on the way in, encoded from the stored bytes on the way out of the queue), so
 * it goes in as it is. Every other field still goes through JSON.stringify. Both transports
 * write pushed messages with it; test/relay/units.test.ts holds it to JSON.stringify.
 */
export function messageDataJson (data: PrivateMessageOutData): string {
  return `{"id":${json(data.id)},"seq":${json(data.seq)},"senderId":${json(data.senderId)},"message":"${data.message}",` +
    `"nonce":${json(data.nonce)},"mac":${json(data.mac)},"ephemeralKey":${json(data.ephemeralKey)},"timestamp":${json(data.timestamp)}}`
}
