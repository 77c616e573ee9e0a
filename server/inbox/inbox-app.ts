import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { InboxClient, type CannedReply, type InboxConversation, type Me, type Operator } from './inbox-client.js';
import type { ListFilter } from './inbox-list.js';
import type { InboxThread } from './inbox-thread.js';
import type { DeskView, InboxDesk } from './inbox-desk.js';
import type { InboxList } from './inbox-list.js';
import type { ContentView } from './inbox-content.js';
import { controls, icon, initials, mark, tokens } from './styles.js';
import { chime } from '../../elements/shared/sound.js';
import './inbox-list.js';
import './inbox-thread.js';
import './inbox-desk.js';
import './inbox-content.js';

const KEY = 'chat-widget-inbox:key';
const FILTER = 'chat-widget-inbox:filter';
const TITLE = 'Inbox · chat-widget';
const LATER = 'chat-widget-inbox:notifications-later';

type View = 'conversations' | DeskView | ContentView;

const NAV: [View, string, string][] = [
  ['conversations', 'Conversations', 'M4 5h16v11H8l-4 4z'],
  ['callbacks', 'Callbacks', 'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11 11 0 0 0 3.6.6 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.6 3.6a1 1 0 0 1-.25 1z'],
  ['bookings', 'Bookings', 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5'],
  ['emails', 'Emails', 'M3 6h18v12H3zM3 7l9 6 9-6'],
  ['cobrowse', 'Screen sharing', 'M3 5h18v11H3zM8 20h8M12 16v4'],
  ['canned', 'Canned replies', 'M5 4h14v16l-7-4-7 4z'],
  ['content', 'Content and settings', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5.3-2-3-1-1 2h-2l-1-2-3 1 .3 2L5.6 7.3 3.6 7l-1 3 2 1v2l-2 1 1 3 2-.3 1.5 1.5-.3 2 3 1 1-2h2l1 2 3-1-.3-2 1.5-1.5 2 .3 1-3-2-1z'],
];

const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous conversation'],
  ['u', 'Next conversation with unread messages'],
  ['a', 'Assign the conversation to me'],
  ['c', 'Close the conversation'],
  ['r', 'Reply (put the cursor in the composer)'],
  ['/', 'Search conversations'],
  ['?', 'Show or hide these shortcuts'],
];

/**
 * The operator inbox of the reference server, for a team: sign-in with an operator's own key; the
 * conversation list (filters, search, unread per operator) beside the open conversation; callbacks,
 * bookings, emails and screen sharing as views of their own; canned replies and the workspace's
 * content; browser notifications, a sound and the unread count in the tab title while the inbox is
 * in the background; keyboard shortcuts. Light and dark follow the system.
 *
 * @summary The operator inbox page.
 */
export class InboxApp extends LitElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host { position: fixed; inset: 0; display: grid; grid-template-columns: 64px minmax(260px, 340px) minmax(0, 1fr); background: var(--ib-bg); }
      :host([data-view-kind='wide']) { grid-template-columns: 64px minmax(0, 1fr); }
      nav { display: flex; flex-direction: column; align-items: center; gap: 4px; padding: 10px 0; background: var(--ib-bg-soft); border-inline-end: 1px solid var(--ib-line); }
      nav .brand { width: 36px; height: 36px; border-radius: 10px; background: var(--ib-accent); color: var(--ib-accent-text); display: grid; place-items: center; font-weight: 800; margin-block-end: 8px; }
      nav button { position: relative; width: 44px; height: 44px; border-radius: 10px; border: 0; background: transparent; color: var(--ib-text-soft); display: grid; place-items: center; cursor: pointer; }
      nav button:hover { background: var(--ib-bg-hover); color: var(--ib-text); }
      nav button[aria-current='page'] { background: var(--ib-accent-soft); color: var(--ib-accent); }
      nav button .badge { position: absolute; top: 2px; inset-inline-end: 0; min-width: 18px; height: 18px; font-size: 11px; }
      nav .grow { flex: 1; }
      nav .me { position: relative; }
      nav .me .dot { position: absolute; bottom: 1px; inset-inline-end: 1px; border: 2px solid var(--ib-bg-soft); width: 12px; height: 12px; }
      .status { font-size: 11px; color: var(--ib-text-soft); text-align: center; padding: 0 4px; }
      .status.off { color: var(--ib-danger); }
      .center { display: grid; place-items: center; color: var(--ib-text-soft); background: var(--ib-bg-soft); text-align: center; padding: 24px; }
      .center p { max-width: 36ch; }
      .back { display: none; }
      .login { grid-column: 1 / -1; display: grid; place-items: center; background: var(--ib-bg-soft); padding: 16px; }
      .login form { width: min(400px, 100%); background: var(--ib-bg); border: 1px solid var(--ib-line); border-radius: 14px; box-shadow: var(--ib-shadow); padding: 28px; display: grid; gap: 16px; }
      .login .brand { width: 44px; height: 44px; border-radius: 12px; background: var(--ib-accent); color: var(--ib-accent-text); display: grid; place-items: center; font-weight: 800; font-size: 20px; }
      .login h1 { font-size: 22px; }
      .login p { margin: 0; color: var(--ib-text-soft); }
      .login [role='alert'] { color: var(--ib-danger); }
      .notify { position: fixed; inset-block-end: 12px; inset-inline-start: 76px; width: min(316px, calc(100vw - 88px)); display: flex; flex-wrap: wrap; gap: 8px 10px; align-items: center; background: var(--ib-bg); border: 1px solid var(--ib-line); border-radius: 12px; box-shadow: var(--ib-shadow); padding: 12px; z-index: 2; }
      .notify span { flex: 1 1 200px; }
      dialog { border: 1px solid var(--ib-line); border-radius: 14px; background: var(--ib-bg); color: var(--ib-text); box-shadow: var(--ib-shadow); padding: 20px 24px; min-width: min(420px, 92vw); }
      dialog::backdrop { background: rgb(0 0 0 / 0.35); }
      dialog h3 { margin-block-start: 16px; }
      .profile-form { display: grid; gap: 12px; margin-block-start: 12px; }
      .team { list-style: none; margin: 8px 0 16px; padding: 0; display: grid; gap: 8px; }
      .team li { display: grid; grid-template-columns: auto 1fr auto auto; gap: 10px; align-items: center; }
      dialog .row { display: flex; gap: 8px; align-items: center; }
      dialog .row .grow { flex: 1; }
      dialog [role='alert'] { color: var(--ib-danger); margin: 0; }
      dialog dl { display: grid; grid-template-columns: max-content 1fr; gap: 8px 16px; margin: 12px 0; }
      kbd { font: 600 12px ui-monospace, monospace; padding: 2px 6px; border: 1px solid var(--ib-line-strong); border-block-end-width: 2px; border-radius: 5px; background: var(--ib-bg-soft); }
      .thread-wrap { display: grid; grid-template-rows: auto minmax(0, 1fr); min-height: 0; min-width: 0; }
      .thread-wrap > inbox-thread { grid-row: 2; }
      @media (max-width: 820px) {
        :host { grid-template-columns: 56px minmax(0, 1fr); }
        nav button { width: 40px; height: 40px; }
        :host([data-open]) inbox-list { display: none; }
        :host(:not([data-open])) .thread-wrap, :host(:not([data-open])) .center { display: none; }
        .back { display: inline-flex; margin: 8px 12px 0; justify-self: start; }
        .notify { inset-block: 8px auto; inset-inline-start: 64px; }
      }
    `,
  ];

  /** The operator API base. */
  @property() api = '/api/agent';

  @state() private client: InboxClient | null = null;
  @state() private me: Me | null = null;
  @state() private team: Operator[] = [];
  @state() private canned: CannedReply[] = [];
  @state() private conversations: InboxConversation[] = [];
  @state() private filter: ListFilter = { assignee: 'all', status: 'open', q: '' };
  @state() private selected: string | null = null;
  @state() private view: View = 'conversations';
  @state() private online = false;
  @state() private loading = false;
  @state() private error = '';
  @state() private permission: NotificationPermission | 'unsupported' = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  @state() private unreadTotal = 0;
  @state() private notLater = localStorage.getItem(LATER) === '1';
  @query('inbox-thread') private thread?: InboxThread;
  @query('inbox-desk') private desk?: InboxDesk;
  @query('inbox-list') private list?: InboxList;
  @query('dialog:not(.profile)') private help?: HTMLDialogElement;
  @query('dialog.profile') private profile?: HTMLDialogElement;
  @state() private profileError = '';
  #refreshTimer?: ReturnType<typeof setTimeout>;
  #listSeq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.#shortcut);
    document.addEventListener('visibilitychange', this.#visible);
    try {
      this.filter = { ...this.filter, ...JSON.parse(localStorage.getItem(FILTER) ?? '{}'), q: '' };
    } catch {
      /* a filter of another version: the default */
    }
    if (this.client) return;
    const key = new URL(location.href).searchParams.get('key') ?? sessionStorage.getItem(KEY);
    if (key) void this.#login(key);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.#shortcut);
    document.removeEventListener('visibilitychange', this.#visible);
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
    // The key never stays in the address bar (nor in the history).
    if (new URL(location.href).searchParams.has('key')) {
      const url = new URL(location.href);
      url.searchParams.delete('key');
      history.replaceState(history.state, '', url);
    }
    this.client = client;
    this.error = '';
    // The team, the canned replies and the list at once.
    const [team, canned] = await Promise.all([client.team(), client.canned(), this.#refresh()]);
    [this.team, this.canned] = [team, canned];
    client.listen((type, data) => void this.#onEvent(type, data), (online) => (this.online = online));
  }

  async #saveProfile(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const avatar = String(data.get('avatar_url') ?? '').trim();
    try {
      const { agent } = await this.client!.call<{ agent: { id: string; name: string; avatar_url: string | null } }>('PATCH', '/me', { name: String(data.get('name') ?? '').trim(), avatar_url: avatar || null });
      this.team = this.team.map((o) => (o.id === agent.id ? { ...o, name: agent.name, avatar_url: agent.avatar_url } : o));
      this.me = { ...this.me!, agent: { id: agent.id, name: agent.name } };
      this.profileError = '';
      this.profile?.close();
    } catch (error) {
      this.profileError = (error as Error).message;
    }
  }

  #logout(): void {
    this.client?.close();
    sessionStorage.removeItem(KEY);
    this.client = null;
    this.me = null;
    this.selected = null;
    this.conversations = [];
    document.title = TITLE;
  }

  async #refresh(): Promise<void> {
    if (!this.client) return;
    const seq = ++this.#listSeq;
    this.loading = true;
    try {
      const list = await this.client.conversations(this.filter);
      if (seq !== this.#listSeq) return;
      this.conversations = list;
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      if (seq === this.#listSeq) this.loading = false;
    }
    // The unread count of the title and the rail: every open conversation, whatever the filter.
    const all = this.filter.assignee === 'all' && this.filter.status !== 'closed' && !this.filter.q ? this.conversations : await this.client.conversations({ assignee: 'all', status: 'all', q: '' }).catch(() => this.conversations);
    this.unreadTotal = all.reduce((n, c) => n + c.unread_count, 0);
    document.title = this.unreadTotal ? `(${this.unreadTotal}) ${TITLE}` : TITLE;
  }

  #refreshSoon(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh(), 120);
  }

  async #onEvent(type: string, data: any): Promise<void> {
    if (type === 'agent.presence') {
      this.team = this.team.map((o) => (o.id === data.agent_id ? { ...o, online: data.online } : o));
      return;
    }
    if (type.startsWith('cobrowse.')) {
      this.desk?.screenChanged(data.cobrowse_id);
      return;
    }
    if (type === 'booking.created' || type === 'email.created' || type === 'call.requested') {
      void this.desk?.refresh();
      this.#alert(type === 'booking.created' ? 'New booking' : type === 'email.created' ? 'New email' : 'Callback requested', type === 'call.requested' ? data.call?.phone_number ?? '' : '');
      return;
    }
    void this.thread?.handle(type, data);
    if (type === 'typing' || type === 'operator.typing') return;
    if (type === 'conversation.created') this.#alert('New conversation', 'A visitor started a conversation');
    if (type === 'message' && data.message?.author === 'visitor' && (document.hidden || data.conversation_id !== this.selected || this.view !== 'conversations')) {
      this.#alert(`New message`, data.message.attachment ? `File: ${data.message.attachment.name}` : data.message.content);
    }
    if (type === 'message') this.#showMessage(data.conversation_id, data.message);
    // A new conversation is read at once (it is not in the list yet); the rest settles a moment later, together.
    if (type === 'conversation.created') void this.#refresh();
    else this.#refreshSoon();
  }

  /**
   * A message shows in the list at once (its row to the top, the preview, one more unread), before the
   * list is read again from the server (#refreshSoon), which settles filters and counts.
   */
  #showMessage(id: string, m: { author: string; author_name: string | null; content: string; internal: boolean; attachment: { name: string } | null; created_at: string }): void {
    const row = this.conversations.find((c) => c.id === id);
    if (!row || !m) return;
    const reading = id === this.selected && this.view === 'conversations' && !document.hidden;
    const updated: InboxConversation = {
      ...row,
      updated_at: m.created_at,
      match: null,
      last_message: { content: m.content, author: m.author, author_name: m.author_name, internal: m.internal, attachment: m.attachment?.name ?? null, created_at: m.created_at },
      unread_count: m.author === 'visitor' && !reading && row.status !== 'closed' ? row.unread_count + 1 : row.unread_count,
    };
    this.conversations = [updated, ...this.conversations.filter((c) => c !== row)];
    this.unreadTotal += updated.unread_count - row.unread_count;
  }

  /** A browser notification and a sound (the messenger's chime: silent until the operator has clicked on the page), while the inbox is in the background (or the message is elsewhere). */
  #alert(title: string, body: string): void {
    chime();
    if (!document.hidden || this.permission !== 'granted') return;
    try {
      const n = new Notification(title, { body: body.slice(0, 140), tag: 'chat-widget-inbox' });
      n.onclick = () => {
        window.focus();
        n.close();
      };
    } catch {
      /* a browser that only notifies from a service worker */
    }
  }

  async #enableNotifications(): Promise<void> {
    if (this.permission === 'default') this.permission = await Notification.requestPermission();
  }

  #visible = () => {
    if (!document.hidden && this.selected && this.view === 'conversations') void this.client?.read(this.selected).then(() => this.#refreshSoon(), () => {});
  };

  #select(id: string): void {
    this.view = 'conversations';
    this.selected = id;
    this.toggleAttribute('data-open', true);
    // Read when opened: the badge goes at once, the server hears it from the thread.
    this.conversations = this.conversations.map((c) => (c.id === id ? { ...c, unread_count: 0 } : c));
    this.#refreshSoon();
  }

  #setFilter(filter: ListFilter): void {
    this.filter = filter;
    localStorage.setItem(FILTER, JSON.stringify({ assignee: filter.assignee, status: filter.status }));
    void this.#refresh();
  }

  #go(view: View): void {
    this.view = view;
    this.dataset.viewKind = view === 'conversations' ? '' : 'wide';
    if (view === 'canned') void this.client?.canned().then((c) => (this.canned = c));
  }

  #shortcut = (event: KeyboardEvent) => {
    if (!this.client || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0] as HTMLElement;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target?.isContentEditable) return;
    const index = this.conversations.findIndex((c) => c.id === this.selected);
    const move = (to: InboxConversation | undefined) => to && this.#select(to.id);
    const mine = this.me?.agent?.id;
    const actions: Record<string, () => void> = {
      j: () => move(this.conversations[index + 1] ?? this.conversations[0]),
      k: () => move(this.conversations[index - 1] ?? this.conversations.at(-1)),
      u: () => move([...this.conversations.slice(index + 1), ...this.conversations.slice(0, index + 1)].find((c) => c.unread_count > 0 && c.id !== this.selected)),
      a: () => mine && this.thread && void this.thread.assign(mine),
      c: () => this.thread && void this.thread.setStatus('closed'),
      r: () => this.thread?.focusComposer(),
      '/': () => (this.#go('conversations'), this.list?.focusSearch()),
      '?': () => (this.help?.open ? this.help.close() : this.help?.showModal()),
    };
    const run = actions[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  };

  override render() {
    if (!this.client) return this.#signIn();
    const agent = this.me?.agent;
    const meOnTeam = this.team.find((o) => o.id === agent?.id);
    return html`
      <nav aria-label="Inbox">
        <span class="brand" aria-hidden="true">${mark}</span>
        ${NAV.map(([view, label, d]) => html`<button aria-label=${label} title=${label} aria-current=${this.view === view ? 'page' : 'false'} @click=${() => this.#go(view)}>
          ${icon(d)}${view === 'conversations' && this.unreadTotal ? html`<span class="badge">${this.unreadTotal}</span>` : nothing}
        </button>`)}
        <span class="grow"></span>
        <span class=${this.online ? 'status' : 'status off'} role="status">${this.online ? 'Live' : 'Reconnecting…'}</span>
        <button aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => this.help?.showModal()}>${icon('M3 7h18v10H3zM7 11h0M11 11h0M15 11h0M8 14h8')}</button>
        <button class="me" aria-label=${`${agent?.name ?? 'The workspace'}: your profile and your team`} title=${`${agent?.name ?? 'Workspace key'} · profile, team, sign out`} @click=${() => this.profile?.showModal()}>
          <span class="avatar">${initials(agent?.name ?? 'W')}${meOnTeam?.avatar_url ? html`<img src=${meOnTeam.avatar_url} alt="" />` : nothing}</span>
          <span class="dot ${this.online ? 'on' : ''}"></span>
        </button>
      </nav>
      ${this.view === 'conversations' ? this.#conversations() : this.#other()}
      ${this.permission === 'default' && !this.notLater
        ? html`<div class="notify" role="region" aria-label="Notifications">${icon('M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0')}<span>Be told of new messages while the inbox is in the background?</span>
            <button class="btn primary" @click=${this.#enableNotifications}>Turn on</button>
            <button class="btn ghost" @click=${() => { this.notLater = true; localStorage.setItem(LATER, '1'); }}>Not now</button></div>`
        : nothing}
      <dialog class="profile" aria-label="You and your team" @click=${(e: Event) => e.target === this.profile && this.profile?.close()}>
        <h2>You and your team</h2>
        ${agent
          ? html`<form class="profile-form" @submit=${this.#saveProfile}>
              <label class="field"><span>Your name, as visitors see it on your replies</span><input name="name" required maxlength="100" .value=${meOnTeam?.name ?? agent.name} /></label>
              <label class="field"><span>Your picture (an https address)</span><input name="avatar_url" type="url" pattern="https://.*" placeholder="https://…" .value=${meOnTeam?.avatar_url ?? ''} /></label>
              ${this.profileError ? html`<p role="alert">${this.profileError}</p>` : nothing}
              <div class="row"><button class="btn primary">Save</button></div>
            </form>`
          : html`<p class="muted">This key is the workspace's, not an operator's: it has no profile.</p>`}
        <h3>Team</h3>
        <ul class="team">${this.team.map((o) => html`<li><span class="avatar">${initials(o.name)}${o.avatar_url ? html`<img src=${o.avatar_url} alt="" />` : nothing}</span>
          <span>${o.name}${o.id === agent?.id ? ' (you)' : ''}</span><span class="muted">${o.role}</span><span class="dot ${o.online ? 'on' : ''}" role="img" aria-label=${o.online ? 'online' : 'offline'}></span></li>`)}</ul>
        <div class="row"><button class="btn" @click=${() => this.profile?.close()}>Close</button><span class="grow"></span><button class="btn danger" @click=${() => { this.profile?.close(); this.#logout(); }}>Sign out</button></div>
      </dialog>
      <dialog aria-label="Keyboard shortcuts" @click=${(e: Event) => e.target === this.help && this.help?.close()}>
        <h2>Keyboard shortcuts</h2>
        <dl>${SHORTCUTS.map(([k, what]) => html`<dt>${k.split(' / ').map((x, i) => html`${i ? ' / ' : ''}<kbd>${x}</kbd>`)}</dt><dd>${what}</dd>`)}</dl>
        <button class="btn" @click=${() => this.help?.close()}>Close</button>
      </dialog>
    `;
  }

  #conversations() {
    return html`
      <inbox-list .conversations=${this.conversations} .filter=${this.filter} .selected=${this.selected} ?loading=${this.loading}
        @filter-change=${(e: CustomEvent<ListFilter>) => this.#setFilter(e.detail)} @select=${(e: CustomEvent<string>) => this.#select(e.detail)}></inbox-list>
      ${this.selected
        ? html`<div class="thread-wrap">
            <button class="btn back" @click=${() => this.toggleAttribute('data-open', false)}>← Conversations</button>
            <inbox-thread .client=${this.client!} .me=${this.me} .team=${this.team} .canned=${this.canned} conversation=${this.selected}
              @select=${(e: CustomEvent<string>) => this.#select(e.detail)} @changed=${() => this.#refreshSoon()}></inbox-thread>
          </div>`
        : html`<div class="center"><p>${this.error || (this.conversations.length ? 'Pick a conversation, or press j to open the first one.' : 'When visitors write, their conversations appear here, live.')}</p></div>`}
    `;
  }

  #other() {
    if (this.view === 'canned' || this.view === 'content') {
      return html`<inbox-content .client=${this.client!} view=${this.view} .canned=${this.canned} @canned-change=${(e: CustomEvent<CannedReply[]>) => (this.canned = e.detail)}></inbox-content>`;
    }
    return html`<inbox-desk .client=${this.client!} view=${this.view} @select=${(e: CustomEvent<string>) => this.#select(e.detail)}></inbox-desk>`;
  }

  #signIn() {
    return html`<div class="login">
      <form @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.#login(((e.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement).value.trim());
      }}>
        <span class="brand" aria-hidden="true">${mark}</span>
        <h1>Sign in to the inbox</h1>
        <p>Use your own operator key: your replies carry your name and picture, and your unread counts are yours.</p>
        <label class="field"><span>Operator key</span><input name="key" type="password" autocomplete="current-password" required placeholder="sk_…" /></label>
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
        <button class="btn primary">Sign in</button>
        <p class="muted">An admin creates your key: <code>chat-widget-server operator add</code> or the Operators screen.</p>
      </form>
    </div>`;
  }
}

if (!customElements.get('inbox-app')) customElements.define('inbox-app', InboxApp);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-app': InboxApp;
  }
}
