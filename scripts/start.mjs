// `npm start`: builds only what is stale (nothing when the outputs are newer than their sources), then
// starts the compiled server with the demo workspace (DEMO=1), printing how long each step took.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'build', 'public', '.data', 'locales', 'xliff']);

/** The newest modification time under `paths` (files, or folders walked). */
function newest(paths) {
  let max = 0;
  const walk = (path) => {
    if (!existsSync(path)) return;
    const s = statSync(path);
    if (s.isDirectory()) {
      for (const name of readdirSync(path)) if (!SKIP.has(name)) walk(join(path, name));
    } else max = Math.max(max, s.mtimeMs);
  };
  paths.forEach((p) => walk(join(root, p)));
  return max;
}

/** The oldest of `files`, or 0 when one is missing (then it must be built). */
function oldest(files) {
  let min = Infinity;
  for (const f of files) {
    const path = join(root, f);
    if (!existsSync(path)) return 0;
    min = Math.min(min, statSync(path).mtimeMs);
  }
  return min;
}

const parts = [
  {
    name: 'widget',
    command: ['npm', ['run', 'build']],
    sources: ['src', 'elements', 'themes', 'i18n/translations.json', 'rollup.config.mjs', 'lit-localize.json', 'custom-elements-manifest.config.mjs', 'tsconfig.build.json', 'scripts/i18n.mjs', 'scripts/precompress.mjs', 'scripts/snippet.mjs'],
    outputs: ['dist/widget.js', 'dist/widget-main.js', 'dist/chat-widget.js', 'dist/index.js', 'custom-elements.json'],
  },
  {
    name: 'server',
    command: ['npm', ['run', 'build', '-w', 'server']],
    sources: ['server', 'src/protocol', 'src/client/sse.ts'],
    outputs: ['server/build/main.js', 'server/public/inbox.js'],
  },
];

const began = performance.now();
for (const part of parts) {
  const t = performance.now();
  if (newest(part.sources) <= oldest(part.outputs)) {
    console.log(`build ${part.name}: up to date`);
    continue;
  }
  console.log(`build ${part.name}: stale, building...`);
  const run = spawnSync(part.command[0], part.command[1], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
  console.log(`build ${part.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // The widget's build builds the server too.
  if (part.name === 'widget') break;
}
console.log(`build: ${((performance.now() - began) / 1000).toFixed(1)} s in all`);

const server = spawn(process.execPath, ['server/build/main.js'], {
  cwd: root,
  stdio: 'inherit',
  env: { DEMO: '1', LOG: '0', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
