import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { build, type PluginOption } from 'vite';
import { call, launchChromium, startServer, watchProblems, type TestServer } from '../server/helpers.js';
// The tags' types in page.evaluate (HTMLElementTagNameMap); nothing of it runs here.
import type {} from '../../elements/chat-widget/chat-widget.js';

/**
 * The packed widget in the three frameworks' own apps: `npm pack` of the built repository,
 * installed into a small React 19, Vue 3 and Svelte 5 app (test/frameworks/<name>/, copied to
 * the gitignored .apps/<name>/ so that the frameworks and Vite resolve from the repository's
 * node_modules by walking up, while `chat-widget` resolves from the app's own install). Each app
 * is type-checked with its framework's checker (tsc, vue-tsc, svelte-check), including a file of
 * uses its typings must refuse, built with Vite, served from 127.0.0.2 (another origin than the
 * chat server's 127.0.0.1, under a strict CSP) and driven in Chromium through the framework's
 * idioms: attributes or props from the app's state, a method through a ref from the app's
 * button, `chat-*` events reaching the app's handlers (asserted from the app's rendered text),
 * the app's CSS on `--chat-brand` and `::part(launcher)`, and a message that reaches the server.
 * The public key and API URL come from the page's query string, so one build serves any run.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const HERE = new URL('./', import.meta.url).pathname;
const APPS = join(HERE, '.apps');
const BIN = join(ROOT, 'node_modules', '.bin');
const BRAND = 'rgb(200, 30, 60)';

type Name = 'react' | 'vue' | 'svelte';
interface Framework {
  name: Name;
  title: string;
  /** The type-checker's name and its command line, run in the app's folder. */
  checker: string;
  check: string[];
  /** Vite plugins (and options) of the framework. */
  vite: () => Promise<{ plugins?: PluginOption[]; oxc?: object }>;
  /** svelte-check's machine output: checked here for the expected errors of Typings.svelte. */
  verify?: (out: string, dir: string) => void;
}

/** Each line after an `<!-- expect-error ... -->` comment must have an error, and no other line may (Svelte markup has no directive of its own). */
function verifySvelteCheck(out: string, dir: string) {
  assert.match(out, / COMPLETED \d+ FILES /, `svelte-check ran to its end:\n${out}`);
  const problems = out.split('\n').filter((l) => / (ERROR|WARNING) /.test(l));
  const expected = readFileSync(join(dir, 'Typings.svelte'), 'utf8').split('\n')
    .flatMap((line, i) => (line.includes('<!-- expect-error') ? [`Typings.svelte:${i + 2}`] : []));
  const found = problems.map((l) => {
    const m = / ERROR "([^"]+)" (\d+):\d+ /.exec(l);
    return m ? `${m[1]}:${m[2]}` : l;
  });
  assert.deepEqual(found.sort(), expected.sort(), `svelte-check reports exactly the expected errors:\n${problems.join('\n')}`);
}

const FRAMEWORKS: Framework[] = [
  {
    name: 'react',
    title: 'React 19',
    checker: 'tsc',
    check: [join(BIN, 'tsc'), '-p', 'tsconfig.json'],
    vite: async () => ({ oxc: { jsx: { runtime: 'automatic' } } }),
  },
  {
    name: 'vue',
    title: 'Vue 3',
    checker: 'vue-tsc',
    check: [join(BIN, 'vue-tsc'), '-p', 'tsconfig.json'],
    vite: async () => {
      const { default: vue } = await import('@vitejs/plugin-vue');
      // Vue's compiler is told which tags are custom elements, as the README says.
      return { plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('chat-') } } })] };
    },
  },
  {
    name: 'svelte',
    title: 'Svelte 5',
    checker: 'svelte-check',
    check: [join(BIN, 'svelte-check'), '--workspace', '.', '--tsconfig', './tsconfig.json', '--output', 'machine'],
    vite: async () => {
      const { svelte } = await import('@sveltejs/vite-plugin-svelte');
      return { plugins: [svelte({ configFile: false })] };
    },
    verify: verifySvelteCheck,
  },
];

const GREETING: Record<Name, string> = { react: 'Hello from React', vue: 'Hello from Vue', svelte: 'Hello from Svelte' };

let work: string;
let tarball: string;
let chat: TestServer;
let ws: Awaited<ReturnType<TestServer['workspace']>>;
let site: Server;
let siteBase: string;
let browser: Browser;

