import type { Kysely } from 'kysely'
import type { Database, User } from '../../db/types.js'
import { AppError } from '../errors.js'
import { verifyEd25519 } from '../crypto/sodium.js'
import { findUserByUsername } from './accounts.js'
import { challengeMessage, consumeChallenge, issueChallenge } from './challenges.js'
import type { LoginGuard } from './login-guard.js'

export interface KeyLoginInput {
  username: string
  challenge: string
  /** Base64 Ed25519 signature of `challengeMessage(challenge)`. */
  signature: string
  totp?: string
  deviceLabel?: string
}

export interface KeyLoginDeps<R> {
  db: Kysely<Database>
  guard: LoginGuard
  challengeTtlMs: number
  now: () => number
  /** The rest of a sign-in once the first factor is proven: second factor, session, audit. */
  finish: (user: User, input: { totp?: string, deviceLabel?: string }, client: { ip: string, userAgent?: string }, method: 'key') => Promise<R>
  /** What may be stored of the client for this user (null unless opted in). */
  storedIp: (user: User, clientIp: string) => string | null
}

// RFC 8032's first test key: verified against when there is no key, so every failure does the same work.
const DECOY_KEY = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex')
// One message for an unknown name, a missing key and a bad signature: the answer tells nothing.
const FAILED = 'Invalid username or signature'

/** Key-pair login: a single-use challenge signed with the user's registered Ed25519 key. */
export function createKeyLogin<R> (deps: KeyLoginDeps<R>) {
  const { db, guard, now } = deps
  return {
    challenge: (username: string) => issueChallenge(db, username, now(), deps.challengeTtlMs),

    async login (input: KeyLoginInput, client: { ip: string, userAgent?: string }): Promise<R> {
      if (!(await consumeChallenge(db, input.username, input.challenge, now()))) throw new AppError('challenge_invalid')
      const user = await findUserByUsername(db, input.username)
      const key = user?.signing_key != null ? Buffer.from(user.signing_key, 'base64') : DECOY_KEY
      const valid = verifyEd25519(Buffer.from(input.signature, 'base64'), challengeMessage(input.challenge), key)
      if (user === undefined) return await guard.unknownUser(client.ip, FAILED)
      guard.assertNotLocked(user, client.ip)
      if (!valid || user.signing_key === null) {
        await guard.fail(user, 'bad_signature', new AppError('invalid_credentials', FAILED), { clientIp: client.ip, ip: deps.storedIp(user, client.ip) })
      }
      return await deps.finish(user, input, client, 'key')
    }
  }
}
