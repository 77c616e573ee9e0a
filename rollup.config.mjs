import { readFileSync } from 'node:fs';
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

/** Copies the themes to dist/themes and writes the types entry. */
const assets = () => ({
  name: 'assets',
  generateBundle() {
    for (const theme of ['light', 'dark']) {
      this.emitFile({ type: 'asset', fileName: `themes/${theme}.css`, source: readFileSync(`themes/${theme}.css`, 'utf8') });
    }
    this.emitFile({ type: 'asset', fileName: 'index.d.ts', source: "export * from './types/src/index.js';\n" });
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
  // The script-tag bootstrap: a classic script that loads widget-main.js.
  {
    input: 'src/loader.ts',
    output: { file: 'dist/widget.js', format: 'iife' },
    plugins: [ts(), minify()],
    onwarn,
  },
  // The script tag's ES module (mount + dialects): one file with the launcher, so that the
  // bootstrap is one hop from it; the panel, translations and recorder are chunks.
  {
    input: { 'widget-main': 'src/widget-main.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    preserveEntrySignatures: 'allow-extension',
    plugins: [cssTokens(), nodeResolve(), ts(), minifyLiterals(), minify()],
    onwarn,
  },
  // The self-contained ES module for <script type="module">: the elements and the SDK.
  {
    input: { 'chat-widget': 'src/index.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    // Let the locale chunks import what they need from the entry itself: no extra shared chunk.
    preserveEntrySignatures: 'allow-extension',
    plugins: [cssTokens(), nodeResolve(), ts(), minifyLiterals(), minify()],
    onwarn,
  },
  // The reference server's operator inbox page.
  {
    input: 'server/inbox/inbox-app.ts',
    output: { file: 'dist/inbox.js', format: 'es', inlineDynamicImports: true },
    plugins: [nodeResolve(), ts(), minifyLiterals(), minify()],
    onwarn,
  },
  // The npm entry: Lit left to the application's bundler.
  {
    input: 'src/index.ts',
    output: { dir: 'dist', entryFileNames: 'index.js', format: 'es', chunkFileNames: 'lib/[name]-[hash].js' },
    preserveEntrySignatures: 'allow-extension',
    external: (id) => /^(lit|@lit\/)/.test(id),
    plugins: [cssTokens(), nodeResolve(), ts(), assets()],
    onwarn,
  },
];
