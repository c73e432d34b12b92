import Fastify, { type FastifyServerOptions } from 'fastify'
import { AjvCompiler, type RouteDefinition } from '@fastify/ajv-compiler'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import kernel, { type KernelOptions } from './plugins/kernel.js'
import { handleError } from './plugins/errors.js'

const ajvPool = AjvCompiler()

interface Validate {
  (data: unknown, context?: any): boolean | Promise<unknown>
  errors?: unknown[] | null
  schema?: unknown
  schemaEnv?: unknown
}

/**
 * Ajv coerces `?limit=1e400` to Infinity and then checks neither integer-ness nor bounds, since
 * both skip non-finite numbers: the handler would get Infinity. Coerced parameters are flat
 * objects, so one pass over their values refuses that.
 */
function finiteNumbersOnly<V extends Validate> (validate: V): V {
  const checked = Object.assign((data: unknown, context?: object) => {
    const valid = validate(data, context)
    if (valid !== true) {
      checked.errors = validate.errors
      return valid
    }
    for (const [name, value] of Object.entries(data ?? {})) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        checked.errors = [{ instancePath: `/${name}`, schemaPath: '#/type', keyword: 'type', params: {}, message: 'must be a finite number' }]
        return false
      }
    }
    return true
  }, {
    errors: null as unknown[] | null | undefined,
    schema: validate.schema,
    // Fastify passes the parent (so Ajv may coerce in place) only to validators that carry this.
    schemaEnv: validate.schemaEnv
  })
  return checked as unknown as V
}

/**
 * JSON bodies are validated strictly (a string "30" where an integer belongs is a 400, unknown
 * fields are dropped before any handler sees them). Path and query parameters are text by nature,
 * so they keep Ajv's coercion, to finite numbers only.
 */
const schemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator (externalSchemas: any, ajvOptions: any) {
      const customOptions = ajvOptions.customOptions ?? {}
      const strict = ajvPool(externalSchemas, { ...ajvOptions, customOptions: { ...customOptions, coerceTypes: false, removeAdditional: 'all' } })
      const lenient = ajvPool(externalSchemas, ajvOptions)
      return (route: RouteDefinition) => route.httpPart === 'body' ? strict(route) : finiteNumbersOnly(lenient(route))
    }
  }
}

export type ServerOptions = Pick<FastifyServerOptions, 'logger' | 'loggerInstance' | 'trustProxy' | 'connectionTimeout' | 'requestTimeout' | 'keepAliveTimeout'>

/**
 * A Fastify instance with the kernel registered: what the process entry listens with and what
 * tests build. Process concerns (logger, proxy trust, timeouts) come from the caller.
 */
export function buildServer (kernelOptions: KernelOptions, serverOptions: ServerOptions = {}) {
  const app = Fastify({
    ...serverOptions,
    bodyLimit: kernelOptions.config.BODY_LIMIT,
    schemaController,
    ajv: { customOptions: { allErrors: false } },
    // A URL the router cannot take (bad percent-encoding, an overlong parameter) fails before any
    // route's error handler: the same one answers it, in the same shape.
    frameworkErrors: handleError,
    // Request ids are random, not sequential: they appear in logs and must not count users' requests.
    genReqId: () => crypto.randomUUID()
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.register(kernel, kernelOptions)
  return app
}

export type App = ReturnType<typeof buildServer>
