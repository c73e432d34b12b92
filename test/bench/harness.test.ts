import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { build, idleThreads } from '../helper.js'
import { createAccounts } from '../../bench/accounts.js'
import { connectNative } from '../../bench/clients/native.js'
import { startLoginStorm } from '../../bench/login-clients.js'
import { parseOptions } from '../../bench/options.js'
import { cpuMicros, rssBytes } from '../../bench/proc.js'
import { median } from '../../bench/stats.js'
import { GENERATOR_NODE_FLAGS, SERVER_NODE_FLAGS } from '../../bench/processes.js'
import { startCeiling } from '../../bench/ceiling.js'
import { runLoad } from '../../bench/relay-load.js'
import { checkTargets, formatTable, machine, type BenchResults } from '../../bench/report.js'
import { measureIdle } from '../../bench/scenarios/idle.js'
import { runLoginStorm } from '../../bench/scenarios/login-storm.js'
import { runOfflineQueue } from '../../bench/scenarios/offline-queue.js'
import { ceilingTarget, closePairs, quietwireTarget, roundOrder, runRelayComparison } from '../../bench/scenarios/relay.js'
import { summarize } from '../../bench/profile-summary.js'

// A tiny bounded run proving the harness works end to end; no figure is asserted on.
const TINY = { durationMs: 300, warmupMs: 100, ciphertextBytes: 1024, window: 4 }
const RELAY_ENV = { RELAY_RATE_BURST: '1000000', RELAY_RATE_PER_SECOND: '1000000', RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '100000' }

t.test('/proc readings of this process are sane', async (t) => {
  const cpu0 = cpuMicros(process.pid)
  let x = 0
  for (let i = 0; i < 2e6; i++) x += i
  t.ok(x > 0)
  t.ok(cpuMicros(process.pid) >= cpu0)
  t.ok(rssBytes(process.pid) > 1 << 20, 'RSS over 1 MiB')
  t.throws(() => rssBytes(2 ** 30), 'a missing process throws')
})

t.test('options: defaults, flags, and refusal of unbounded values', async (t) => {
  const d = parseOptions([], {})
  t.equal(d.pairs, 50)
  t.equal(d.rate, 5000)
  t.equal(d.idle, 5000)
  t.equal(d.only.size, 5)
  const o = parseOptions(['--pairs', '3', '--only', 'native,idle'], { BENCH_RATE: '100' })
  t.equal(o.pairs, 3)
  t.equal(o.rate, 100)
  t.same([...o.only], ['native', 'idle'])
  t.throws(() => parseOptions(['--pairs', '0'], {}), /--pairs must be a number/)
  t.throws(() => parseOptions(['--idle', '1e9'], {}), /--idle must be a number/)
  t.throws(() => parseOptions(['--duration', 'soon'], {}), /--duration must be a number/)
  t.throws(() => parseOptions(['--only', 'everything'], {}), /--only takes/)
  t.throws(() => parseOptions(['--bogus', '1'], {}), /bogus/)
})

t.test('over six rounds, each of three targets runs in every place twice and after each other one equally often', async (t) => {
  const rounds = Array.from({ length: 6 }, (_, round) => roundOrder(['c', 'n', 's'], round))
  t.same(rounds[0], ['c', 'n', 's'])
  for (const target of ['c', 'n', 's']) {
    t.same([0, 1, 2].map((place) => rounds.filter((order) => order[place] === target).length), [2, 2, 2], `${target} in every place twice`)
  }
  const follows = new Map<string, number>()
  for (const order of rounds) for (let i = 1; i < order.length; i++) follows.set(order[i - 1] + order[i], (follows.get(order[i - 1] + order[i]) ?? 0) + 1)
  t.same([...follows.values()], [2, 2, 2, 2, 2, 2], 'every ordered pair twice')
  t.equal(follows.size, 6)
  t.same(roundOrder(['a', 'b'], 1), ['b', 'a'], 'two targets alternate')
  t.equal(parseOptions([], {}).rounds, 6, 'the default is one full cycle for three targets')
})

