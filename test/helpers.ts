import type { LitElement } from 'lit';
import { fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { executeServerCommand } from '@web/test-runner-commands';
import '../elements/chat-widget/chat-widget.js';
import type { ChatWidget } from '../elements/chat-widget/chat-widget.js';
import type { ChatPanel } from '../elements/chat-panel/chat-panel.js';
import type { ChatLauncher } from '../elements/chat-launcher/chat-launcher.js';

export async function widgetFixture(template: TemplateResult = html`<chat-widget></chat-widget>`): Promise<ChatWidget> {
  const el = await fixture<ChatWidget>(template);
  await el.updateComplete;
  return el;
}

/** Waits until every Lit element under `root` (through shadow roots) has rendered. */
export async function settled(el: ChatWidget): Promise<void> {
  // The panel's code loads apart (lazily): a panel on the page waits for it (bounded).
  if (el.shadowRoot?.querySelector('chat-panel') && !customElements.get('chat-panel')) {
    await Promise.race([customElements.whenDefined('chat-panel'), new Promise((r) => setTimeout(r, 10000))]);
  }
  for (let i = 0; i < 3; i++) {
    await el.updateComplete;
    const parts = el.shadowRoot!.querySelectorAll<ChatPanel | ChatLauncher>('chat-panel, chat-launcher');
    await Promise.all([...parts].map((p) => p.updateComplete));
    // A feature view's code comes on its first use: wait for it (bounded), then for its render.
    const views = [...(panelOf(el)?.shadowRoot?.querySelectorAll<LitElement>('chat-topics, chat-after, chat-tickets, chat-help, chat-schedule') ?? [])];
    await Promise.all(views.map((v) => Promise.race([customElements.whenDefined(v.localName), new Promise((r) => setTimeout(r, 10000))]).then(() => v.updateComplete)));
  }
}

export const launcherOf = (el: ChatWidget) => el.shadowRoot!.querySelector<ChatLauncher>('chat-launcher')!;
export const launcherButton = (el: ChatWidget | ChatLauncher) => {
  const launcher = el.localName === 'chat-launcher' ? (el as ChatLauncher) : launcherOf(el as ChatWidget);
  return launcher.shadowRoot!.querySelector<HTMLButtonElement>('[part="launcher"]')!;
};
export const panelOf = (el: ChatWidget) => el.shadowRoot!.querySelector<ChatPanel>('chat-panel');
export const inPanel = <T extends Element = HTMLElement>(el: ChatWidget, selector: string) =>
  panelOf(el)?.shadowRoot?.querySelector<T>(selector) ?? null;
export const messageTexts = (el: ChatWidget) =>
  [...(panelOf(el)?.shadowRoot?.querySelectorAll('[part="message"]') ?? [])].map((m) => m.textContent!.replace(/\s+/g, ' ').trim());

/** The focused element, through shadow roots. */
export function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Records the events named while `fn` runs. */
export async function recordEvents(target: EventTarget, names: string[], fn: () => unknown): Promise<CustomEvent[]> {
  const seen: CustomEvent[] = [];
  const listener = (e: Event) => seen.push(e as CustomEvent);
  for (const n of names) target.addEventListener(n, listener);
  try {
    await fn();
  } finally {
    for (const n of names) target.removeEventListener(n, listener);
  }
  return seen;
}

/** A workspace of the reference server that the browser tests run (see test/chat-server-plugin.ts). */
export interface TestWorkspace {
  api: string;
  publicKey: string;
  operatorKey: string;
  identitySecret: string;
  agentId: string;
}

/** Drives the test server: `{action: 'workspace' | 'stop' | 'start' | 'agent', ...}`. */
export const chatServer = <T = any>(payload: Record<string, unknown>) =>
  executeServerCommand<T, Record<string, unknown>>('chat-server', payload);

/** A widget connected to `ws`, appended to the page, with its session loaded. */
export async function connectedWidget(ws: TestWorkspace, options: { open?: boolean } = {}): Promise<ChatWidget> {
  const el = document.createElement('chat-widget');
  el.api = ws.api;
  el.publicKey = ws.publicKey;
  if (options.open) el.open = true;
  document.body.append(el);
  await el.updateComplete;
  // The page asks for the session now (without it, the widget waits for the visitor's first interaction).
  void el.client!.connect().catch(() => {});
  await el.ready;
  return el;
}

/** HMAC-SHA256 in hex, as a site's server computes user_hash. */
export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
