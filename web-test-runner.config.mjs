import { readFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { TOKENS_QUERY, tokensModule } from './scripts/css-tokens.mjs';
import { chatServerPlugin } from './test/chat-server-plugin.ts';

/** Serves `themes/*.css?tokens` as the module the elements import (as rollup does). */
const cssTokens = {
  name: 'css-tokens',
  resolveMimeType(context) {
    if (context.path.endsWith('.css') && context.URL.search === TOKENS_QUERY) return 'js';
  },
  transform(context) {
    if (context.path.endsWith('.css') && context.URL.search === TOKENS_QUERY) {
      return { body: tokensModule(readFileSync(`.${context.path}`, 'utf8')), type: 'js' };
    }
  },
};

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Test files run in parallel pages: keep the background ones running (timers, animation frames).
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

// Run with `node --import tsx` (npm run test:browser) so that this config can start the TypeScript server.
export default {
  // Browser tests only: the server, package and framework tests run in Node (node:test).
  files: ['test/**/*.test.ts', '!test/server/**', '!test/package/**', '!test/frameworks/**'],
  nodeResolve: { exportConditions: ['development'] },
  plugins: [cssTokens, chatServerPlugin(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: chromiumArgs },
    }),
  ],
  // One file at a time: the files share one origin's localStorage, which the server tests use.
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 600000,
};
