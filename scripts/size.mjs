// Prints the minified, gzip and brotli bytes of each dist/ output (a benchmark: it never fails on a figure).
// The gzip and brotli figures are the files the server sends (FILE.gz, FILE.br, written by the build).
// Then the script tag's always-loaded messenger (widget.js + widget-main.js) against its budget, and what
// each part that widget-main.js loads on first use (views, dialects, SDK parts, translations) adds then.
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

// The always-loaded messenger: the bootstrap and what must load to open the panel (launcher, panel,
// conversation, composer), that is widget.js + widget-main.js.
// The performance issue's target (17) for a page that uses no dialect and opens only the conversation.
const BUDGET = 28 * 1024;
const brotliOf = (file) => rows.find((r) => r.file === file)?.brotli ?? 0;
const always = brotliOf('dist/widget.js') + brotliOf('dist/widget-main.js');
console.log(`\nAlways loaded (script tag): widget.js ${kb(brotliOf('dist/widget.js'))} + widget-main.js ${kb(brotliOf('dist/widget-main.js'))} = ${kb(always)} brotli; target ${kb(BUDGET)}, ${always <= BUDGET ? `${kb(BUDGET - always)} to spare` : `OVER by ${kb(always - BUDGET)}`}`);

// Loaded on first use: the chunks widget-main.js imports dynamically (and those they import in turn),
// each with what it needs that is not loaded already (its static imports; a translation, the runtime).
const imports = (file) => {
  const code = readFileSync(file, 'utf8');
  const at = (re) => [...code.matchAll(re)].map((m) => join(dirname(file), m[1])).filter((f) => f.startsWith('dist/chunks/'));
  return { statics: at(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.js)"/g), dynamics: at(/import\(\s*"(\.{1,2}\/[^"]+\.js)"\s*\)/g) };
};
const withStatics = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dep of imports(file).statics) withStatics(dep, seen);
  return seen;
};
// Breadth first: a chunk that several others load is counted on its shortest way from widget-main.js.
const lazy = [];
const queue = [['dist/widget-main.js', new Set()]];
while (queue.length) {
  const [file, needs] = queue.shift();
  for (const chunk of new Set(imports(file).dynamics)) {
    if (lazy.some((l) => l.chunk === chunk)) continue;
    const files = new Set([...needs, ...withStatics(chunk)]);
    const cost = [...files].reduce((sum, f) => sum + (onWire(`${f}.br`) ?? brotliCompressSync(readFileSync(f)).length), 0);
    const part = basename(chunk).replace(/-[\w-]{8}\.js$/, '');
    lazy.push({ chunk, part, brotli: cost, with: [...files].filter((f) => f !== chunk).map((f) => basename(f).replace(/-[\w-]{8}\.js$/, '')) });
    queue.push([chunk, files]);
  }
}
const WHAT = {
  'chat-after': 'view: after the chat (rating, survey, transcript)',
  'chat-help': 'view: help articles',
  'chat-schedule': 'view: call me back, booking',
  'chat-tickets': 'view: ticket forms',
  'ai-answer': "the AI agent's answer as it streams, its sources (with the first answer)",
  'chat-topics': 'view: topics (the choice before a chat), the email form',
  'after-chat': 'commands: rating, survey, transcript, email (with their views)',
  'schedule-flow': 'commands: call me back, booking (with their views)',
  woes: 'dialect: Woes (on the page\'s first use)',
  convot: 'dialect: Convot (on the page\'s first use)',
  calls: 'SDK: calls',
  bookings: 'SDK: booking',
  cobrowse: 'SDK: co-browsing',
  desk: 'SDK: emails, tickets, help, surveys (the ticket forms are asked for when a session starts)',
  'chat-lifecycle': 'SDK: the current chat created, loaded, resumed, finished; rating, transcript, survey',
  record: 'co-browsing recorder (rrweb), once the visitor agrees',
  'localize-runtime': 'translation runtime',
};
const what = (part) => WHAT[part] ?? (/^[a-z]{2}(-[A-Za-z]+)?$/.test(part) ? `translation: ${part}` : part);
console.log('\n| loaded on first use (script tag) | chunk | brotli, with what it needs |\n| --- | --- | ---: |');
for (const l of lazy.sort((a, b) => what(a.part).localeCompare(what(b.part)))) {
  console.log(`| ${what(l.part)} | ${l.part}${l.with.length ? ` + ${l.with.join(', ')}` : ''} | ${kb(l.brotli)} |`);
}

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/size.json', JSON.stringify({ files: rows, alwaysLoaded: { brotli: always, budget: BUDGET }, onFirstUse: lazy }, null, 2));
