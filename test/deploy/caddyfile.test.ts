import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const caddyfile = fileURLToPath(new URL('../../Caddyfile', import.meta.url))
// CI installs caddy, so there a missing one fails instead of skipping.
const caddyMissing = spawnSync('caddy', ['version']).error !== undefined && process.env.CI !== 'true'

t.test('the Caddyfile proxies to the default port with HSTS and keeps no access log', async (t) => {
  const text = readFileSync(caddyfile, 'utf8')
  t.match(text, /reverse_proxy 127\.0\.0\.1:3001/)
  t.match(text, /Strict-Transport-Security "max-age=31536000; includeSubDomains"/)
  t.notMatch(text, /^\s*log\b/m, 'no access log of client addresses')
})

t.test('Caddy itself accepts the Caddyfile', { skip: caddyMissing && 'caddy is not installed (apt-get install -y caddy)' }, async (t) => {
  const run = spawnSync('caddy', ['validate', '--adapter', 'caddyfile', '--config', caddyfile], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout + run.stderr, /Valid configuration/)
  t.notMatch(run.stdout + run.stderr, /"level":"warn"/, 'and has nothing to warn about')
})
