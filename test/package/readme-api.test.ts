import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/**
 * README's API sections and the Custom Elements Manifest say the same: every attribute, method,
 * read-only property and event of <chat-widget> in one is in the other (the manifest is generated
 * from the element's source by `npm run build`).
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const manifest = JSON.parse(readFileSync(`${ROOT}custom-elements.json`, 'utf8'));
const widget = manifest.modules.flatMap((m: any) => m.declarations).find((d: any) => d.tagName === 'chat-widget');

/** The text of a `### Heading` section, up to the next heading. */
const section = (heading: string) => {
  const start = readme.indexOf(`\n### ${heading}\n`);
  assert.ok(start >= 0, `README has a "${heading}" section`);
  const end = readme.slice(start + 1).search(/\n#{2,3} /);
  return readme.slice(start, end < 0 ? undefined : start + 1 + end);
};
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe("README's API and the manifest agree", () => {
  it('attributes', () => {
    const documented = [...section('Attributes').matchAll(/^\| `([a-z-]+)`/gm)].map((m) => m[1]!);
    assert.deepEqual(sorted(documented), sorted(widget.attributes.map((a: any) => a.name)));
  });

  it('methods and read-only properties', () => {
    const text = section('Methods');
    const methods = [...text.matchAll(/`([a-zA-Z]+)\(/g)].map((m) => m[1]!);
    const readOnlyLine = text.slice(text.indexOf('Read-only:'), text.indexOf('\n\n', text.indexOf('Read-only:')));
    const readOnly = [...readOnlyLine.matchAll(/`([a-z][a-zA-Z]+)`/g)].map((m) => m[1]!);
    const publicMethods = widget.members.filter((m: any) => m.kind === 'method').map((m: any) => m.name);
    const publicReadOnly = widget.members.filter((m: any) => m.kind === 'field' && m.readonly).map((m: any) => m.name);
    assert.deepEqual(sorted(methods), sorted(publicMethods));
    assert.deepEqual(sorted(readOnly), sorted(publicReadOnly));
  });

  it('events', () => {
    const documented = [...section('Events').matchAll(/`(chat-[a-z-]+)/g)].map((m) => m[1]!);
    assert.deepEqual(sorted(documented), sorted(widget.events.map((e: any) => e.name)));
  });
});
