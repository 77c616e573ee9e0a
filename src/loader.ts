/**
 * Entry of the script-tag build (`dist/widget.js`): reads the tag's data-*
 * attributes, mounts one `<chat-widget>` into the page. Loaded twice, it mounts once.
 */
import '../elements/chat-widget/chat-widget.js';
import { setRecorderLoader, type RecorderModule } from './client/cobrowse.js';
import type { ChatWidget } from '../elements/chat-widget/chat-widget.js';

const MOUNTED = Symbol.for('chat-widget/loader');
type Global = typeof globalThis & { [MOUNTED]?: ChatWidget };

/** The attributes of the script tag that the widget takes over as its own. */
const PASSED_ON = ['theme', 'position', 'locale', 'brand-color', 'launcher-hidden', 'hide-on-mobile', 'muted', 'embedded', 'open'];

function mount(script: HTMLScriptElement | null): ChatWidget {
  const widget = document.createElement('chat-widget');
  const data = script?.dataset ?? {};
  const src = script?.src ? new URL(script.src, location.href) : null;
  widget.publicKey = data['publicKey'] ?? '';
  widget.api = data['api'] ?? (src ? `${src.origin}/api/widget` : '');
  for (const name of PASSED_ON) {
    const value = script?.getAttribute(`data-${name}`);
    if (value !== null && value !== undefined) widget.setAttribute(name, value);
  }
  const nonce = script?.nonce;
  if (nonce) widget.setAttribute('nonce', nonce);
  document.body.append(widget);
  return widget;
}

const g = globalThis as Global;
if (!g[MOUNTED]) {
  const script = document.currentScript as HTMLScriptElement | null;
  // The recorder sits beside this script (dist/recorder.js), loaded only when a visitor agrees to co-browse.
  const recorderUrl = new URL('recorder.js', script?.src || location.href).href;
  setRecorderLoader(() => import(/* @vite-ignore */ recorderUrl) as Promise<RecorderModule>);
  const start = () => {
    if (!g[MOUNTED]) g[MOUNTED] = mount(script);
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
