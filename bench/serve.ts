// The server under test for bench/server.ts, in its own process: PGlite in memory (or the
// PostgreSQL of TEST_DATABASE_URL, with LISTEN/NOTIFY between processes), limits lifted.
// BENCH_WORKSPACE=0 joins the workspaces already there (a second or third process).
// Prints one JSON line with where it listens and, when it made one, the workspace's keys.
import { startServer } from '../test/server/helpers.js';

const server = await startServer({ messagesPerMinute: 1_000_000, sessionsPerMinute: 1_000_000, logger: false, heartbeatMs: 15_000 });
const ws = process.env.BENCH_WORKSPACE === '0' ? null : await server.workspace();
console.log(JSON.stringify({ base: server.base, publicKey: ws?.publicKey, operatorKey: ws?.operatorKey }));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
