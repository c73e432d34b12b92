import fp from 'fastify-plugin'

/** Retention: scheduled purging, per-user retention, deletion and export. */
export default fp(async function retentionPlugin () {
}, { name: 'retention', dependencies: ['db', 'audit'] })
