import { AppError } from '../errors.js';
import { verifyEd25519 } from '../crypto/sodium.js';
import { findUserByUsername } from './accounts.js';
import { challengeMessage, consumeChallenge, issueChallenge } from './challenges.js';
// RFC 8032's first test key: verified against when there is no key, so every failure does the same work.
const DECOY_KEY = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
// One message for an unknown name, a missing key and a bad signature: the answer tells nothing.
const FAILED = 'Invalid username or signature';
/** Key-pair login: a single-use challenge signed with the user's registered Ed25519 key. */
export function createKeyLogin(deps) {
    const { db, guard, now } = deps;
    return {
        challenge: (username) => issueChallenge(db, username, now(), deps.challengeTtlMs),
        async login(input, client) {
            if (!(await consumeChallenge(db, input.username, input.challenge, now())))
                throw new AppError('challenge_invalid');
            const user = await findUserByUsername(db, input.username);
            const key = user?.signing_key != null ? Buffer.from(user.signing_key, 'base64') : DECOY_KEY;
            const valid = verifyEd25519(Buffer.from(input.signature, 'base64'), challengeMessage(input.challenge), key);
            if (user === undefined)
                return await guard.unknownUser(client.ip, FAILED);
            guard.assertNotLocked(user, client.ip);
            if (!valid || user.signing_key === null) {
                await guard.fail(user, 'bad_signature', new AppError('invalid_credentials', FAILED), { clientIp: client.ip, ip: deps.storedIp(user, client.ip) });
            }
            return await deps.finish(user, input, client, 'key');
        }
    };
}
//# sourceMappingURL=key-login.js.map