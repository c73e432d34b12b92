import { startCeiling } from './ceiling.js';
/** The ceiling relay as its own process (so its CPU and memory are its own): `node dist/bench/ceiling-server.js`. */
const ceiling = await startCeiling(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => { ceiling.close().then(() => process.exit(0), () => process.exit(1)); });
}
//# sourceMappingURL=ceiling-server.js.map