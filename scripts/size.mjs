// Prints the minified, gzip and brotli bytes of each dist/ output (a benchmark: it never fails on a figure).
// The gzip and brotli figures are the files the server sends (FILE.gz, FILE.br, written by the build).
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const files = ['dist/widget.js', 'dist/widget-main.js', 'dist/chat-widget.js', ...readdirSync('dist/chunks').filter((f) => !/\.(br|gz)$/.test(f)).map((f) => join('dist/chunks', f)), ...readdirSync('dist/themes').filter((f) => !/\.(br|gz)$/.test(f)).map((f) => join('dist/themes', f))];
const rows = [];
const onWire = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
};
for (const file of files) {
  try {
    statSync(file);
  } catch {
    console.error(`size: ${file} is missing; run npm run build first`);
    process.exitCode = 1;
    continue;
  }
  const bytes = readFileSync(file);
  rows.push({
    file,
    minified: bytes.length,
    gzip: onWire(`${file}.gz`) ?? gzipSync(bytes, { level: 9 }).length,
    brotli: onWire(`${file}.br`) ?? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
// The npm entry is one module per source (dist/lib/): what it adds to an app is what the app's bundler
// makes of it. Measured as such: esbuild, minified, Lit and the recorder left out (the app has them).
{
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: ['dist/index.js'], bundle: true, minify: true, format: 'esm', write: false, splitting: true, outdir: 'bench-results/npm-entry', external: ['lit', 'lit/*', '@lit/*', '@rrweb/record'], logLevel: 'silent' });
  const main = out.outputFiles.find((f) => f.path.endsWith('/index.js'));
  const bytes = Buffer.from(main.contents);
  rows.push({ file: 'dist/index.js (bundled by an app: esbuild, Lit external; its lazy parts apart)', minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length });
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('| file | minified | gzip | brotli |\n| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.file} | ${kb(r.minified)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/size.json', JSON.stringify(rows, null, 2));
