// npm run i18n: extracts every msg() string (lit-localize), fills each locale's XLIFF
// from i18n/translations.json, and builds the runtime locale modules in
// elements/shared/locales/. Fails, naming them, when a string has no translation.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const config = JSON.parse(readFileSync('lit-localize.json', 'utf8'));
const translations = JSON.parse(readFileSync('i18n/translations.json', 'utf8'));
const cli = (command) => execFileSync('node_modules/.bin/lit-localize', [command], { stdio: ['ignore', 'ignore', 'inherit'] });
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

cli('extract');
const missing = [];
for (const locale of config.targetLocales) {
  const file = `${config.interchange.xliffDir}/${locale}.xlf`;
  const xliff = readFileSync(file, 'utf8').replace(/\s*<target>[\s\S]*?<\/target>/g, '');
  const filled = xliff.replace(/(<source>([\s\S]*?)<\/source>)/g, (whole, _source, inner) => {
    const placeholders = [...inner.matchAll(/<x id="(\d+)"[^>]*\/>/g)].map((m) => m[0]);
    const key = inner.replace(/<x id="(\d+)"[^>]*\/>/g, '{$1}');
    const text = translations[key]?.[locale];
    if (!text) {
      missing.push(`${locale}: ${key}`);
      return whole;
    }
    const target = escape(text).replace(/\{(\d+)\}/g, (_m, i) => placeholders[Number(i)] ?? `{${i}}`);
    return `${whole}\n  <target>${target}</target>`;
  });
  writeFileSync(file, filled);
}
if (missing.length) {
  console.error(`i18n: no translation for:\n  ${missing.join('\n  ')}\nAdd them to i18n/translations.json.`);
  process.exit(1);
}
cli('build');
console.log(`i18n: ${Object.keys(translations).length} strings in ${config.targetLocales.join(', ')}`);
