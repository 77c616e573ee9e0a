/**
 * `dist/widget.js`: the script-tag bootstrap, a classic script small enough to
 * cost nothing. It keeps the page's early calls (a `Woes` stub queue and
 * `Convot._q`, as their snippets do), then loads `widget-main.js` (an ES
 * module beside it, with the launcher first and the panel as a chunk) and
 * starts it with this script tag's data-*.
 */
type Page = typeof globalThis & {
  Woes?: ((...args: unknown[]) => void) & { q?: unknown[][] };
  Convot?: { _q?: unknown[][]; push?: (args: unknown[]) => void };
};

const page = globalThis as Page;
const script = document.currentScript as HTMLScriptElement | null;
const globals = (script?.dataset['globals'] ?? 'woes,convot,web1on1').toLowerCase();
if (globals.includes('woes') && !page.Woes) {
  const stub = (...args: unknown[]) => (stub.q ??= []).push(args);
  stub.q = undefined as unknown[][] | undefined;
  page.Woes = stub;
}
if (globals.includes('convot') && page.Convot && !page.Convot.push) {
  const convot = page.Convot;
  convot.push = (args) => (convot._q ??= []).push(args);
}
const main = new URL('widget-main.js', script?.src || location.href).href;
import(/* @vite-ignore */ main)
  .then((m: { start(script: HTMLScriptElement | null): void }) => m.start(script))
  .catch((error) => console.error(`chat-widget: could not load ${main}`, error));
