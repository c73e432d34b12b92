import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
/** A typed, synchronous event bus. Listeners must not throw; a throwing listener is logged. */
export function createEventBus(onListenerError = () => { }) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(50);
    return {
        emit(event, payload) {
            for (const listener of emitter.listeners(event)) {
                try {
                    listener(payload);
                }
                catch (err) {
                    onListenerError(err, event);
                }
            }
        },
        on(event, listener) {
            emitter.on(event, listener);
            return () => emitter.off(event, listener);
        }
    };
}
export default fp(async function eventsPlugin(app) {
    app.decorate('events', createEventBus((err, event) => app.log.error({ err, event }, 'event listener failed')));
}, { name: 'events' });
//# sourceMappingURL=events.js.map