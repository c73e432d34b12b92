import fp from 'fastify-plugin'

/** The relay: connections, routing, acks and the offline queue. Transports register under it. */
export default fp(async function relayPlugin () {
}, { name: 'relay', dependencies: ['auth', 'presence', 'events'] })