/** A command with a bounded time; its exit code and everything it printed. */
function run(args: string[], cwd: string, timeout = 240_000): Promise<{ code: number; stdout: string; out: string }> {
  const [cmd, ...rest] = args as [string, ...string[]];
  return new Promise((resolve) => {
    execFile(cmd, rest, { cwd, timeout, maxBuffer: 32 << 20, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, out: `${stdout}${stderr}${error && code === 1 && error.killed ? `\n(killed after ${timeout} ms)` : ''}` });
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const sizeOf = (dir: string): number =>
  readdirSync(dir).reduce((n, name) => {
    const path = join(dir, name);
    const s = statSync(path);
    return n + (s.isDirectory() ? sizeOf(path) : s.size);
  }, 0);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

before(async () => {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run npm run build first');
  work = mkdtempSync(join(tmpdir(), 'chat-widget-frameworks-'));
  const packed = await run(['npm', 'pack', '--json', '--pack-destination', work], ROOT, 120_000);
  assert.equal(packed.code, 0, packed.out);
  const [info] = JSON.parse(packed.stdout);
  tarball = join(work, info.filename);

  chat = await startServer();
  ws = await chat.workspace();
  // The apps' own host: each app's dist/ under /<name>/, as a static host serves a site.
  site = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const m = /^\/(react|vue|svelte)(\/.*)$/.exec(path);
    const dist = m ? join(APPS, m[1]!, 'dist') : '';
    const file = m ? join(dist, normalize(m[2] === '/' ? '/index.html' : m[2]!)) : '';
    if (!m || !file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // The site's own scripts and styles only, and connections to the chat server.
      'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${chat.base}; img-src 'self' data: ${chat.base}; object-src 'none'; base-uri 'none'`,
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.2', resolve));
  siteBase = `http://127.0.0.2:${(site.address() as { port: number }).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
  await chat?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Polls the operator API until a conversation of the workspace holds the visitor's `text`. */
async function messageOnServer(text: string): Promise<{ author: string; content: string } | undefined> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const list = (await call(chat.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations ?? [];
    const conversation = list.find((c: { last_message: { content: string } | null }) => c.last_message?.content === text);
    if (conversation) {
      const { messages } = (await call(chat.base, 'GET', `/api/agent/conversations/${conversation.id}/messages`, { token: ws.operatorKey })).body;
      return messages.find((m: { content: string }) => m.content === text);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

/** The app's own rendered text. */
const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent?.trim() ?? '');

/** Waits (bounded) until the app renders `expected` in `selector`, then asserts it. */
async function appShows(page: Page, selector: string, expected: string) {
  await page
    .waitForFunction((s, e) => document.querySelector(s)?.textContent?.trim() === e, { timeout: 5000 }, selector, expected)
    .catch(() => undefined);
  assert.equal(await text(page, selector), expected, `the app renders "${expected}" in ${selector}`);
}

for (const fw of FRAMEWORKS) {
  describe(`${fw.title} app against the packed package`, () => {
    const dir = join(APPS, fw.name);
    const result: Record<string, string> = {};
    let page: Page;
    let problems: string[] = [];
    /** The app's page loaded and its widget rendered: the later checks use that page. */
    let loaded = false;

    after(async () => {
      await page?.browserContext().close();
      const steps = ['install', 'check', 'build', 'browser'].map((k) => result[k] ?? `${k} FAILED (or not run)`);
      console.log(`${fw.name}: ${steps.join('; ')}`);
    });

    it('installs the packed tarball into the app', async () => {
      const started = Date.now();
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(APPS, { recursive: true });
      cpSync(join(HERE, fw.name), dir, { recursive: true });
      // Its own package.json makes the app its own npm project: the install stays in the app
      // (without it npm would install into the repository's root project).
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${fw.name}-app`, version: '1.0.0', private: true, type: 'module' }));
      const rootInstall = () => ['package.json', 'package-lock.json', 'node_modules/.package-lock.json'].map((f) => readFileSync(join(ROOT, f), 'utf8'));
      const before = rootInstall();
      const installed = await run(['npm', 'install', tarball, '--no-save', '--no-package-lock', '--prefer-offline', '--no-audit', '--no-fund'], dir);
      assert.equal(installed.code, 0, installed.out);
      assert.ok(rootInstall().every((text, i) => text === before[i]), "the repository's own install is untouched");
      assert.ok(!existsSync(join(ROOT, 'node_modules/chat-widget')), 'nothing installed into the repository');
      const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/chat-widget/package.json'), 'utf8'));
      assert.equal(pkg.name, 'chat-widget');
      assert.ok(!existsSync(join(dir, 'node_modules/chat-widget/src')), 'the packed package, not the repository');
      result.install = `install ${seconds(Date.now() - started)}`;
    });

    it(`type-checks with ${fw.checker}, and its typings refuse what they must`, async () => {
      const started = Date.now();
      const checked = await run(fw.check, dir);
      const took = seconds(Date.now() - started);
      if (fw.verify) fw.verify(checked.out, dir);
      else assert.equal(checked.code, 0, `${fw.checker} failed:\n${checked.out}`);
      result.check = `${fw.checker} ok ${took}`;
    });

    it('builds with Vite', async () => {
      const started = Date.now();
      const config = await fw.vite();
      await build({
        root: dir,
        base: './',
        configFile: false,
        logLevel: 'warn',
        ...config,
        build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: false },
      });
      assert.ok(existsSync(join(dir, 'dist/index.html')));
      const js = readdirSync(join(dir, 'dist/assets')).filter((f) => f.endsWith('.js'));
      result.build = `vite build ${seconds(Date.now() - started)} (${kb(sizeOf(join(dir, 'dist')))}, ${js.length} JS files)`;
    });

    describe('in Chromium, from 127.0.0.2 with the API on 127.0.0.1', () => {
      let started = 0;
      let failed = 0;
      const passed: string[] = [];
      afterEach((t) => {
        if (t.passed === false) failed++;
      });
      after(() => {
        result.browser = `Chromium ${seconds(Date.now() - started)}, ${failed ? `${failed} check(s) FAILED; passed` : 'all passed'}: ${passed.join(', ')}`;
      });

      it(`sets the public key, api and theme from ${fw.title}`, async () => {
        started = Date.now();
        page = await (await browser.createBrowserContext()).newPage();
        problems = await watchProblems(page);
        await page.setViewport({ width: 1280, height: 800 });
        const api = `${chat.base}/api/widget`;
        await page.goto(`${siteBase}/${fw.name}/?key=${encodeURIComponent(ws.publicKey)}&api=${encodeURIComponent(api)}`, { waitUntil: 'load', timeout: 15_000 });
        // The launcher inside the widget's shadow root: the widget is defined and rendered.
        await page.waitForFunction(
          () => document.querySelector('chat-widget')?.shadowRoot?.querySelector('chat-launcher')?.shadowRoot?.querySelector('[part="launcher"]'),
          { timeout: 10_000 },
        );
        const seen = await page.evaluate(() => {
          const el = document.querySelector('chat-widget')!;
          return { publicKey: el.publicKey, api: el.api, theme: el.getAttribute('theme'), open: el.open };
        });
        assert.deepEqual(seen, { publicKey: ws.publicKey, api, theme: 'dark', open: false });
        await appShows(page, '#status', 'Chat is closed');
        loaded = true;
        passed.push('props');
      });

      it("themes the launcher from the app's CSS: --chat-brand and ::part(launcher)", async () => {
        assert.ok(loaded, 'the page is loaded');
        const style = await page.evaluate(() => {
          const button = document.querySelector('chat-widget')!.shadowRoot!.querySelector('chat-launcher')!.shadowRoot!.querySelector('[part="launcher"]')!;
          const s = getComputedStyle(button);
          return { background: s.backgroundColor, radius: s.borderTopLeftRadius };
        });
        assert.deepEqual(style, { background: BRAND, radius: '6px' });
        passed.push('theming');
      });

      it("opens through a ref from the app's button; chat-show reaches the app's handler", async () => {
        assert.ok(loaded, 'the page is loaded');
        await page.click('#open');
        await appShows(page, '#status', 'Chat is open');
        assert.equal(await page.evaluate(() => document.querySelector('chat-widget')!.open), true);
        await appShows(page, '#shown', 'Shown: 1');
        passed.push('ref method', 'chat-show');
      });

      it("sends through the ref; chat-message-sent reaches the app's handler; the message reaches the server", async () => {
        assert.ok(loaded, 'the page is loaded');
        await page.click('#send');
        await appShows(page, '#last-sent', `You sent: ${GREETING[fw.name]}`);
        const message = await messageOnServer(GREETING[fw.name]);
        assert.ok(message, `"${GREETING[fw.name]}" reached the server`);
        assert.equal(message.author, 'visitor');
        passed.push('chat-message-sent', 'server');
      });

      it("changes the widget's theme from the app's state", async () => {
        assert.ok(loaded, 'the page is loaded');
        await page.click('#light');
        await page.waitForFunction(() => document.querySelector('chat-widget')?.getAttribute('theme') === 'light', { timeout: 5000 }).catch(() => undefined);
        assert.equal(await page.evaluate(() => document.querySelector('chat-widget')!.theme), 'light');
        passed.push('theme from state');
      });

      if (fw.name === 'react') {
        it('renders <chat-launcher> itself (React 19) and drives the widget with it through for=', async () => {
          assert.ok(loaded, 'the page is loaded');
          const launcher = () =>
            page.evaluate(() => {
              const own = document.querySelector('#own-launcher')!;
              const button = own.shadowRoot?.querySelector('[part="launcher"]');
              return { for: own.getAttribute('for'), theme: own.getAttribute('theme'), label: button?.getAttribute('aria-label'), expanded: button?.getAttribute('aria-expanded') };
            });
          assert.deepEqual(await launcher(), { for: 'support', theme: 'light', label: 'Ask us', expanded: 'true' });
          await page.click('#own-launcher >>> [part="launcher"]');
          await appShows(page, '#status', 'Chat is closed');
          assert.equal(await page.evaluate(() => document.querySelector('chat-widget')!.open), false);
          assert.equal((await launcher()).expanded, 'false');
          passed.push('native <chat-launcher>', 'chat-hide');
        });
      }

      it('no console error, page error, failed request or CSP violation', () => {
        assert.ok(loaded, 'the page is loaded');
        assert.deepEqual(problems, []);
        passed.push('no errors');
      });
    });
  });
}
