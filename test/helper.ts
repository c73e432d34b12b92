import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import sodium from 'sodium-native'
import type { FastifyPluginAsync } from 'fastify'
import { buildServer, type App } from '../app.js'
import { loadConfig } from '../plugins/config.js'
import { createLogger } from '../scripts/logger.js'
import { ConfigSchema } from '../schemas/config.js'

/** The slice of tap's Test that the helpers use. */
export interface TestContext {
  teardown: (fn: () => unknown) => void
}

/**
 * Argon2 at its cheapest: tests measure behaviour, not hashing cost. At normal priority too: with
 * test files running in parallel on every core, idle-priority hashing would wait for a free core
 * at every sign-in (test/auth/hashing.test.ts covers the idle threads).
 */
export const FAST_ARGON2 = { ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1', ARGON2_MAX_CONCURRENT: '4', ARGON2_PRIORITY: 'normal' }

export const SCHED_IDLE = 5

/** This process's threads: scheduling policy and niceness, from /proc (fields 41 and 19 of stat). */
export function threads (): Array<{ policy: number, nice: number }> {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')
      return [{ policy: Number(fields[38]), nice: Number(fields[16]) }]
    } catch {
      return [] // the thread ended between the listing and the read
    }
  })
}

/** How many of this process's threads run at SCHED_IDLE. */
export const idleThreads = () => threads().filter((thread) => thread.policy === SCHED_IDLE).length

/** A fresh data directory, removed when the test ends. */
export function tempDir (t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'quietwire-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface BuildOptions {
  env?: Record<string, string>
  plugins?: FastifyPluginAsync<any>[]
  /** Reuse a data directory (a restart on the same database). */
  dataDir?: string
  /** Listen on a random loopback port (for sockets); `app.inject` works either way. */
  listen?: boolean
}

export interface Built {
  app: App
  dataDir: string
  /** Every log line the server wrote, as text. */
  logs: string[]
  /** http://127.0.0.1:PORT when listening. */
  url: string
}

/** A server built by the kernel on a real SQLite file in a temporary directory. */
export async function build (t: TestContext, options: BuildOptions = {}): Promise<Built> {
  const dataDir = options.dataDir ?? tempDir(t)
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'trace', ...FAST_ARGON2, ...options.env })
  const logs: string[] = []
  const sink = new Writable({ write (chunk, _enc, done) { logs.push(String(chunk)); done() } })
  const app = buildServer({ config, plugins: options.plugins }, { loggerInstance: createLogger(config, sink) })
  t.teardown(() => app.close())
  let url = ''
  if (options.listen === true) {
    url = await app.listen({ port: 0, host: '127.0.0.1' })
  } else {
    await app.ready()
  }
  return { app, dataDir, logs, url }
}

export interface TestUser {
  id: string
  username: string
  password: string
  publicKey: Buffer
  secretKey: Buffer
}

/** A Curve25519 key pair made by libsodium, as a client would. */
export function boxKeyPair (): { publicKey: Buffer, secretKey: Buffer } {
  const publicKey = Buffer.alloc(sodium.crypto_box_PUBLICKEYBYTES)
  const secretKey = Buffer.alloc(sodium.crypto_box_SECRETKEYBYTES)
  sodium.crypto_box_keypair(publicKey, secretKey)
  return { publicKey, secretKey }
}

let counter = 0
/** Registers a new user with a fresh key pair (through the real route). */
export async function registerUser (app: App, username = `user${process.pid}x${++counter}`): Promise<TestUser> {
  const keys = boxKeyPair()
  const password = `correct-horse-${counter}-Zq93!xw`
  const res = await app.inject({ method: 'POST', url: '/api/register', payload: { username, password, publicKey: keys.publicKey.toString('base64') } })
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`)
  return { id: res.json().id, username, password, ...keys }
}

/** Signs a user in; returns the bearer token. */
export async function login (app: App, user: Pick<TestUser, 'username' | 'password'>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { username: user.username, password: user.password, ...extra } })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  return res.json().token
}

/** A registered and signed-in user. */
export async function signedInUser (app: App, username?: string): Promise<TestUser & { token: string }> {
  const user = await registerUser(app, username)
  return { ...user, token: await login(app, user) }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** The path of `scripts/NAME.ts`. */
export const scriptPath = (name: string) => fileURLToPath(new URL(`../scripts/${name}.ts`, import.meta.url))

/**
 * The environment of a script run as a process: this test's (so the TypeScript loader works),
 * none of the server's own variables, NODE_ENV=test, then `env`.
 */
export function scriptEnv (env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in ConfigSchema.properties)))
  return { ...inherited, TS_NODE_TRANSPILE_ONLY: process.env.TS_NODE_TRANSPILE_ONLY ?? '1', NODE_ENV: 'test', ...env }
}

/** Runs `scripts/NAME.ts` to completion through the same TypeScript loader as the tests. */
export function runScript (name: string, args: string[] = [], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...process.execArgv, scriptPath(name), ...args], { env: scriptEnv(env), encoding: 'utf8' })
}
