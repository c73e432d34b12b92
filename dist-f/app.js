import Fastify, {} from 'fastify';
import { AjvCompiler } from '@fastify/ajv-compiler';
import kernel, {} from './plugins/kernel.js';
const ajvPool = AjvCompiler();
/**
 * JSON bodies are validated strictly (a string "30" where an integer belongs is a 400, unknown
 * fields are dropped before any handler sees them). Path and query parameters are text by nature,
 * so they keep Ajv's coercion.
 */
const schemaController = {
    compilersFactory: {
        buildValidator(externalSchemas, ajvOptions) {
            const customOptions = ajvOptions.customOptions ?? {};
            const strict = ajvPool(externalSchemas, { ...ajvOptions, customOptions: { ...customOptions, coerceTypes: false, removeAdditional: 'all' } });
            const lenient = ajvPool(externalSchemas, ajvOptions);
            return (route) => route.httpPart === 'body' ? strict(route) : lenient(route);
        }
    }
};
/**
 * A Fastify instance with the kernel registered: what the process entry listens with and what
 * tests build. Process concerns (logger, proxy trust, timeouts) come from the caller.
 */
export function buildServer(kernelOptions, serverOptions = {}) {
    const app = Fastify({
        ...serverOptions,
        bodyLimit: kernelOptions.config.BODY_LIMIT,
        schemaController,
        ajv: { customOptions: { allErrors: false } },
        // Request ids are random, not sequential: they appear in logs and must not count users' requests.
        genReqId: () => crypto.randomUUID()
    }).withTypeProvider();
    app.register(kernel, kernelOptions);
    return app;
}
//# sourceMappingURL=app.js.map