import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { scriptEnv, scriptPath, tempDir } from '../helper.js'

/** Runs the real process entry through the same TypeScript loader as this test. */
function serve (env: Record<string, string>) {
  const child = spawn(process.execPath, [...process.execArgv, scriptPath('serve')], {
    env: scriptEnv(env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += chunk })
  child.stderr.on('data', (chunk) => { stderr += chunk })
  return { child, output: () => ({ stdout, stderr }) }
}

async function waitFor (predicate: () => boolean, what: string) {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  if (!predicate()) throw new Error(`timed out waiting for ${what}`)
}

t.test('with no configuration the server starts on SQLite, serves, and stops cleanly on SIGTERM', async (t) => {
  const dir = tempDir(t)
  const { child, output } = serve({ DATA_DIR: dir, PORT: '0', ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1' })
  t.teardown(() => { child.kill('SIGKILL') })
  await waitFor(() => /Server listening at/.test(output().stdout), 'listening')
  const url = /Server listening at (http:\/\/[^"]+)/.exec(output().stdout)![1]!
  const ready = await fetch(`${url}/readyz`)
  t.equal(ready.status, 200)
  t.match(output().stdout, /JWT_SECRET not set/, 'warns that production must set its own secret')
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0)
  t.match(output().stdout, /shutting down/)
  t.match(output().stdout, /"msg":"Server listening/)
})

t.test('a bad configuration stops the process with one line naming the variable', async (t) => {
  const { child, output } = serve({ DATA_DIR: tempDir(t), PORT: 'not-a-port' })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  const lines = output().stderr.trim().split('\n')
  t.equal(lines.length, 1, output().stderr)
  t.match(lines[0], /^quietwire: Invalid PORT="not-a-port"/)
})

t.test('production without JWT_SECRET refuses to start', async (t) => {
  const { child, output } = serve({ DATA_DIR: tempDir(t), NODE_ENV: 'production' })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(output().stderr, /JWT_SECRET/)
})
