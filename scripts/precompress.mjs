// Writes FILE.br and FILE.gz beside every script, style sheet and manifest under dist/ (or the folder named), so that the
// server (and any static host that serves precompressed files) sends the bytes README's size table lists.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
let count = 0;
const root = process.argv[2] ?? 'dist';
for (const file of walk(root)) {
  if (!/\.(js|css|json|map)$/.test(file)) continue;
  const bytes = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  count++;
}
console.log(`precompress: ${count} files in ${root}/ with .br and .gz beside them`);
