import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { InboxClient } from './inbox-client.js';
import { CobrowseViewer } from './cobrowse-viewer.js';
import { controls, tokens, viewStyles, when } from './styles.js';

export type DeskView = 'callbacks' | 'bookings' | 'emails' | 'cobrowse';

interface Call { id: string; phone_number: string; scheduled_at: string | null; status: string; created_at: string; lang: string }
interface Booking { id: string; name: string; email: string; starts_at: string; status: string; conversation_id: string | null }
interface Email { id: string; name: string | null; email: string; content: string; status: string; created_at: string }

const TITLES: Record<DeskView, string> = { callbacks: 'Callbacks', bookings: 'Bookings', emails: 'Emails', cobrowse: 'Screen sharing' };

/**
 * The work that is not a chat, each a view of its own: callbacks to make (marked done), booked
 * meetings, emails sent from the messenger, and watching a visitor's screen by the code they read out.
 *
 * @fires select - `detail` is a conversation id to open (a booking's conversation).
 */
export class InboxDesk extends LitElement {
  static override styles = [
    tokens,
    controls,
    viewStyles,
    css`
      header { padding: 16px 24px 8px; display: flex; gap: 12px; align-items: baseline; }
      .cards { display: grid; gap: 10px; padding: 8px 24px 24px; max-width: 900px; }
      .card { background: var(--ib-bg); border: 1px solid var(--ib-line); border-radius: 10px; padding: 12px 16px; display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; align-items: center; }
      .card p { margin: 0; }
      .card .body { grid-column: 1 / -1; white-space: pre-wrap; overflow-wrap: anywhere; color: var(--ib-text); }
      .card .sub { color: var(--ib-text-soft); font-size: 13px; }
      .empty { padding: 8px 24px; color: var(--ib-text-soft); }
      form.watch { display: flex; gap: 8px; align-items: end; padding: 8px 24px; max-width: 520px; }
      form.watch .field { flex: 1; }
      .screen-wrap { margin: 8px 24px 24px; border: 1px solid var(--ib-line); border-radius: 10px; background: var(--ib-bg); padding: 8px; overflow: auto; max-height: 70vh; }
      .screen { position: relative; transform-origin: top left; }
      [role='alert'] { color: var(--ib-danger); padding: 0 24px; }
    `,
  ];

  @property({ attribute: false }) client!: InboxClient;
  @property() view: DeskView = 'callbacks';
  @state() private calls: Call[] = [];
  @state() private bookings: Booking[] = [];
  @state() private emails: Email[] = [];
  @state() private watching: string | null = null;
  @state() private error = '';
  #viewer: CobrowseViewer | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view')) void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#viewer?.stop();
  }

  /** Loads what the view shows (again: on an event of the stream). */
  async refresh(): Promise<void> {
    try {
      if (this.view === 'callbacks') this.calls = (await this.client.call<{ calls: Call[] }>('GET', '/calls')).calls;
      if (this.view === 'bookings') this.bookings = (await this.client.call<{ bookings: Booking[] }>('GET', '/bookings')).bookings;
      if (this.view === 'emails') this.emails = (await this.client.call<{ emails: Email[] }>('GET', '/emails')).emails;
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** A co-browsing event of the stream: the screen being watched moves on. */
  screenChanged(id: string): void {
    if (id === this.watching) void this.#viewer?.refresh();
  }

  async #watch(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get('code') ?? '').trim();
    try {
      const session = await this.client.call<{ id: string }>('GET', `/cobrowse?code=${encodeURIComponent(code)}`);
      this.#viewer?.stop();
      this.watching = session.id;
      await this.updateComplete;
      this.#viewer = new CobrowseViewer(this.client, session.id, this.renderRoot.querySelector<HTMLElement>('.screen')!);
      await this.#viewer.start();
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  override render() {
    return html`<header><h2>${TITLES[this.view]}</h2></header>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.view === 'callbacks' ? this.#calls() : this.view === 'bookings' ? this.#bookings() : this.view === 'emails' ? this.#emails() : this.#cobrowse()}`;
  }

  #calls() {
    if (!this.calls.length) return html`<p class="empty">No callbacks waiting.</p>`;
    return html`<div class="cards" role="list" aria-label="Callbacks">${this.calls.map((c) => html`<div class="card" role="listitem">
      <p><strong>${c.phone_number}</strong> <span class="pill">${c.status}</span></p>
      <button class="btn" @click=${() => this.client.call('POST', `/calls/${c.id}/done`).then(() => this.refresh())}>Mark as called</button>
      <p class="sub">${c.scheduled_at ? `At ${new Date(c.scheduled_at).toLocaleString()}` : 'As soon as possible'} · asked ${when(c.created_at)} · ${c.lang}</p>
    </div>`)}</div>`;
  }

  #bookings() {
    if (!this.bookings.length) return html`<p class="empty">No meetings booked.</p>`;
    return html`<div class="cards" role="list" aria-label="Bookings">${this.bookings.map((b) => html`<div class="card" role="listitem">
      <p><strong>${new Date(b.starts_at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}</strong> · ${b.name}</p>
      ${b.conversation_id ? html`<button class="btn" @click=${() => this.dispatchEvent(new CustomEvent('select', { detail: b.conversation_id, bubbles: true, composed: true }))}>Open conversation</button>` : html`<span></span>`}
      <p class="sub">${b.email} · ${b.status}</p>
    </div>`)}</div>`;
  }

  #emails() {
    if (!this.emails.length) return html`<p class="empty">No emails yet.</p>`;
    return html`<div class="cards" role="list" aria-label="Emails">${this.emails.map((e) => html`<div class="card" role="listitem">
      <p><strong>${e.name ?? e.email}</strong> <span class="sub">&lt;${e.email}&gt;</span></p>
      <a class="btn" href="mailto:${e.email}">Reply by email</a>
      <p class="sub">${when(e.created_at)} · ${e.status}</p>
      <p class="body">${e.content}</p>
    </div>`)}</div>`;
  }

  #cobrowse() {
    return html`<form class="watch" @submit=${this.#watch}>
        <label class="field"><span>The 6-digit code the visitor reads out</span><input name="code" inputmode="numeric" pattern="[0-9]{6}" required autocomplete="off" /></label>
        <button class="btn primary">Watch</button>
      </form>
      ${this.watching
        ? html`<div class="screen-wrap"><button class="btn" @click=${() => { this.#viewer?.stop(); this.watching = null; }}>Stop watching</button><div class="screen"></div></div>`
        : html`<p class="empty">The visitor starts sharing from the messenger's menu and reads you the code; inputs arrive masked.</p>`}`;
  }
}

if (!customElements.get('inbox-desk')) customElements.define('inbox-desk', InboxDesk);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-desk': InboxDesk;
  }
}
