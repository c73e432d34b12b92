import fp from 'fastify-plugin'

/** The Socket.IO compatibility shim at /socket.io/ (Engine.IO v4 / Socket.IO v5 over WebSocket). */
export default fp(async function socketioShim () {
}, { name: 'relay-socketio' })
