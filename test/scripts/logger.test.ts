import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLogger, errorLogFile } from '../../scripts/logger.js'
import { tempDir } from '../helper.js'

const flush = (logger: ReturnType<typeof createLogger>) => new Promise<void>((resolve) => logger.flush(() => resolve()))

t.test('LOG_FILE receives every line and its .error file only the errors', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'logs', 'quietwire.log')
  t.equal(errorLogFile(file), join(dir, 'logs', 'quietwire.error.log'))
  const logger = createLogger({ LOG_LEVEL: 'info', LOG_FILE: file })
  logger.info('an ordinary line')
  logger.debug('below the level')
  logger.error({ token: 'tk-should-not-appear' }, 'something broke')
  await flush(logger)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const all = readFileSync(file, 'utf8')
  const errors = readFileSync(errorLogFile(file), 'utf8')
  t.match(all, /an ordinary line/)
  t.match(all, /something broke/)
  t.notMatch(all, /below the level/)
  t.notMatch(errors, /an ordinary line/)
  t.match(errors, /something broke/)
  t.notMatch(all + errors, /tk-should-not-appear/, 'redaction applies to files too')
})

t.test('request lines carry neither the client address nor the query string', async (t) => {
  const lines: string[] = []
  const logger = createLogger({ LOG_LEVEL: 'info' }, { write: (line: string) => { lines.push(line) } })
  logger.info({ req: { method: 'GET', url: '/api/x?token=abc', remoteAddress: '203.0.113.5', headers: { authorization: 'Bearer abc' } } }, 'incoming request')
  const line = lines.join('')
  t.match(line, /"url":"\/api\/x"/)
  t.notMatch(line, /203\.0\.113\.5|token=abc|Bearer/)
})
