import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const caddyfile = fileURLToPath(new URL('../../Caddyfile', import.meta.url))

t.test('the Caddyfile is valid for Caddy and proxies to the default port with HSTS', async (t) => {
  const text = readFileSync(caddyfile, 'utf8')
  t.match(text, /reverse_proxy 127\.0\.0\.1:3001/)
  t.match(text, /Strict-Transport-Security "max-age=31536000; includeSubDomains"/)
  t.match(text, /header_up X-Forwarded-For \{remote_host\}/, 'the client address the server trusts')
  t.notMatch(text, /^\s*log\b/m, 'no access log of client addresses')

  const probe = spawnSync('caddy', ['version'], { encoding: 'utf8' })
  if (probe.error !== undefined && process.env.CI !== 'true') {
    t.skip('caddy is not installed (apt-get install -y caddy); CI installs it')
    return
  }
  const run = spawnSync('caddy', ['validate', '--adapter', 'caddyfile', '--config', caddyfile], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout + run.stderr, /Valid configuration/)
})
