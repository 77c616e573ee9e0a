// Prints the minified, gzip and brotli bytes of each dist/ output (a benchmark: it never fails on a figure).
// The gzip and brotli figures are the files the server sends (FILE.gz, FILE.br, written by the build).
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const files = ['dist/widget.js', 'dist/widget-main.js', 'dist/chat-widget.js', 'dist/index.js', ...readdirSync('dist/chunks').filter((f) => !/\.(br|gz)$/.test(f)).map((f) => join('dist/chunks', f)), ...readdirSync('dist/themes').filter((f) => !/\.(br|gz)$/.test(f)).map((f) => join('dist/themes', f))];
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
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('| file | minified | gzip | brotli |\n| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.file} | ${kb(r.minified)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/size.json', JSON.stringify(rows, null, 2));
