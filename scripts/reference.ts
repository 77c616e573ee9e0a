import puppeteer, { type Browser } from 'puppeteer-core';
import { buildApp, type AppOptions } from '../server/app.js';
import { LocalBus } from '../server/bus.js';
import { openDb, type Db } from '../server/db/db.js';

/**
 * What the screenshot scripts and the page-level benchmarks drive: the reference server in this
 * process (PGlite in memory, its pages and dist/) on 127.0.0.1, and Debian's Chromium headless with
 * this machine's flags. The site's own pages are each script's, on 127.0.0.2.
 */
export async function referenceServer(options: Partial<AppOptions> = {}): Promise<{ db: Db; base: string; close(): Promise<void> }> {
  const db = await openDb({});
  const app = await buildApp({ db, bus: new LocalBus(), pages: true, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    db,
    base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    close: async () => {
      // The pages' open streams end with the server, not after it.
      app.server.closeAllConnections?.();
      await app.close();
      await db.close();
    },
  };
}

export const launchBrowser = (): Promise<Browser> =>
  puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
