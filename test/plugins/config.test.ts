import t from 'tap'
import { statSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, seconds } from '../../plugins/config.js'
import { tempDir } from '../helper.js'

t.test('with nothing set the defaults serve on SQLite in DATA_DIR', async (t) => {
  const dir = tempDir(t)
  const warnings: string[] = []
  const config = loadConfig({ DATA_DIR: dir }, (w) => warnings.push(w))
  t.equal(config.PORT, 3001)
  t.equal(config.HOST, '127.0.0.1')
  t.equal(config.databaseFile, join(dir, 'quietwire.db'))
  t.equal(config.ARGON2_MEMORY_KIB, 19456)
  t.equal(config.ARGON2_TIME_COST, 2)
  t.equal(config.ARGON2_PARALLELISM, 1)
  t.equal(config.ARGON2_DUTY_CYCLE, 0.5)
  t.equal(seconds(config.JWT_TTL), 86400)
  t.match(warnings.join('\n'), /JWT_SECRET not set/)
})

t.test('a generated JWT secret is kept with mode 0600 and reused', async (t) => {
  const dir = tempDir(t)
  const first = loadConfig({ DATA_DIR: dir })
  const file = join(dir, 'jwt-secret')
  t.equal(statSync(file).mode & 0o777, 0o600)
  t.ok(Buffer.from(first.jwtSecret, 'base64url').length >= 32)
  t.equal(readFileSync(file, 'utf8'), first.jwtSecret)
  t.equal(loadConfig({ DATA_DIR: dir }).jwtSecret, first.jwtSecret, 'the same secret after a restart')
})

t.test('production refuses a missing or short JWT_SECRET', async (t) => {
  const dir = tempDir(t)
  t.throws(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production' }), { name: 'Error', message: /JWT_SECRET.*required in production/ })
  t.throws(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', JWT_SECRET: 'short' }), /JWT_SECRET.*at least 32 bytes/)
  const ok = loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })
  t.equal(ok.jwtSecret, 'x'.repeat(32))
})

t.test('a bad value names the variable and what is expected', async (t) => {
  const dir = tempDir(t)
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /^Invalid PORT="eighty": .*(integer|number)/],
    [{ PORT: '70000' }, /^Invalid PORT="70000": .*65535/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL="loud"/],
    [{ JWT_TTL: 'a day' }, /^Invalid JWT_TTL="a day": .*duration such as/],
    [{ ARGON2_TIME_COST: '0' }, /^Invalid ARGON2_TIME_COST="0"/],
    [{ ARGON2_DUTY_CYCLE: '0' }, /^Invalid ARGON2_DUTY_CYCLE="0": .*greater than 0/],
    [{ ARGON2_DUTY_CYCLE: '1.5' }, /^Invalid ARGON2_DUTY_CYCLE="1.5": .*less or equal to 1/],
    [{ CLIENT_URL: 'chat.example.org' }, /^Invalid CLIENT_URL=/],
    [{ TRUST_PROXY: 'maybe!' }, /^Invalid TRUST_PROXY=/],
    [{ NODE_ENV: 'staging' }, /^Invalid NODE_ENV="staging"/]
  ]
  for (const [env, message] of cases) {
    const name = Object.keys(env)[0]
    try {
      loadConfig({ DATA_DIR: dir, ...env })
      t.fail(`${name} accepted`)
    } catch (err) {
      t.type(err, ConfigError, name)
      t.match((err as Error).message, message, name)
    }
  }
})

t.test('durations accept seconds and s/m/h/d suffixes', async (t) => {
  t.equal(seconds('900'), 900)
  t.equal(seconds('30s'), 30)
  t.equal(seconds('15m'), 900)
  t.equal(seconds('24h'), 86400)
  t.equal(seconds('30d'), 2592000)
})
