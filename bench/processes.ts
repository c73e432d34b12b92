import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A server under test running as a child process, so its CPU and memory are its own. */
export interface ServerProcess {
  readonly pid: number
  /** http://127.0.0.1:PORT */
  readonly url: string
  readonly port: number
  stop: () => Promise<void>
}

const live = new Set<ChildProcess>()
let hooked = false

/** Children die with the bench, whatever ends it. */
function hookExit () {
  if (hooked) return
  hooked = true
  const killAll = () => { for (const child of live) child.kill('SIGKILL') }
  process.once('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { killAll(); process.exit(130) })
  }
}

/** A free loopback port (the kernel picks it; the tiny race is harmless on a bench machine). */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * The node flags `npm start` runs the server with (package.json; a test keeps the two equal), so
 * the bench measures the server as it is deployed.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64', '--heap-growing-percent=100']

/**
 * The node flags of the bench process itself, the load generator (`npm run bench`; a test keeps
 * the two equal). Without allocation-site pretenuring: in about one bench process in four, V8
 * decided to allocate some per-message objects (most likely socket.io-client's) straight in the
 * old generation, where, dead, they still held each message's young encoded text through the
 * next scavenges. The generator's pauses doubled for that process's whole life and the shim's p99
 * with them, though our server was the same (docs/BENCHMARK-LOG.md, "Since the 17:03 run").
 */
export const GENERATOR_NODE_FLAGS = ['--no-allocation-site-pretenuring']

export interface SpawnOptions {
  /** The script to run (a built .js file). */
  script: string
  env?: Record<string, string>
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[]
  /** Path polled until it answers 200. */
  readyPath: string
  /** Longest wait for readiness. */
  timeoutMs?: number
}

/** Starts a server child on a free loopback port and waits until `readyPath` answers. */
export async function spawnServer (options: SpawnOptions): Promise<ServerProcess> {
  hookExit()
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'quietwire-bench-'))
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  live.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve() }))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.script} exited with ${child.exitCode} before it was ready`)
    try {
      const res = await fetch(url + options.readyPath)
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`${options.script} not ready after ${options.timeoutMs ?? 30_000} ms`) }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    pid: child.pid!,
    url,
    port,
    async stop () {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** The environment of a production-like quietwire server under the bench's load. */
export function serverEnv (extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    TOTP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    // The bench signs in many users from one address and sends far over a person's rate.
    RATE_LIMIT_MAX: '100000000',
    AUTH_RATE_LIMIT_MAX: '100000000',
    RELAY_RATE_BURST: '100000000',
    RELAY_RATE_PER_SECOND: '100000000',
    ...extra
  }
}

const SERVE = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'serve.js')

/** The built quietwire server as `npm start` runs it, with `extra` environment (see serverEnv). */
export async function spawnQuietwire (extra: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  return await spawnServer({ script: SERVE, env: serverEnv(extra), nodeArgs: [...SERVER_NODE_FLAGS, ...nodeArgs], readyPath: '/readyz' })
}