t.test('ceiling and native relay under the same load, with ratios', async (t) => {
  // In this process (the bench runs it as a child): only the harness is under test here.
  const ceiling = await startCeiling(0)
  t.teardown(() => ceiling.close())
  const { url } = await build(t, { listen: true, env: RELAY_ENV })
  const accounts = await createAccounts(url, 'smoke', 4)
  const targets = [ceilingTarget(process.pid, ceiling.url, 2), quietwireTarget('native', process.pid, url, accounts)]
  const lines: string[] = []
  const relay = await runRelayComparison(targets, { ...parseOptions([], {}), rounds: 1, duration: 0.3, warmup: 0.1, rate: 200, window: 4 }, (l) => lines.push(l))
  t.equal(lines.length, 4, 'one line per target and mode')
  for (const name of ['ceiling', 'native']) {
    for (const mode of ['max', 'fixed'] as const) {
      const m = relay[name][mode].median
      t.ok(m.delivered > 0, `${name} ${mode} delivered messages`)
      t.equal(m.errors, 0, `${name} ${mode} without errors`)
      t.ok(Number.isFinite(m.p99Ms) && m.p99Ms >= m.p50Ms, `${name} ${mode} percentiles`)
      t.ok(Number.isFinite(m.cpuUsPerMsg), `${name} ${mode} CPU per message`)
    }
  }
  t.ok(Number.isFinite(relay.native.fixed.ratio?.cpuUsPerMsg), 'ours as a ratio of the ceiling')
  t.equal(relay.ceiling.fixed.ratio, undefined)

  const results: BenchResults = { date: 'now', machine: machine(), options: {}, relay, targets: [] }
  results.targets = checkTargets(results)
  t.equal(results.targets.length, 3, 'the native targets are checked')
  const table = formatTable(results)
  t.match(table, /native fixed rate/)
  t.match(table, /Targets/)
})

t.test('only the target being measured runs: the other servers are stopped meanwhile', async (t) => {
  const ceiling = await startCeiling(0)
  t.teardown(() => ceiling.close())
  // Stand-ins for the servers' processes; the load itself goes to the ceiling in this process.
  const servers = [0, 1].map(() => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }))
  t.teardown(() => { for (const server of servers) server.kill('SIGKILL') })
  const stopped = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] === 'T'
  const states: string[] = []
  const targets = servers.map((server, i) => {
    const target = ceilingTarget(server.pid!, ceiling.url, 1)
    return {
      ...target,
      name: i === 0 ? 'ceiling' as const : 'native' as const,
      async connectPairs () {
        // Signals arrive asynchronously: wait (bounded) for the other to stop.
        for (let waited = 0; waited < 2000 && !stopped(servers[1 - i]!.pid!); waited += 10) await sleep(10)
        states.push(servers.map((s) => stopped(s.pid!) ? 'stopped' : 'running').join(' '))
        return await target.connectPairs()
      }
    }
  })
  await runRelayComparison(targets, { ...parseOptions([], {}), rounds: 2, duration: 0.1, warmup: 0.05, rate: 200, window: 4 }, () => {})
  const first = 'running stopped'
  const second = 'stopped running'
  t.same(states, [first, second, first, second, second, first, second, first], 'each run with the other server stopped, in the rounds\' order')
  t.notOk(servers.some((s) => stopped(s.pid!)), 'and every server running again afterwards')
})

t.test('each run counts the load generator\'s own collection pauses inside its window', async (t) => {
  const ceiling = await startCeiling(0)
  t.teardown(() => ceiling.close())
  const pairs = await ceilingTarget(process.pid, ceiling.url, 1).connectPairs()
  t.teardown(() => closePairs(pairs))
  const quiet = await runLoad(pairs, { ...TINY, pid: process.pid, rate: 100 })
  t.ok(Number.isFinite(quiet.generatorGcMs) && quiet.generatorGcMs >= 0, 'a number of milliseconds')
  // Garbage made in this process during the window: its young generation fills and is collected.
  let kept: unknown[] = []
  const churn = setInterval(() => { kept = Array.from({ length: 20_000 }, (_, i) => ({ i, s: String(i) })) }, 5)
  const busy = await runLoad(pairs, { ...TINY, pid: process.pid, rate: 100 }).finally(() => { clearInterval(churn) })
  t.ok(kept.length > 0)
  t.ok(busy.generatorGcMs > 0, `pauses counted (${busy.generatorGcMs.toFixed(2)} ms)`)
})

t.test('Socket.IO shim driven by socket.io-client', async (t) => {
  const { url } = await build(t, { listen: true, env: RELAY_ENV })
  const accounts = await createAccounts(url, 'sio', 2)
  const target = quietwireTarget('socketio', process.pid, url, accounts)
  const pairs = await target.connectPairs()
  t.teardown(() => closePairs(pairs))
  const result = await runLoad(pairs, { ...TINY, pid: process.pid, rate: 100 })
  t.ok(result.delivered > 0, 'messages delivered through the shim')
  t.equal(result.errors, 0)
})

t.test('offline queue: every message stored, then drained on connect', async (t) => {
  const { url } = await build(t, { listen: true, env: RELAY_ENV })
  const accounts = await createAccounts(url, 'off', 4)
  const senders = await Promise.all(accounts.slice(0, 2).map((a) => connectNative({ url, userId: a.id, token: a.token })))
  t.teardown(() => Promise.all(senders.map((s) => s.close())))
  const recipients = accounts.slice(2)
  const result = await runOfflineQueue(process.pid, senders, recipients.map((r) => r.id),
    (i, onDelivery) => connectNative({ url, userId: recipients[i].id, token: recipients[i].token, onDelivery }), 60, 256)
  t.equal(result.messages, 60)
  t.equal(result.stored, 60, 'all acked queued')
  t.equal(result.drained, 60, 'all delivered on reconnect')
  t.equal(result.errors, 0)
})

