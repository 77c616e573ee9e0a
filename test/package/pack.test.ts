import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The widget package as a user gets it: `npm pack` of the built repository, installed into a fresh
 * project. It ships the builds, types, manifest and themes and nothing of the server; it depends on
 * front-end packages only; every export imports (or resolves) in Node, as server rendering does.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const FRONT_END = ['lit', '@lit/context', '@lit/localize', '@lit/task', '@lit/react', '@rrweb/record'];
const SERVER_PACKAGES = ['fastify', '@electric-sql/pglite', 'pg', 'nodemailer', 'tsx', 'jose', '@fastify/static', '@rrweb/replay'];

let work: string;
let tarball: string;
let files: { path: string; size: number }[];
let packed: { size: number; unpackedSize: number };

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
const du = (dir: string): number => readdirSync(dir).reduce((n, name) => {
  const path = join(dir, name);
  const s = statSync(path);
  return n + (s.isDirectory() ? du(path) : s.size);
}, 0);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('the packed widget package', () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'chat-widget-pack-'));
    const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT));
    tarball = join(work, info.filename);
    files = info.files;
    packed = { size: info.size, unpackedSize: info.unpackedSize };
    console.log(`# packed: ${kb(packed.size)}, unpacked ${kb(packed.unpackedSize)}, ${files.length} files`);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships each build once, their types, the framework typings, the manifest and the themes; nothing of the server', () => {
    const paths = files.map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'custom-elements.json', 'dist/index.js', 'dist/index.d.ts', 'dist/react.js', 'dist/react.d.ts',
      'dist/widget.js', 'dist/widget-main.js', 'dist/chat-widget.js', 'dist/themes/light.css', 'dist/themes/dark.css',
      'dist/frameworks/vue.d.ts', 'dist/frameworks/svelte.d.ts', 'dist/frameworks/jsx.d.ts', 'dist/frameworks/solid.d.ts',
      'dist/lib/index.js', 'dist/lib/elements/chat-widget/chat-widget.js', 'dist/types/src/entries/index.d.ts']) {
      assert.ok(paths.includes(needed), `${needed} is in the package`);
    }
    const wrong = paths.filter((p) => p.startsWith('server/') || p.includes('inbox') || /\.(br|gz)$/.test(p) || p.startsWith('test/') || p.startsWith('src/') || p.startsWith('elements/') || (p.endsWith('.ts') && !p.endsWith('.d.ts')));
    assert.deepEqual(wrong, [], 'no server code, inbox, precompressed copies, tests or TypeScript sources');
    // One copy of each module of the npm entry: dist/lib mirrors the sources, no hashed chunks.
    const notASource = paths.filter((p) => p.startsWith('dist/lib/') && !['dist/lib/index.js', 'dist/lib/react.js'].includes(p) && !p.startsWith('dist/lib/vendor/'))
      .filter((p) => !existsSync(join(ROOT, p.slice('dist/lib/'.length).replace(/\.css\.js$/, '.css').replace(/\.js$/, '.ts'))));
    assert.deepEqual(notASource, [], 'every file of dist/lib is one source module (no hashed chunk copies)');
  });

  it('depends on front-end packages only', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.dependencies).filter((d) => !FRONT_END.includes(d)), []);
    assert.deepEqual(Object.keys(manifest.peerDependencies ?? {}), ['react'], 'React only as an optional peer (for chat-widget/react)');
    assert.equal(manifest.peerDependenciesMeta?.react?.optional, true);
  });

  it('installs into a fresh project without a server package, and every export imports or resolves in Node', () => {
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true, type: 'module' }));
    npm(['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], app);
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
    const added = Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/'));
    const names = added.map((p) => p.replace(/^.*node_modules\//, ''));
    console.log(`# installing it adds ${added.length} packages, ${kb(du(join(app, 'node_modules')))} on disk: ${names.join(', ')}`);
    assert.deepEqual(names.filter((n) => SERVER_PACKAGES.includes(n)), [], 'no server package');
    assert.ok(!names.some((n) => n === 'react'), 'React is not installed for those who do not use it');

    // The React components need React (the optional peer); the rest does not.
    npm(['install', 'react@19', '--no-audit', '--no-fund', '--prefer-offline'], app);
    const script = `
      const out = {};
      const m = await import('chat-widget');
      out.entry = ['ChatWidget', 'ChatLauncher', 'ChatClient', 'Commands', 'Store'].filter((k) => typeof m[k] !== 'function');
      const r = await import('chat-widget/react');
      out.react = ['ChatWidget', 'ChatLauncher'].filter((k) => !r[k]);
      out.pkg = (await import('chat-widget/package.json', { with: { type: 'json' } })).default.name;
      out.manifest = (await import('chat-widget/custom-elements.json', { with: { type: 'json' } })).default.modules.length;
      out.resolved = ['chat-widget/themes/dark.css', 'chat-widget/dist/widget.js', 'chat-widget/dist/chat-widget.js', 'chat-widget/dist/widget-main.js']
        .map((s) => import.meta.resolve(s).replace(/^.*node_modules\\//, ''));
      console.log(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8', timeout: 60_000 }).trim().split('\n').pop()!);
    assert.deepEqual(out.entry, [], 'the npm entry exports its classes in Node (server rendering does not crash on import)');
    assert.deepEqual(out.react, [], 'chat-widget/react exports its components');
    assert.equal(out.pkg, 'chat-widget');
    assert.equal(out.manifest, 2, 'the manifest lists the two public elements');
    assert.deepEqual(out.resolved, ['chat-widget/dist/themes/dark.css', 'chat-widget/dist/widget.js', 'chat-widget/dist/chat-widget.js', 'chat-widget/dist/widget-main.js']);
  });

  it('the manifest lists only public API: paths into dist/, typed events, no private members, no internal elements', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8'));
    const declarations = manifest.modules.flatMap((m: any) => m.declarations.map((d: any) => ({ ...d, path: m.path })));
    assert.deepEqual(declarations.map((d: any) => d.tagName).sort(), ['chat-launcher', 'chat-widget']);
    for (const d of declarations) {
      assert.match(d.path, /^dist\/lib\/elements\/.+\.js$/, `${d.tagName}: its module path is in the package`);
      assert.ok(files.some((f) => f.path === d.path), `${d.path} is packed`);
      assert.deepEqual(d.members.filter((m: any) => m.privacy || m.name.startsWith('#') || m.static), [], `${d.tagName}: public members only`);
    }
    const widget = declarations.find((d: any) => d.tagName === 'chat-widget');
    assert.deepEqual(widget.events.filter((e: any) => !e.type?.text), [], 'every event has a detail type');
    assert.ok(widget.events.length >= 16);
    assert.equal(widget.attributes.find((a: any) => a.name === 'theme').type.text, "'light' | 'dark' | 'auto'");
    assert.ok(!widget.members.some((m: any) => m.name === 'closeGuard'));
  });
});
