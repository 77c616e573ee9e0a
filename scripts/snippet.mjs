// The inline snippet: the launcher's markup and styles for the page's own HTML (a declarative shadow
// root, painted in the page's first frame, before any script), then dist/widget.js, which adopts it.
// `node scripts/snippet.mjs` (part of the build) writes dist/snippet.html with placeholders; the
// benchmark and the tests call inlineSnippet() with real values. The styles are the elements' own
// (dist/lib, built first), so the bubble looks the same before and after the elements arrive.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const lib = new URL('../dist/lib/elements/', import.meta.url);
const load = (path) => import(new URL(path, lib).href);

const escape = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
/** The elements' CSS, whitespace and comments gone. */
const minify = (css) =>
  css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};:,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();

/**
 * The snippet for a page: `<chat-widget>` with its launcher painted by a declarative shadow root, and
 * the script tag. `nonce` goes on both style elements (a page whose CSP allows styles by nonce);
 * `attributes` are the element's own (theme, position, brand-color, locale...), which the script's
 * data-* would otherwise give it.
 */
export async function inlineSnippet({ server, publicKey, nonce = '', attributes = {}, label = 'Open chat' }) {
  const { baseStyles, tokenStyles } = await load('shared/base.styles.js');
  const { hostStyles } = await load('chat-widget/host.styles.js');
  const { launcherStyles } = await load('chat-launcher/chat-launcher.styles.js');
  const { chatIconPath } = await load('chat-launcher/icons.js');
  const { directionOf } = await load('shared/localize.js');
  const n = nonce ? ` nonce="${escape(nonce)}"` : '';
  const attrs = { 'public-key': publicKey, api: `${server}/api/widget`, ...attributes };
  // The element's own attributes as prepaint() sets them for the script tag: its direction and brand colour.
  const style = attrs['brand-color'] ? ` style="--chat-brand:${escape(attrs['brand-color'])}"` : '';
  const dir = attrs.locale && !attrs.dir ? ` dir="${directionOf(attrs.locale)}"` : '';
  const own = Object.entries(attrs)
    .map(([name, value]) => (value === true || value === '' ? ` ${name}` : ` ${name}="${escape(value)}"`))
    .join('');
  // Custom properties inherit into the launcher's shadow root: the tokens once, on the host.
  const outer = minify(baseStyles.cssText + tokenStyles.cssText + hostStyles.cssText);
  const inner = minify(baseStyles.cssText + launcherStyles.cssText);
  return (
    `<chat-widget${own}${dir}${style}><template shadowrootmode="open"><style${n}>${outer}</style>` +
    `<div class="launcher"><slot name="launcher"><chat-launcher exportparts="launcher, badge" theme="${escape(attrs.theme ?? 'auto')}">` +
    `<template shadowrootmode="open"><style${n}>${inner}</style>` +
    `<button type="button" part="launcher" aria-label="${escape(label)}" aria-expanded="false"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="${chatIconPath}"/></svg></button>` +
    `</template></chat-launcher></slot></div></template></chat-widget>\n` +
    `<script async src="${escape(server)}/dist/widget.js"${n}></script>\n`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const html = await inlineSnippet({ server: 'https://YOUR_SERVER', publicKey: 'YOUR_PUBLIC_KEY' });
  writeFileSync(fileURLToPath(new URL('../dist/snippet.html', import.meta.url)), html);
  const { brotliCompressSync, gzipSync } = await import('node:zlib');
  console.log(`snippet: dist/snippet.html, ${(html.length / 1024).toFixed(1)} KB (${(gzipSync(html).length / 1024).toFixed(1)} KB gzip, ${(brotliCompressSync(html).length / 1024).toFixed(1)} KB brotli in the page)`);
}
