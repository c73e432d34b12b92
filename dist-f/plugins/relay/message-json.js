/**
 * `JSON.stringify(data)` of a pushed private_message, written out. Every field is a UUID,
 * base64 or an integer, and JSON escapes none of their characters, so each goes in as it is;
 * JSON.stringify scans every character for something to escape (about 2 us per KiB of
 * ciphertext) and is called once per field. The fields are of those kinds wherever a message
 * comes from: checked against the frame schema on the way in (UUIDs, base64 patterns, safe
 * integers; the id is the server's own UUID), and read back from the queue as they were
 * stored, the ciphertext encoded from its bytes. Both transports write pushed messages with
 * it; test/relay/units.test.ts holds it to JSON.stringify.
 */
export function messageDataJson(data) {
    return `{"id":"${data.id}","seq":${data.seq},"senderId":"${data.senderId}","message":"${data.message}",` +
        `"nonce":"${data.nonce}","mac":"${data.mac}","ephemeralKey":"${data.ephemeralKey}","timestamp":${data.timestamp}}`;
}
/**
 * `JSON.stringify` of the ack to a private_message that carried a ref: the id is the server's
 * UUID and the status a plain word, so only the client's ref can need escaping.
 */
export function messageAckJson(ref, id, status) {
    return `{"type":"ack","ref":${typeof ref === 'number' ? ref : JSON.stringify(ref)},"data":{"id":"${id}","status":"${status}"}}`;
}
//# sourceMappingURL=message-json.js.map