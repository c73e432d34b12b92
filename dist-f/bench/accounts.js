import { randomBytes } from 'node:crypto';
async function post(url, path, body) {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json().catch(() => null) };
}
/** Signs in through POST /api/login; returns the bearer token. */
export async function login(url, username, password) {
    const res = await post(url, '/api/login', { username, password });
    if (res.status !== 200)
        throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json.token;
}
/** Registers and signs in one user through the real REST API. */
export async function createAccount(url, username) {
    const password = `bench-${randomBytes(12).toString('base64url')}-Zq9!`;
    // The server checks only that this is a 32-byte key; clients make it with crypto_box_keypair.
    const publicKey = randomBytes(32).toString('base64');
    const res = await post(url, '/api/register', { username, password, publicKey });
    if (res.status !== 201)
        throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.json)}`);
    return { id: res.json.id, username, password, token: await login(url, username, password) };
}
/** `count` accounts, `concurrency` registrations at a time. */
export async function createAccounts(url, prefix, count, concurrency = 4) {
    const accounts = new Array(count);
    let next = 0;
    const tag = randomBytes(3).toString('hex');
    async function worker() {
        while (next < count) {
            const i = next++;
            accounts[i] = await createAccount(url, `${prefix}${tag}${i}`);
        }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return accounts;
}
/**
 * Hides a user's presence (PATCH /api/me/settings). The idle scenario measures what a connection
 * costs to hold; without this, every connect also fans a presence frame out to every other user.
 */
export async function hidePresence(url, account) {
    const res = await fetch(url + '/api/me/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${account.token}` },
        body: JSON.stringify({ presenceVisible: false })
    });
    if (!res.ok)
        throw new Error(`hide presence ${account.username}: ${res.status} ${await res.text()}`);
}
//# sourceMappingURL=accounts.js.map