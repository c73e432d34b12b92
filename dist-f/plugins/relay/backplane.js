import { EventEmitter } from 'node:events';
/** The single-node backplane: synchronous, in memory. */
export function createInProcessBackplane(onError = () => { }) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    return {
        publish(topic, message) {
            for (const handler of emitter.listeners(topic)) {
                try {
                    handler(message);
                }
                catch (err) {
                    onError(err, topic);
                }
            }
        },
        subscribe(topic, handler) {
            emitter.on(topic, handler);
            return () => { emitter.off(topic, handler); };
        },
        async close() { emitter.removeAllListeners(); }
    };
}
//# sourceMappingURL=backplane.js.map