t.test('login storm: the clients sign in back to back on a thread of their own, at idle priority', async (t) => {
  const { url } = await build(t, { listen: true, env: RELAY_ENV })
  const accounts = await createAccounts(url, 'storm', 2)
  const before = idleThreads()
  const storm = await startLoginStorm({ url, accounts, concurrency: 2, warmupMs: 0 })
  const during = idleThreads()
  await sleep(300)
  const count = await storm.stop()
  t.equal(during - before, 1, 'one more thread at SCHED_IDLE while the storm runs')
  t.ok(count.logins > 0, 'sign-ins counted')
  t.equal(count.errors, 0)
  t.ok(count.countedMs > 0)
  t.equal(idleThreads(), before, 'the thread ends with the storm')
})

t.test('login storm scenario: storms alternate with runs without one, and the ratio is of their medians', async (t) => {
  const { url } = await build(t, { listen: true, env: RELAY_ENV })
  const accounts = await createAccounts(url, 'storms', 2)
  const target = quietwireTarget('native', process.pid, url, accounts)
  const options = { ...parseOptions([], {}), rounds: 2, stormDuration: 0.3, warmup: 0.1, rate: 100, stormConcurrency: 2 }
  const result = await runLoginStorm(process.pid, url, accounts, target.connectPairs, closePairs, options)
  t.equal(result.storms.length, 2, 'one storm a round')
  t.equal(result.withoutStorm.length, 3, 'a run without a storm before the first and after each')
  const windows = [result.withoutStorm[0], result.storms[0].relay, result.withoutStorm[1], result.storms[1].relay, result.withoutStorm[2]]
  t.ok(windows.every((w, i) => i === 0 || windows[i - 1].endUs <= w.startUs), 'in that order, one after another')
  t.ok(result.storms.every((s) => s.relay.delivered > 0 && s.loginsPerSec > 0), 'each storm carried messages and sign-ins')
  t.equal(result.loginErrors, 0)
  t.equal(result.p99WithoutMs, median(result.withoutStorm.map((r) => r.p99Ms)))
  t.equal(result.p99DuringMs, median(result.storms.map((s) => s.relay.p99Ms)))
  t.equal(result.p99Ratio, result.p99DuringMs / result.p99WithoutMs)
  t.ok(result.hashMs > 0 && result.boundLoginsPerSec > 0, 'the Argon2 bound measured')
  t.equal(result.hashDutyCycle, 0.5, 'the server\'s default duty cycle')
  t.equal(result.pacedBoundLoginsPerSec, result.boundLoginsPerSec * 0.5, 'halves the bound')
})

t.test('idle connections: RSS per connection is measured', async (t) => {
  const { url } = await build(t, { listen: true, env: RELAY_ENV })
  const accounts = await createAccounts(url, 'idle', 20, 4)
  const result = await measureIdle(process.pid, 20, (i) => connectNative({ url, userId: accounts[i].id, token: accounts[i].token }), 50)
  t.equal(result.connections, 20)
  t.ok(Number.isFinite(result.bytesPerConnection))
})

t.test('bad credentials fail the connection with the reason', async (t) => {
  const { url } = await build(t, { listen: true })
  await t.rejects(connectNative({ url, userId: 'x', token: 'not-a-token', timeoutMs: 3000 }), /closed 4401/)
})

t.test('profile summary: self time by area and function', async (t) => {
  const profile = {
    startTime: 0,
    endTime: 30,
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
      { id: 2, callFrame: { functionName: 'route', url: 'file:///x/dist/plugins/relay/core.js', lineNumber: 9 } },
      { id: 3, callFrame: { functionName: 'sendFrame', url: 'file:///x/node_modules/ws/lib/sender.js', lineNumber: 0 } },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } }
    ],
    samples: [2, 3, 3, 4],
    timeDeltas: [0, 10, 10, 10]
  }
  const s = summarize(profile)
  t.equal(s.busyMs, 0.03)
  t.same(s.areas.map((a) => a.name), ['ws', 'ours:plugins/relay'])
  t.match(s.functions[0].name, /^sendFrame node_modules\/ws/)
  // Samples fall at 0, 10, 20 and 30 us: a window around the first keeps only our function.
  const windowed = summarize(profile, [{ startUs: 0, endUs: 5 }])
  t.same(windowed.areas.map((a) => a.name), ['ours:plugins/relay'])
})

/** The scripts of package.json, which the bench's node flags must match. */
function packageScripts (): Record<string, string> {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts
}

t.test('the bench starts the server with the node flags npm start uses', async (t) => {
  t.equal(packageScripts().start, ['node', ...SERVER_NODE_FLAGS, 'dist/scripts/serve.js'].join(' '))
})

t.test('npm run bench runs the load generator with its node flags', async (t) => {
  t.equal(packageScripts().bench, ['npm run build && node', ...GENERATOR_NODE_FLAGS, 'dist/bench/index.js'].join(' '))
})
