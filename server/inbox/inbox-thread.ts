import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Attachment, CannedReply, InboxClient, InboxMessage, Me, Operator } from './inbox-client.js';
import { bytes, clip, controls, initials, shortUrl, tokens, when } from './styles.js';
import { formatted } from '../../elements/shared/formatted.js';

type Detail = Record<string, any>;

/**
 * One conversation as an operator works it: who the visitor is and where they are, its assignee and
 * status, the messages (attachments open, images preview, replies with their operator's name and
 * picture, internal notes apart), who is typing, and the composer (a reply or a note; canned replies
 * with `/` or the picker); beside it the contact, the rating, survey answers, tickets and the
 * contact's other conversations.
 *
 * @fires select - `detail` is the id of another conversation of the contact to open.
 * @fires changed - the conversation's assignee or status changed (the list refreshes).
 */
export class InboxThread extends LitElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host { display: grid; grid-template-columns: minmax(0, 1fr) 300px; min-height: 0; min-width: 0; background: var(--ib-bg); }
      .main { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
      header { display: grid; gap: 8px; padding: 10px 16px; border-block-end: 1px solid var(--ib-line); }
      header .who { min-width: 0; }
      .toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .toolbar .spacer { flex: 1; }
      .toolbar select { max-width: 220px; }
      .details-toggle { display: none; }
      header .who h2 { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      header .who p { margin: 0; font-size: 12px; color: var(--ib-text-soft); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      header select { width: auto; }
      .log { flex: 1; overflow: auto; padding: 16px; display: flex; flex-direction: column; gap: 10px; background: var(--ib-bg-soft); }
      .earlier { align-self: center; }
      .msg { display: flex; gap: 8px; align-items: flex-end; max-width: min(76%, 640px); }
      .msg[data-author='agent'], .msg[data-author='bot'] { align-self: flex-end; flex-direction: row-reverse; }
      .msg[data-author='system'] { align-self: center; max-width: 90%; }
      .msg[data-author='system'] .bubble { background: transparent; color: var(--ib-text-soft); font-size: 13px; text-align: center; padding: 0; }
      .bubble { padding: 8px 12px; border-radius: 14px; background: var(--ib-bg); border: 1px solid var(--ib-line); overflow-wrap: anywhere; min-width: 0; }
      .bubble a { color: inherit; }
      .formatted > * { margin: 0; } .formatted > * + * { margin-block-start: 6px; }
      .formatted ul, .formatted ol { padding-inline-start: 20px; }
      .formatted code { padding: 0 4px; border-radius: 4px; background: color-mix(in srgb, currentColor 12%, transparent); font-family: ui-monospace, monospace; font-size: 0.92em; }
      .formatted pre { overflow-x: auto; padding: 8px; border-radius: 8px; background: color-mix(in srgb, currentColor 10%, transparent); }
      .formatted pre code { background: none; padding: 0; }
      .file svg { flex: none; }
      .ai { display: grid; gap: 4px; margin-block-start: 6px; padding-block-start: 6px; border-block-start: 1px solid color-mix(in srgb, currentColor 25%, transparent); font-size: 12px; }
      .ai .cited { font-weight: 600; }
      .verdict { display: flex; gap: 4px; align-items: center; }
      .verdict .btn { min-height: 26px; padding: 0 8px; color: inherit; border-color: color-mix(in srgb, currentColor 35%, transparent); }
      .verdict .btn[aria-pressed='true'] { background: color-mix(in srgb, currentColor 18%, transparent); font-weight: 700; }
      .msg[data-author='agent'] .bubble, .msg[data-author='bot'] .bubble { background: var(--ib-accent); border-color: var(--ib-accent); color: var(--ib-accent-text); }
      .msg[data-internal] .bubble { background: var(--ib-note-bg); color: var(--ib-text); border: 1px dashed var(--ib-note-line); }
      .by { display: block; font-size: 12px; margin-block-start: 2px; opacity: 0.8; }
      .file { display: inline-flex; gap: 8px; align-items: center; color: inherit; text-decoration: underline; cursor: pointer; background: none; border: 0; padding: 0; text-align: start; }
      .file .size { opacity: 0.75; font-size: 12px; text-decoration: none; }
      .preview-img.placeholder { width: 160px; height: 100px; }
      .preview-img { display: block; max-width: 260px; max-height: 220px; border-radius: 8px; margin-block-end: 4px; background: var(--ib-bg-hover); }
      .typing { margin: 0; padding: 4px 16px; min-height: 26px; color: var(--ib-text-soft); font-size: 13px; background: var(--ib-bg-soft); }
      form.composer { border-block-start: 1px solid var(--ib-line); padding: 10px 12px; display: grid; gap: 8px; position: relative; background: var(--ib-bg); }
      form.composer.note textarea { background: var(--ib-note-bg); border-color: var(--ib-note-line); }
      .composer-bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .composer-bar .spacer { flex: 1; }
      .hint { font-size: 12px; color: var(--ib-text-soft); }
      textarea { min-height: 64px; max-height: 40vh; }
      .picker { position: absolute; inset-inline: 12px; bottom: calc(100% - 4px); background: var(--ib-bg); border: 1px solid var(--ib-line-strong); border-radius: var(--ib-radius); box-shadow: var(--ib-shadow); max-height: 260px; overflow: auto; margin: 0; padding: 4px; list-style: none; }
      .picker li { padding: 6px 10px; border-radius: 6px; cursor: pointer; display: grid; gap: 2px; }
      .picker li[aria-selected='true'] { background: var(--ib-bg-selected); }
      .picker .sc { font-weight: 600; }
      .picker .ct { color: var(--ib-text-soft); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      aside { border-inline-start: 1px solid var(--ib-line); overflow: auto; padding: 16px; display: grid; gap: 18px; align-content: start; background: var(--ib-bg); }
      dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; margin: 6px 0 0; font-size: 13px; }
      dt { color: var(--ib-text-soft); }
      dd { margin: 0; overflow-wrap: anywhere; }
      .stars { color: #e3a008; letter-spacing: 1px; }
      .others { list-style: none; margin: 6px 0 0; padding: 0; display: grid; gap: 4px; }
      .others button { all: unset; box-sizing: border-box; width: 100%; display: grid; gap: 2px; padding: 6px 8px; border-radius: 6px; cursor: pointer; font-size: 13px; }
      .others button:hover { background: var(--ib-bg-hover); }
      .others button:focus-visible { box-shadow: var(--ib-focus); }
      .others .ct { color: var(--ib-text-soft); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      [role='alert'] { margin: 0; color: var(--ib-danger); font-size: 13px; }
      @media (max-width: 1180px) {
        :host { grid-template-columns: minmax(0, 1fr); position: relative; }
        .details-toggle { display: inline-flex; }
        aside { display: none; position: absolute; inset-block: 0; inset-inline-end: 0; width: min(320px, 100%); box-shadow: var(--ib-shadow); z-index: 1; }
        :host([data-details]) aside { display: grid; }
      }
    `,
  ];

  @property({ attribute: false }) client!: InboxClient;
  @property({ attribute: false }) me: Me | null = null;
  @property({ attribute: false }) team: Operator[] = [];
  @property({ attribute: false }) canned: CannedReply[] = [];
  @property() conversation = '';

  @state() private detail: Detail | null = null;
  @state() private messages: InboxMessage[] = [];
  @state() private earlier: string | null = null;
  @state() private note = false;
  @state() private visitorTyping = false;
  @state() private teammateTyping: string | null = null;
  @state() private error = '';
  @state() private picker: CannedReply[] | null = null;
  @state() private pick = 0;
  @state() private images = new Map<string, string>();
  #typingSent = 0;
  #typingTimer?: ReturnType<typeof setTimeout>;
  #teammateTimer?: ReturnType<typeof setTimeout>;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversation') && this.conversation) void this.#load();
  }

  async #load(): Promise<void> {
    const id = this.conversation;
    this.error = '';
    this.visitorTyping = false;
    this.teammateTyping = null;
    try {
      const [detail, page] = await Promise.all([this.client.conversation(id), this.client.messages(id)]);
      if (id !== this.conversation) return;
      this.detail = detail;
      this.messages = page.messages;
      this.earlier = page.earlier;
      await this.#scrollToEnd();
      await this.client.read(id);
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async #loadEarlier(): Promise<void> {
    const log = this.renderRoot.querySelector('.log')!;
    const from = log.scrollHeight - log.scrollTop;
    const page = await this.client.messages(this.conversation, this.earlier);
    this.messages = [...page.messages, ...this.messages];
    this.earlier = page.earlier;
    await this.updateComplete;
    log.scrollTop = log.scrollHeight - from;
  }

  async #scrollToEnd(): Promise<void> {
    await this.updateComplete;
    const log = this.renderRoot.querySelector('.log');
    log?.scrollTo({ top: log.scrollHeight });
  }

  /** An event of the operators' stream that concerns this conversation. */
  async handle(type: string, data: any): Promise<void> {
    if (data.conversation_id !== this.conversation) return;
    if (type === 'typing') {
      this.visitorTyping = data.typing;
      clearTimeout(this.#typingTimer);
      this.#typingTimer = setTimeout(() => (this.visitorTyping = false), 6000);
    } else if (type === 'operator.typing') {
      if (data.agent_id && data.agent_id === this.me?.agent?.id) return;
      this.teammateTyping = data.typing ? (data.name ?? 'A teammate') : null;
      clearTimeout(this.#teammateTimer);
      this.#teammateTimer = setTimeout(() => (this.teammateTyping = null), 6000);
    } else if (type === 'message') {
      const message = data.message as InboxMessage;
      if (message.author === 'visitor') this.visitorTyping = false;
      if (message.author === 'agent' && message.author_id !== this.me?.agent?.id) this.teammateTyping = null;
      this.#add(message);
      if (!document.hidden) void this.client.read(this.conversation).catch(() => {});
    } else if (type === 'message.updated') {
      const updated = data.message as InboxMessage;
      this.messages = this.messages.map((m) => (m.id === updated.id ? updated : m));
    } else if (type === 'conversation.updated' || type === 'chat.updated' || type === 'conversation.created') {
      this.detail = await this.client.conversation(this.conversation);
    }
  }

  #add(message: InboxMessage): void {
    if (this.messages.some((m) => m.id === message.id)) return;
    const log = this.renderRoot.querySelector('.log');
    const atEnd = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    this.messages = [...this.messages, message].sort((a, b) => a.seq - b.seq);
    if (atEnd) void this.#scrollToEnd();
  }

  /** Puts the cursor in the composer (the `r` shortcut). */
  focusComposer(): void {
    this.renderRoot.querySelector('textarea')?.focus();
  }

  async assign(agentId: string | null): Promise<void> {
    await this.#act(() => this.client.assign(this.conversation, agentId));
  }

  async setStatus(status: string): Promise<void> {
    await this.#act(() => this.client.setStatus(this.conversation, status));
  }

  async #act(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      this.detail = await this.client.conversation(this.conversation);
      this.error = '';
      this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  #typed(event: InputEvent): void {
    const area = event.target as HTMLTextAreaElement;
    const m = /^\/([a-z0-9_-]*)$/.exec(area.value);
    this.picker = m ? this.canned.filter((c) => c.shortcut.startsWith(m[1]!)) : null;
    this.pick = 0;
    if (this.note || Date.now() - this.#typingSent < 3000 || !area.value) return;
    this.#typingSent = Date.now();
    void this.client.typing(this.conversation, true).catch(() => {});
  }

  #keydown(event: KeyboardEvent): void {
    if (this.picker?.length) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.pick = (this.pick + (event.key === 'ArrowDown' ? 1 : this.picker.length - 1)) % this.picker.length;
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.#insert(this.picker[this.pick]!);
        return;
      }
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.picker = null;
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form!.requestSubmit();
    }
  }

  #insert(reply: CannedReply): void {
    const area = this.renderRoot.querySelector('textarea')!;
    area.value = reply.content;
    this.picker = null;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }

  async #send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const area = this.renderRoot.querySelector('textarea')!;
    const text = area.value.trim();
    if (!text) return;
    try {
      const message = await this.client.reply(this.conversation, text, this.note);
      area.value = '';
      this.picker = null;
      this.#typingSent = 0;
      this.#add(message);
      this.error = '';
      void this.#scrollToEnd();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Opens a file the visitor sent: fetched with the operator's key, then opened from this page. */
  async #open(file: Attachment): Promise<void> {
    try {
      const url = await this.client.file(file.id);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.target = '_blank';
      a.rel = 'noopener';
      a.click();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  #image(file: Attachment) {
    const url = this.images.get(file.id);
    if (!url) {
      void this.client.file(file.id).then((u) => (this.images = new Map(this.images).set(file.id, u)), () => {});
      return html`<span class="preview-img placeholder" aria-hidden="true"></span>`;
    }
    return html`<img class="preview-img" src=${url} alt=${file.name} />`;
  }

  #author(m: InboxMessage) {
    const op = m.author_id ? this.team.find((o) => o.id === m.author_id) : undefined;
    const name = op?.name ?? m.author_name ?? (m.author === 'visitor' ? (this.detail?.name ?? 'Visitor') : m.author);
    return { name, avatar: op?.avatar_url ?? null };
  }

  override render() {
    if (!this.detail) return html`<div class="main"><p class="typing">${this.error || 'Loading…'}</p></div>`;
    const d = this.detail;
    const mine = this.me?.agent?.id;
    return html`
      <div class="main">
        <header>
          <div class="who">
            <h2>${d.name}</h2>
            <p>${[d.contact?.email && d.contact.email !== d.name ? d.contact.email : '', d.topic, d.contact?.location, shortUrl(d.session?.page_url ?? null)].filter(Boolean).join(' · ') || 'Anonymous visitor'}</p>
          </div>
          <div class="toolbar">
            <select aria-label="Assignee" @change=${(e: Event) => this.assign((e.target as HTMLSelectElement).value || null)}>
              <option value="" ?selected=${!d.assignee_id}>Unassigned</option>
              ${this.team.map((o) => html`<option value=${o.id} ?selected=${d.assignee_id === o.id}>${o.name}${o.id === mine ? ' (me)' : ''}${o.online ? ' · online' : ''}</option>`)}
            </select>
            ${mine && d.assignee_id !== mine ? html`<button class="btn" @click=${() => this.assign(mine)}>Assign to me</button>` : nothing}
            <span class="spacer"></span>
            <button class="btn ghost details-toggle" aria-expanded=${String(this.hasAttribute('data-details'))} @click=${() => this.toggleAttribute('data-details')}>Details</button>
            <select aria-label="Status" @change=${(e: Event) => this.setStatus((e.target as HTMLSelectElement).value)}>
              ${['open', 'pending', 'closed'].map((s) => html`<option value=${s} ?selected=${d.status === s}>${s[0]!.toUpperCase() + s.slice(1)}</option>`)}
            </select>
            ${d.status === 'closed'
              ? html`<button class="btn" @click=${() => this.setStatus('open')}>Reopen</button>`
              : html`<button class="btn primary" @click=${() => this.setStatus('closed')}>Close</button>`}
          </div>
        </header>
        <div class="log" role="log" aria-label="Messages">
          ${this.earlier ? html`<button class="btn earlier" @click=${this.#loadEarlier}>Show earlier messages</button>` : nothing}
          ${repeat(this.messages, (m) => m.id, (m) => this.#message(m))}
        </div>
        <p class="typing" role="status">${this.visitorTyping ? `${d.name} is typing…` : this.teammateTyping ? `${this.teammateTyping} is replying…` : ''}</p>
        <form class="composer ${this.note ? 'note' : ''}" @submit=${this.#send}>
          ${this.picker ? this.#pickerList() : nothing}
          <div class="composer-bar">
            <div class="segmented" role="group" aria-label="Message kind">
              <button type="button" aria-pressed=${String(!this.note)} @click=${() => (this.note = false)}>Reply</button>
              <button type="button" aria-pressed=${String(this.note)} @click=${() => (this.note = true)}>Internal note</button>
            </div>
            <span class="spacer"></span>
            <button type="button" class="btn ghost" aria-haspopup="listbox" @click=${() => { this.picker = this.picker ? null : this.canned; this.pick = 0; }}>Canned replies</button>
          </div>
          <textarea name="content" aria-label=${this.note ? 'Internal note (only your team sees it)' : 'Reply to the visitor'}
            placeholder=${this.note ? 'A note only your team sees…' : 'Reply… (type / for canned replies; Enter sends, Shift+Enter for a new line)'}
            @input=${this.#typed} @keydown=${this.#keydown}></textarea>
          <div class="composer-bar">
            <span class="hint">${this.note ? 'Notes never reach the visitor.' : ''}</span>
            <span class="spacer"></span>
            ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
            <button class="btn primary">${this.note ? 'Add note' : 'Send'}</button>
          </div>
        </form>
      </div>
      ${this.#aside(d)}
    `;
  }

  #pickerList() {
    const list = this.picker!;
    return html`<ul class="picker" role="listbox" aria-label="Canned replies">
      ${list.length
        ? list.map((c, i) => html`<li role="option" aria-selected=${String(i === this.pick)} @mousedown=${(e: Event) => { e.preventDefault(); this.#insert(c); }}>
            <span class="sc">/${c.shortcut}</span><span class="ct">${c.content}</span></li>`)
        : html`<li class="muted">No canned reply${this.canned.length ? ' starts like this' : 's yet: add them under Canned replies'}.</li>`}
    </ul>`;
  }

  #message(m: InboxMessage) {
    const who = this.#author(m);
    const file = m.attachment;
    return html`<div class="msg" data-author=${m.author} ?data-internal=${m.internal} data-id=${m.id}>
      ${m.author === 'system' ? nothing : html`<span class="avatar" aria-hidden="true">${initials(who.name)}${who.avatar ? html`<img src=${who.avatar} alt="" @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)} />` : nothing}</span>`}
      <div class="bubble">
        ${file?.mime.startsWith('image/') ? this.#image(file) : nothing}
        ${file ? html`<button type="button" class="file" @click=${() => this.#open(file)}>${clip}<span>${file.name}</span> <span class="size">${bytes(file.size)}</span></button>` : nothing}
        ${m.content && !(file && m.content === file.name) ? html`<div class="formatted" dir="auto">${formatted(m.content)}</div>` : nothing}
        ${m.data?.ai?.answer_id ? this.#aiAnswer(m) : nothing}
        ${m.author === 'system' ? nothing : html`<span class="by">${m.internal ? 'Note · ' : ''}${who.name} · ${when(m.created_at)}</span>`}
      </div>
    </div>`;
  }

  /** An AI answer: what it answered from (cited first), and the team's verdict, good or wrong. */
  #aiAnswer(m: InboxMessage) {
    const ai = m.data!.ai!;
    const cited = new Set((ai.citations ?? []).map((c) => c.n));
    const sources = [...(ai.sources ?? [])].sort((a, b) => Number(cited.has(b.n)) - Number(cited.has(a.n)) || a.n - b.n);
    const mark = async (verdict: 'good' | 'wrong') => {
      try {
        const r = await this.client.call<{ message: InboxMessage }>('POST', `/conversations/${this.conversation}/messages/${m.id}/verdict`, { verdict: ai.verdict === verdict ? null : verdict });
        this.messages = this.messages.map((x) => (x.id === m.id ? r.message : x));
      } catch (error) {
        this.error = (error as Error).message;
      }
    };
    return html`<div class="ai">
      <span class="ai-sources">${ai.declined ? 'Not in the help center: no answer given.' : sources.length ? html`Sources: ${sources.map((s, i) => html`${i ? ', ' : ''}<span class=${cited.has(s.n) ? 'cited' : ''}>[${s.n}] ${s.title}${s.heading ? ` · ${s.heading}` : ''}</span>`)}` : 'No source'}${ai.ended ? html` · <em>${ai.ended === 'stopped' ? 'stopped by the visitor' : 'the model failed'}</em>` : nothing}</span>
      <span class="verdict" role="group" aria-label="This answer was">
        <button type="button" class="btn ghost" aria-pressed=${String(ai.verdict === 'good')} @click=${() => mark('good')}>Good</button>
        <button type="button" class="btn ghost" aria-pressed=${String(ai.verdict === 'wrong')} @click=${() => mark('wrong')}>Wrong</button>
        ${ai.verdict && ai.verdict_by ? html`<span class="by">marked by ${ai.verdict_by}</span>` : nothing}
      </span>
    </div>`;
  }

  #aside(d: Detail) {
    const c = d.contact ?? {};
    const facts: [string, unknown][] = [
      ['Email', c.email ? `${c.email}${c.email_verified ? ' ✓' : ''}` : null],
      ['Phone', c.phone], ['Company', c.company], ['Location', c.location], ['User id', c.external_id],
      ['Verified', c.verified ? 'Yes (signed by the site)' : null],
      ['Page', d.session?.page_url], ['Language', d.lang],
      ['Segments', d.session?.segments?.length ? d.session.segments.join(', ') : null],
      ...Object.entries(c.custom_data ?? {}).map(([k, v]): [string, unknown] => [k, typeof v === 'object' ? JSON.stringify(v) : v]),
      ...Object.entries(d.fields ?? {}).map(([k, v]): [string, unknown] => [k, typeof v === 'object' ? JSON.stringify(v) : v]),
      ...Object.entries(d.session?.data ?? {}).map(([k, v]): [string, unknown] => [k, typeof v === 'object' ? JSON.stringify(v) : v]),
    ];
    return html`<aside aria-label="About this conversation">
      <section>
        <h3>Contact</h3>
        <dl>${facts.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>
      </section>
      ${d.rating || d.survey?.length || d.scores?.length
        ? html`<section>
            <h3>Feedback</h3>
            <dl>
              ${d.rating ? html`<dt>Rating</dt><dd><span class="stars" aria-label="${d.rating} of 5">${'★'.repeat(d.rating)}${'☆'.repeat(5 - d.rating)}</span>${d.feedback ? html`<br />“${d.feedback}”` : nothing}</dd>` : nothing}
              ${(d.scores ?? []).map((s: { kind: string; score: number; comment: string | null }) => html`<dt>${s.kind.toUpperCase()}</dt><dd>${s.score}${s.comment ? ` · “${s.comment}”` : ''}</dd>`)}
              ${(d.survey ?? []).map((s: { question: string; answer: string }) => html`<dt>${s.question}</dt><dd>${s.answer}</dd>`)}
            </dl>
          </section>`
        : nothing}
      ${d.tickets?.length
        ? html`<section><h3>Tickets</h3><dl>${d.tickets.map((t: { form_key: string; fields: Record<string, unknown>; status: string }) => html`<dt>${t.form_key}</dt><dd>${Object.entries(t.fields).map(([k, v]) => `${k}: ${v}`).join(', ')} (${t.status})</dd>`)}</dl></section>`
        : nothing}
      <section>
        <h3>Other conversations</h3>
        ${d.others?.length
          ? html`<ul class="others">${d.others.map((o: { id: string; status: string; created_at: string; last_message: string | null }) => html`<li>
              <button @click=${() => this.dispatchEvent(new CustomEvent('select', { detail: o.id, bubbles: true, composed: true }))}>
                <span><span class="pill ${o.status}">${o.status}</span> ${when(o.created_at)}</span><span class="ct">${o.last_message ?? 'No messages'}</span>
              </button></li>`)}</ul>`
          : html`<p class="muted">None before this one.</p>`}
      </section>
    </aside>`;
  }
}

if (!customElements.get('inbox-thread')) customElements.define('inbox-thread', InboxThread);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-thread': InboxThread;
  }
}
