import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { InboxClient, type InboxConversation, type InboxMessage } from './inbox-client.js';
import { CobrowseViewer } from './cobrowse-viewer.js';

const KEY = 'chat-widget-inbox:key';

/**
 * The operator inbox of the reference server: conversations update live,
 * an operator reads one, replies or adds an internal note, assigns it and
 * sets its status.
 *
 * @summary The operator inbox page.
 */
export class InboxApp extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-columns: 320px 1fr; height: 100vh; font: 15px/1.45 system-ui, sans-serif; color: #111827; }
    aside { border-inline-end: 1px solid #d1d5db; overflow: auto; }
    header { padding: 12px 16px; border-block-end: 1px solid #d1d5db; display: flex; justify-content: space-between; align-items: center; gap: 8px; }
    h1 { font-size: 17px; margin: 0; }
    ul { list-style: none; margin: 0; padding: 0; }
    li button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 10px 16px; border-block-end: 1px solid #e5e7eb; cursor: pointer; }
    li button[aria-current='true'] { background: #eff6ff; }
    li button:focus-visible { outline: 2px solid #2563eb; outline-offset: -2px; }
    .who { font-weight: 600; display: flex; justify-content: space-between; }
    .badge { background: #b91c1c; color: #fff; border-radius: 10px; padding: 0 7px; font-size: 12px; }
    .preview { color: #4b5563; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    main { display: flex; flex-direction: column; min-width: 0; }
    .log { flex: 1; overflow: auto; padding: 16px; display: flex; flex-direction: column; gap: 8px; }
    .msg { max-width: 70%; padding: 8px 12px; border-radius: 12px; background: #f3f4f6; white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg[data-author='agent'] { align-self: flex-end; background: #2563eb; color: #fff; }
    .msg[data-internal] { align-self: flex-end; background: #fef3c7; color: #111827; border: 1px dashed #b45309; }
    .meta { display: block; font-size: 12px; }
    form { display: flex; gap: 8px; padding: 12px; border-block-start: 1px solid #d1d5db; align-items: center; }
    textarea { flex: 1; font: inherit; padding: 8px; border: 1px solid #9ca3af; border-radius: 8px; min-height: 40px; }
    button.primary { background: #2563eb; color: #fff; border: 0; border-radius: 8px; padding: 8px 14px; font: inherit; cursor: pointer; }
    .details { padding: 8px 16px; border-block-end: 1px solid #d1d5db; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; color: #374151; }
    .login { grid-column: 1 / -1; display: grid; place-content: center; gap: 8px; }
    .status-online { color: #047857; } .status-offline { color: #b91c1c; }
    .empty { padding: 16px; }
    .watch { display: flex; gap: 8px; align-items: end; padding: 8px 16px; }
    .screen-wrap { border-block-end: 1px solid #d1d5db; padding: 8px; max-height: 60vh; overflow: auto; }
    .screen { position: relative; transform-origin: top left; }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; padding: 8px 16px; border-block-end: 1px solid #d1d5db; font-size: 13px; }
    .facts dt { color: #4b5563; } .facts dd { margin: 0; overflow-wrap: anywhere; }
    .typing { margin: 0; padding: 0 16px; min-height: 1.2em; color: #4b5563; font-size: 13px; }
    .email { padding: 8px 16px; border-block-end: 1px solid #e5e7eb; }
    .email p { margin: 4px 0 0; white-space: pre-wrap; }
  `;

  /** The operator API base. */
  @property() api = '/api/agent';

  @state() private client: InboxClient | null = null;
  @state() private me: { agent: { id: string; name: string } | null } | null = null;
  @state() private conversations: InboxConversation[] = [];
  @state() private selected: string | null = null;
  @state() private detail: Record<string, any> | null = null;
  @state() private messages: InboxMessage[] = [];
  @state() private online = false;
  @state() private error = '';
  @state() private visitorTyping = false;
  @state() private emails: { id: string; name: string | null; email: string; content: string; created_at: string }[] = [];
  @state() private showEmails = false;
  @state() private watching: string | null = null;
  @state() private calls: { id: string; phone_number: string; scheduled_at: string | null; status: string }[] = [];
  @state() private bookings: { id: string; name: string; email: string; starts_at: string }[] = [];
  #viewer: CobrowseViewer | null = null;
  #typingTimer?: ReturnType<typeof setTimeout>;
  #typingSent = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) return;
    const key = new URL(location.href).searchParams.get('key') ?? sessionStorage.getItem(KEY);
    if (key) void this.#login(key);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client?.close();
  }

  async #login(key: string): Promise<void> {
    const client = new InboxClient(key, this.api);
    try {
      this.me = await client.me();
    } catch (error) {
      this.error = (error as Error).message;
      return;
    }
    sessionStorage.setItem(KEY, key);
    this.client = client;
    this.error = '';
    await this.#refresh();
    client.listen((type, data) => void this.#onEvent(type, data), (online) => (this.online = online));
  }

  async #refresh(): Promise<void> {
    [this.conversations, this.emails, this.calls, this.bookings] = await Promise.all([
      this.client!.conversations(),
      this.client!.emails(),
      this.client!.call<{ calls: never[] }>('GET', '/calls').then((r) => r.calls),
      this.client!.call<{ bookings: never[] }>('GET', '/bookings').then((r) => r.bookings),
    ]);
  }

  /** Opens a co-browsing session by the code the visitor read out. */
  async #watch(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get('code') ?? '').trim();
    try {
      const session = await this.client!.call<{ id: string }>('GET', `/cobrowse?code=${encodeURIComponent(code)}`);
      this.#viewer?.stop();
      this.watching = session.id;
      await this.updateComplete;
      this.#viewer = new CobrowseViewer(this.client!, session.id, this.renderRoot.querySelector<HTMLElement>('.screen')!);
      await this.#viewer.start();
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async #onEvent(type: string, data: any): Promise<void> {
    if (type === 'typing') {
      if (data.conversation_id !== this.selected) return;
      this.visitorTyping = data.typing;
      clearTimeout(this.#typingTimer);
      this.#typingTimer = setTimeout(() => (this.visitorTyping = false), 6000);
      return;
    }
    if (type === 'cobrowse.events' && data.cobrowse_id === this.watching) {
      void this.#viewer?.refresh();
      return;
    }
    if (type === 'message' && data.conversation_id === this.selected) this.visitorTyping = false;
    await this.#refresh();
    if (this.selected && data.conversation_id === this.selected) {
      if (type === 'message') await this.#load(this.selected);
      if (type === 'conversation.updated') this.detail = await this.client!.conversation(this.selected);
    }
  }

  async #load(id: string): Promise<void> {
    this.selected = id;
    [this.detail, this.messages] = await Promise.all([this.client!.conversation(id), this.client!.messages(id)]);
    await this.client!.read(id);
    this.conversations = this.conversations.map((c) => (c.id === id ? { ...c, unread_count: 0 } : c));
    await this.updateComplete;
    const log = this.renderRoot.querySelector('.log');
    log?.scrollTo({ top: log.scrollHeight });
  }

  #typed(): void {
    if (!this.selected || Date.now() - this.#typingSent < 3000) return;
    this.#typingSent = Date.now();
    void this.client!.typing(this.selected, true).catch(() => {});
  }

  async #send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = (form.elements.namedItem('content') as HTMLTextAreaElement).value.trim();
    const internal = (form.elements.namedItem('internal') as HTMLInputElement).checked;
    if (!text || !this.selected) return;
    try {
      await this.client!.reply(this.selected, text, internal);
      form.reset();
      await this.#load(this.selected);
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  override render() {
    if (!this.client) {
      return html`<form class="login" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.#login(((e.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement).value.trim());
      }}>
        <h1>Operator inbox</h1>
        <label>Operator secret key <input name="key" type="password" autocomplete="off" required /></label>
        <button class="primary">Open the inbox</button>
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      </form>`;
    }
    return html`
      <aside>
        <header>
          <h1>Inbox</h1>
          <span class=${this.online ? 'status-online' : 'status-offline'}>${this.online ? 'Live' : 'Reconnecting…'}</span>
        </header>
        <ul aria-label="Conversations">
          ${repeat(this.conversations, (c) => c.id, (c) => html`<li>
            <button aria-current=${c.id === this.selected ? 'true' : 'false'} @click=${() => this.#load(c.id)}>
              <span class="who">${c.contact?.name ?? c.contact?.email ?? 'Visitor'} ${c.unread_count ? html`<span class="badge">${c.unread_count}</span>` : nothing}</span>
              <span class="preview">${c.last_message?.internal ? 'Note: ' : ''}${c.last_message?.content ?? ''}</span>
              <span class="meta">${c.status} · ${c.chat_status.replace('_', ' ')} · ${new Date(c.updated_at).toLocaleString()}</span>
            </button>
          </li>`)}
        </ul>
        <header><h1>Screen</h1></header>
        <form class="watch" @submit=${this.#watch}>
          <label>Co-browsing code <input name="code" inputmode="numeric" pattern="[0-9]{6}" required /></label>
          <button>Watch</button>
        </form>
        ${this.calls.length ? html`<header><h1>Callbacks</h1></header><ul>${this.calls.map((c) => html`<li class="email">${c.phone_number} · ${c.scheduled_at ?? 'as soon as possible'}
          <button @click=${() => this.client!.call('POST', `/calls/${c.id}/done`).then(() => this.#refresh())}>Done</button></li>`)}</ul>` : nothing}
        ${this.bookings.length ? html`<header><h1>Bookings</h1></header><ul>${this.bookings.map((b) => html`<li class="email">${new Date(b.starts_at).toLocaleString()} · ${b.name} &lt;${b.email}&gt;</li>`)}</ul>` : nothing}
        <header><h1>Emails</h1><button @click=${() => (this.showEmails = !this.showEmails)}>${this.showEmails ? 'Hide' : `Show (${this.emails.length})`}</button></header>
        ${this.showEmails
          ? html`<ul class="emails" aria-label="Email tickets">${this.emails.map((e) => html`<li class="email"><strong>${e.name ?? e.email}</strong> &lt;${e.email}&gt;<p>${e.content}</p></li>`)}</ul>`
          : nothing}
      </aside>
      <main>
        ${this.watching ? html`<div class="screen-wrap"><button @click=${() => { this.#viewer?.stop(); this.watching = null; }}>Stop watching</button><div class="screen"></div></div>` : nothing}
        ${this.detail ? this.#conversation(this.detail) : html`<p class="empty">Pick a conversation.</p>`}
      </main>
    `;
  }

  #conversation(d: Record<string, any>) {
    const contact = d.contact ?? {};
    return html`
      <div class="details">
        <strong>${contact.name ?? contact.email ?? 'Anonymous visitor'}</strong>
        ${contact.email ? html`<span>${contact.email}${contact.email_verified ? ' (verified)' : contact.verified ? ' (not verified)' : ''}</span>` : nothing}
        ${contact.verified ? html`<span>verified${contact.external_id && !contact.email_verified ? ` id ${contact.external_id}` : ''}</span>` : nothing}
        <label>Status
          <select @change=${(e: Event) => this.client!.setStatus(d.id, (e.target as HTMLSelectElement).value).then(() => this.#load(d.id))}>
            ${['open', 'pending', 'closed'].map((s) => html`<option ?selected=${d.status === s}>${s}</option>`)}
          </select>
        </label>
        ${this.me?.agent ? html`<button @click=${() => this.client!.assign(d.id, d.assignee_id === this.me!.agent!.id ? null : this.me!.agent!.id).then(() => this.#load(d.id))}>
          ${d.assignee_id === this.me.agent.id ? 'Unassign me' : 'Assign to me'}</button>` : nothing}
        ${d.category ? html`<span>Category: ${d.category}</span>` : nothing}
      </div>
      <dl class="facts">
        ${[
          ['Phone', contact.phone], ['Company', contact.company], ['External id', contact.external_id],
          ['Custom data', Object.keys(contact.custom_data ?? {}).length ? JSON.stringify(contact.custom_data) : null],
          ['Conversation fields', Object.keys(d.fields ?? {}).length ? JSON.stringify(d.fields) : null],
          ['Session data', Object.keys(d.session?.data ?? {}).length ? JSON.stringify(d.session.data) : null],
          ['Segments', d.session?.segments?.length ? d.session.segments.join(', ') : null],
          ['Page', d.session?.page_url], ['Topic', d.menu_id], ['Rating', d.rating],
          ['Tickets', d.tickets?.length ? d.tickets.map((t: { form_key: string; fields: unknown }) => `${t.form_key} ${JSON.stringify(t.fields)}`).join(' · ') : null],
        ]
          .filter(([, v]) => v !== null && v !== undefined && v !== '')
          .map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}
      </dl>
      <div class="log" role="log" aria-label="Messages">
        ${repeat(this.messages, (m) => m.id, (m) => html`<div class="msg" data-author=${m.author} ?data-internal=${m.internal}>
          ${m.content}<span class="meta">${m.internal ? 'Internal note · ' : ''}${m.author_name ?? m.author} · ${new Date(m.created_at).toLocaleTimeString()}</span>
        </div>`)}
      </div>
      <p class="typing" role="status">${this.visitorTyping ? 'The visitor is typing…' : ''}</p>
      <form @submit=${this.#send}>
        <textarea name="content" aria-label="Reply" placeholder="Reply to the visitor…" @input=${this.#typed}></textarea>
        <label><input type="checkbox" name="internal" /> Internal note</label>
        <button class="primary">Send</button>
      </form>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
    `;
  }
}

if (!customElements.get('inbox-app')) customElements.define('inbox-app', InboxApp);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-app': InboxApp;
  }
}
