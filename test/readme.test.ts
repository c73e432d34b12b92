import t from 'tap'
import { readFileSync } from 'node:fs'
import { ConfigSchema } from '../schemas/config.js'
import { build } from './helper.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }

t.test('the README shows the two commands', async (t) => {
  t.match(readme, /npm install && npm start/)
  t.match(readme, /npm test/)
})

t.test('the README documents every configuration variable', async (t) => {
  for (const name of Object.keys(ConfigSchema.properties)) t.match(readme, new RegExp(`\`${name}\``), name)
})

t.test('the README names every npm command it mentions, and they exist', async (t) => {
  for (const [, script] of readme.matchAll(/npm run ([a-z:]+)/g)) t.ok(pkg.scripts[script!], `npm run ${script}`)
})

/** `METHOD /path` mentions in the README, with `{a,b}` alternatives and `[/optional]` parts expanded. */
function documentedRoutes (text: string): Set<string> {
  const routes = new Set<string>()
  for (const [, method, path] of text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/(?:\{[^}]*\}|[^\s`,{])*)/g)) {
    const expand = (p: string): string[] => {
      const brace = /\{([^}]*,[^}]*)\}/.exec(p)
      if (brace !== null) return brace[1]!.split(',').flatMap((alt) => expand(p.replace(brace[0], alt)))
      const optional = /\[([^\]]*)\]/.exec(p)
      if (optional !== null) return [...expand(p.replace(optional[0], '')), ...expand(p.replace(optional[0], optional[1]!))]
      return [p]
    }
    for (const concrete of expand(path!)) routes.add(`${method} ${concrete}`)
  }
  return routes
}

t.test('the README lists every REST route', async (t) => {
  const { app } = await build(t)
  const { paths } = app.swagger() as { paths: Record<string, Record<string, unknown>> }
  const documented = documentedRoutes(readme)
  for (const [path, methods] of Object.entries(paths)) {
    for (const method of Object.keys(methods)) {
      const route = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`
      t.ok(documented.has(route), route)
    }
  }
})
