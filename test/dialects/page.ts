/**
 * Helpers for the dialect tests: each test file is one page that loads the
 * built `dist/widget.js` with a script tag, as a site does: the page is on
 * web-test-runner's origin, the script and the API on the chat server's
 * (another origin), or the script on a third, static one (a CDN). No element
 * module is imported here, so the widget is the script-tag build's own.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export interface Workspace {
  api: string;
  publicKey: string;
  operatorKey: string;
  identitySecret: string;
  agentId: string;
}

export const server = <T = any>(payload: Record<string, unknown>) => executeServerCommand<T, Record<string, unknown>>('chat-server', payload);
export const agent = (ws: Workspace, method: string, path: string, body?: unknown) =>
  server<{ status: number; body: any }>({ action: 'agent', key: ws.operatorKey, method, path, body });

/** Where the built widget is served from: the chat server's origin, or a plain static host (a CDN) on a third origin. */
export async function distBase(from: 'server' | 'cdn' = 'server'): Promise<string> {
  return `${await server<string>({ action: from === 'cdn' ? 'cdn' : 'origin' })}${from === 'cdn' ? '' : '/dist'}`;
}

/** `SERVER/dist/widget.js` (or the CDN's copy), with a query such as `slow-main=1200`. */
export async function widgetScriptSrc(query = '', from: 'server' | 'cdn' = 'server'): Promise<string> {
  return `${await distBase(from)}/widget.js?page=${Math.random()}${query ? `&${query}` : ''}`;
}

/** Adds `<script async src="SERVER/dist/widget.js" data-*>` (another origin than the page's) and waits for the widget. */
export async function loadWidgetScript(data: Record<string, string>, options: { from?: 'server' | 'cdn' } = {}): Promise<void> {
  if (location.origin === (await server<string>({ action: 'origin' }))) throw new Error('the test page must be on another origin than the chat server');
  const src = await widgetScriptSrc('', options.from);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.async = true;
    script.src = src;
    for (const [k, v] of Object.entries(data)) script.setAttribute(`data-${k}`, v);
    // The bootstrap mounts the widget and paints its launcher; the elements (widget-main.js)
    // come on intent, a dialect call or idle time: wait for the upgraded, rendered widget.
    script.onload = () => {
      // A visitor's pointer over the launcher: the elements load now, not in a later idle moment.
      widget()?.dispatchEvent(new PointerEvent('pointerenter'));
      void until(() => customElements.get('chat-widget') && widget()?.matches(':defined'), 'the widget upgraded', 15000)
        .then(() => (widget() as unknown as { updateComplete: Promise<unknown> }).updateComplete)
        .then(() => resolve(), reject);
    };
    script.onerror = () => reject(new Error(`${src} did not load; run npm run build`));
    document.head.append(script);
  });
}

export type Widget = HTMLElement & {
  isOpen: boolean;
  unreadCount: number;
  sessionId: string | null;
  ready: Promise<void>;
  state: any;
  theme: string;
};

export const widget = () => document.querySelector('chat-widget') as Widget | null;

/** Waits (bounded) until `check` is true. */
export async function until(check: () => unknown, what: string | (() => string), ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    let ok: unknown = false;
    try {
      ok = await check();
    } catch {
      ok = false; // not there yet
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Text of the panel (through its shadow roots). */
export function panelText(): string {
  const panel = widget()?.shadowRoot?.querySelector('chat-panel');
  const parts = [panel?.shadowRoot?.textContent ?? ''];
  for (const name of ['chat-tickets', 'chat-help', 'chat-schedule', 'chat-topics']) parts.push(panel?.shadowRoot?.querySelector(name)?.shadowRoot?.textContent ?? '');
  return parts.join(' ').replace(/\s+/g, ' ');
}

const b64url = (bytes: Uint8Array | string) =>
  btoa(typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** HMAC-SHA256 hex (user_hash / email_hash) and an HS256 JWT, as a site's server makes them. */
export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return [...new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
export async function jwt(secret: string, claims: Record<string, unknown>): Promise<string> {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${head}.${body}`)));
  return `${head}.${body}.${b64url(sig)}`;
}

/** Captures console.error while `fn` runs. */
export async function consoleErrors(fn: () => unknown): Promise<string[]> {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return errors;
}
