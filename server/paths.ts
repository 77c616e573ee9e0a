import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the server's files are, from the sources (server/*.ts, run by tsx) and from the
 * compiled bundle (server/build/main.js, `npm run serve`) alike.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const SERVER_DIR = basename(here) === 'build' ? dirname(here) : here;
/** The project: dist/ (the widget), demo/, the pages. */
export const ROOT = dirname(SERVER_DIR);
export const MIGRATIONS_DIR = join(SERVER_DIR, 'db', 'migrations');
