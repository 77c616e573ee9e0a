// The server under test for bench/server.ts, in its own process: PGlite in memory,
// one workspace, limits lifted. Prints one JSON line with where it listens and its keys.
import { startServer } from '../test/server/helpers.js';

const server = await startServer({ messagesPerMinute: 1_000_000, sessionsPerMinute: 1_000_000, logger: false, heartbeatMs: 15_000 });
const ws = await server.workspace();
console.log(JSON.stringify({ base: server.base, publicKey: ws.publicKey, operatorKey: ws.operatorKey }));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
