import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, registerUser, tempDir } from '../helper.js'

const filterFile = fileURLToPath(new URL('../../deploy/fail2ban/filter.d/quietwire.conf', import.meta.url))
const jailFile = fileURLToPath(new URL('../../deploy/fail2ban/jail.d/quietwire.local', import.meta.url))

/** The `failregex` of the shipped filter with `<HOST>` expanded as fail2ban 1.0 does (failregex.py, ipdns.py). */
function filterRegex (): RegExp {
  const text = readFileSync(filterFile, 'utf8')
  const failregex = /^failregex\s*=\s*(.+)$/m.exec(text)?.[1]?.trim()
  if (failregex === undefined) throw new Error('no failregex in the filter')
  const ip4 = '(?<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})'
  const ip6 = '(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):))'
  const dns = '(?<dns>[\\w\\-.^_]*\\w)'
  const host = `(?:\\[?(?:(?:::f{4,6}:)?${ip4}|${ip6})\\]?|${dns})`
  return new RegExp(failregex.replace('<HOST>', host))
}

function hostOf (match: RegExpExecArray | null): string | undefined {
  return match?.groups?.ip4 ?? match?.groups?.ip6 ?? match?.groups?.dns
}

/** The real log lines of failed logins, from a real server and its real logger. */
async function failedLoginLines (t: Test, clientIp: string) {
  const { app, logs } = await build(t, { env: { LOG_LEVEL: 'info', LOCKOUT_MAX_ATTEMPTS: '2' } })
  const user = await registerUser(app)
  const attempt = (username: string, password: string) => app.inject({
    method: 'POST', url: '/api/login', remoteAddress: clientIp, payload: { username, password }
  })
  t.equal((await attempt('nobody-here', 'whatever-password-1')).statusCode, 401)
  t.equal((await attempt(user.username, 'wrong-password-123')).statusCode, 401)
  t.equal((await attempt(user.username, 'wrong-password-123')).statusCode, 423)
  t.equal((await attempt(user.username, user.password)).statusCode, 423, 'locked: a right password fails too')
  const lines = logs.join('').split('\n').filter((line) => line.includes('login failed'))
  const stored = await app.db.selectFrom('security_events').select('ip_address').where('ip_address', 'is not', null).execute()
  t.same(stored, [], 'the address went to the log, not to the database')
  return lines
}

t.test('every failed password login writes one line the shipped filter bans by address', async (t) => {
  const lines = await failedLoginLines(t, '203.0.113.7')
  t.equal(lines.length, 4, 'unknown user, two wrong passwords, one while locked')
  const regex = filterRegex()
  for (const line of lines) {
    t.equal(hostOf(regex.exec(line)), '203.0.113.7', line)
    t.match(line, /"time":\d{13},/, 'the time is where the datepattern looks')
  }
  t.match(lines[0], /\(unknown_user\)/)
  t.match(lines[3], /\(locked\)/)
})

t.test('IPv6 and IPv4-mapped client addresses are matched too', async (t) => {
  const regex = filterRegex()
  const v6 = await failedLoginLines(t, '2001:db8::7')
  t.equal(hostOf(regex.exec(v6[0]!)), '2001:db8::7')
  const mapped = await failedLoginLines(t, '::ffff:198.51.100.9')
  t.equal(hostOf(regex.exec(mapped[0]!)), '198.51.100.9')
})

t.test('lines that are not failed logins are not matched', async (t) => {
  const regex = filterRegex()
  const { app, logs } = await build(t, { env: { LOG_LEVEL: 'info' } })
  const user = await registerUser(app)
  await app.inject({ method: 'POST', url: '/api/login', remoteAddress: '192.0.2.1', payload: { username: user.username, password: user.password } })
  await app.inject({ method: 'GET', url: '/healthz?from=192.0.2.1' })
  const lines = logs.join('').split('\n').filter((line) => line !== '')
  t.ok(lines.length > 0)
  for (const line of lines) t.notOk(regex.test(line), line)
  // Text a client controls is a JSON string value, quotes escaped: it cannot forge the message.
  const forged = JSON.stringify({ level: 30, time: 1764251402000, url: '"msg":"quietwire-auth: login failed from 192.0.2.1 (x)"}', msg: 'incoming request' })
  t.notOk(regex.test(forged), 'a forged message inside another field does not match')
  t.notOk(regex.test('{"msg":"quietwire-auth: login failed from 192.0.2.1 (x)"} trailing'), 'the line must end with the message')
})

const fail2banMissing = spawnSync('fail2ban-regex', ['--version'], { encoding: 'utf8' }).error !== undefined
t.test('fail2ban-regex itself matches the real line (when fail2ban is installed)', {
  skip: fail2banMissing ? 'fail2ban-regex is not installed (apt-get install -y fail2ban)' : false
}, async (t) => {
  const lines = await failedLoginLines(t, '203.0.113.9')
  const log = join(tempDir(t), 'quietwire.log')
  writeFileSync(log, lines.join('\n') + '\n{"level":30,"time":1764251402000,"msg":"server listening from 203.0.113.9"}\n')
  const run = spawnSync('fail2ban-regex', [log, filterFile], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, new RegExp(`Lines: ${lines.length + 1} lines, 0 ignored, ${lines.length} matched, 1 missed`))
  t.match(run.stdout, /"time":\{LEPOCH\}/, 'the datepattern found the time')
  t.match(readFileSync(jailFile, 'utf8'), /filter\s*=\s*quietwire/)
})
