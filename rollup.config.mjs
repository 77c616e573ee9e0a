import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { TOKENS_QUERY, tokensModule } from './scripts/css-tokens.mjs';

/** `import x from '../themes/dark.css?tokens'`: the theme's declarations as a string. */
const cssTokens = () => ({
  name: 'css-tokens',
  resolveId(id, importer) {
    if (id.endsWith(`.css${TOKENS_QUERY}`) && importer) return resolvePath(dirname(importer), id);
    return null;
  },
  load(id) {
    if (!id.endsWith(`.css${TOKENS_QUERY}`)) return null;
    const file = id.slice(0, -TOKENS_QUERY.length);
    this.addWatchFile(file);
    return tokensModule(readFileSync(file, 'utf8'));
  },
});

/** Copies the themes to dist/themes and writes the npm entries (dist/index.js, dist/react.js) with their types. */
const assets = () => ({
  name: 'assets',
  writeBundle() {
    mkdirSync('dist/themes', { recursive: true });
    for (const theme of ['light', 'dark']) copyFileSync(`themes/${theme}.css`, `dist/themes/${theme}.css`);
    for (const entry of ['index', 'react']) {
      writeFileSync(`dist/${entry}.js`, `export * from './lib/${entry}.js';\n`);
      writeFileSync(`dist/${entry}.d.ts`, `export * from './types/src/entries/${entry}.js';\n`);
    }
    // React 19 renders custom elements itself: `<chat-widget public-key=... onchat-show=...>` type-checks
    // once these types are in (importing chat-widget/react, or `import type {} from 'chat-widget/react'`).
    // The element typings are generated from the manifest (custom-elements-manifest.config.mjs).
    writeFileSync(
      'dist/react.d.ts',
      [
        "export * from './types/src/entries/react.js';",
        "import type { CustomElements } from './frameworks/jsx.js';",
        "declare module 'react' {",
        '  namespace JSX {',
        '    interface IntrinsicElements extends CustomElements {}',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  },
});

/** The bootstrap takes only Lit's `css` tag from 'lit' (for the elements' styles), not Lit itself. */
const litCssOnly = () => ({
  name: 'lit-css-only',
  resolveId: (id) => (id === 'lit' ? '\0lit-css-only' : null),
  load: (id) => (id === '\0lit-css-only' ? "export { css, unsafeCSS } from '@lit/reactive-element/css-tag.js';" : null),
});

/**
 * The elements take msg, str and @localized from @lit/localize's own modules, so that its
 * runtime (configureLocalization and the id hashing) stays in the chunk that loads with a
 * translation (elements/shared/localize-runtime.ts), which imports the whole package.
 */
const LOCALIZE_LEAN = '\0lit-localize-lean';
const litLocalizeLean = () => ({
  name: 'lit-localize-lean',
  resolveId: (id, importer) => (id === '@lit/localize' && importer && !importer.endsWith('localize-runtime.ts') ? LOCALIZE_LEAN : null),
  load: (id) =>
    id === LOCALIZE_LEAN
      ? [
          "export { msg } from '@lit/localize/init/install.js';",
          "export { str } from '@lit/localize/internal/str-tag.js';",
          "export { localized } from '@lit/localize/internal/localized-decorator.js';",
          "export { updateWhenLocaleChanges } from '@lit/localize/internal/localized-controller.js';",
          "export { LOCALE_STATUS_EVENT } from '@lit/localize/internal/locale-status-event.js';",
        ].join('\n')
      : null,
});

/**
 * widget-main.js is loaded only by the bootstrap, which has already built the styles it painted
 * the launcher with: it takes those (STYLES in src/entries/loader.ts) instead of carrying them twice.
 */
const SHARED_STYLES = {
  'elements/shared/base.styles.ts': ['baseStyles', 'tokenStyles'],
  'elements/chat-widget/host.styles.ts': ['hostStyles'],
  'elements/chat-launcher/chat-launcher.styles.ts': ['launcherStyles'],
};
const stylesFromBootstrap = () => ({
  name: 'styles-from-bootstrap',
  resolveId(source, importer) {
    if (!importer || !source.endsWith('.styles.js')) return null;
    const file = resolvePath(dirname(importer), source).replace(/\.js$/, '.ts');
    const key = Object.keys(SHARED_STYLES).find((k) => file.endsWith(k));
    return key ? `\0shared-styles:${key}` : null;
  },
  load(id) {
    if (!id.startsWith('\0shared-styles:')) return null;
    const names = SHARED_STYLES[id.slice('\0shared-styles:'.length)];
    return `const s = globalThis[Symbol.for('chat-widget/styles')];\n${names.map((n) => `export const ${n} = s.${n};`).join('\n')}`;
  },
});

const ts = () => typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true, outputToFilesystem: false });
const minify = () =>
  terser({ ecma: 2022, module: true, compress: { passes: 2, unsafe_arrows: true }, format: { comments: false } });
const onwarn = (warning, warn) => {
  // Lit's decorators compile to `this` at the top level of helper code; harmless.
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  warn(warning);
};

export default [
  // The script-tag bootstrap: a classic script that mounts the widget, paints its launcher
  // and loads widget-main.js on intent or when idle.
  {
    input: 'src/entries/loader.ts',
    output: { file: 'dist/widget.js', format: 'iife' },
    plugins: [litCssOnly(), litLocalizeLean(), cssTokens(), nodeResolve(), ts(), minifyLiterals(), minify()],
    onwarn,
  },
  // The script tag's ES module (elements, panel, dialects): one file, so that a visitor's
  // click waits for one fetch; translations and the recorder are chunks.
  {
    input: { 'widget-main': 'src/entries/widget-main.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    preserveEntrySignatures: 'allow-extension',
    plugins: [stylesFromBootstrap(), litLocalizeLean(), cssTokens(), nodeResolve(), ts(), minifyLiterals(), minify()],
    onwarn,
  },
  // The self-contained ES module for <script type="module">: the elements and the SDK.
  {
    input: { 'chat-widget': 'src/entries/index.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    // Let the locale chunks import what they need from the entry itself: no extra shared chunk.
    preserveEntrySignatures: 'allow-extension',
    plugins: [litLocalizeLean(), cssTokens(), nodeResolve(), ts(), minifyLiterals(), minify()],
    onwarn,
  },
  // The npm entry: one file per source module under dist/lib/ (no hashed chunks: the app's bundler
  // splits), Lit and the co-browsing recorder left to the app's bundler; dist/index.js re-exports it.
  {
    input: { index: 'src/entries/index.ts', react: 'src/entries/react.ts' },
    output: {
      dir: 'dist/lib',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: '.',
      entryFileNames: (chunk) => `${chunk.name.replace(/^node_modules\//, 'vendor/')}.js`,
    },
    preserveEntrySignatures: 'strict',
    external: (id) => /^(lit|@lit\/|@rrweb\/record|react)/.test(id),
    plugins: [cssTokens(), nodeResolve(), ts(), assets()],
    onwarn,
  },
];
