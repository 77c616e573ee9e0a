import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Assignee, InboxConversation, StatusFilter } from './inbox-client.js';
import { clip, controls, initials, shortUrl, tokens, when } from './styles.js';

/** What the list is narrowed to; sent up as `filter-change`. */
export interface ListFilter {
  assignee: Assignee;
  status: StatusFilter;
  q: string;
}

const ASSIGNEES: [Assignee, string][] = [['me', 'Mine'], ['unassigned', 'Unassigned'], ['all', 'All']];
const STATUSES: [StatusFilter, string][] = [['open', 'Open'], ['pending', 'Pending'], ['closed', 'Closed'], ['all', 'Any status']];

/**
 * The conversation list: filters (mine, unassigned, all; a status), a search over contacts and
 * message text, and one row per conversation (the visitor's name, the last message or the one that
 * matched, the topic and page, who it is assigned to, the unread count).
 *
 * @fires filter-change - `detail` is the new ListFilter.
 * @fires select - `detail` is the chosen conversation's id.
 */
export class InboxList extends LitElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; background: var(--ib-bg); border-inline-end: 1px solid var(--ib-line); }
      .top { padding: 12px; display: grid; gap: 8px; border-block-end: 1px solid var(--ib-line); }
      .row { display: flex; gap: 8px; align-items: center; }
      .row select { width: auto; flex: none; min-height: 30px; padding-block: 2px; }
      .segmented { flex: 1; }
      .segmented button { flex: 1; }
      ul { list-style: none; margin: 0; padding: 0; overflow: auto; flex: 1; }
      li + li { border-block-start: 1px solid var(--ib-line); }
      .item { all: unset; box-sizing: border-box; display: grid; grid-template-columns: auto 1fr auto; gap: 2px 10px; width: 100%; padding: 10px 12px; cursor: pointer; }
      .item:hover { background: var(--ib-bg-hover); }
      .item[aria-current='true'] { background: var(--ib-bg-selected); box-shadow: inset 3px 0 0 var(--ib-accent); }
      .item:focus-visible { box-shadow: inset 0 0 0 2px var(--ib-accent); }
      .item .avatar { grid-row: span 3; width: 34px; height: 34px; }
      .name { font-weight: 600; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .item.unread .name { font-weight: 750; }
      .time { font-size: 12px; color: var(--ib-text-soft); white-space: nowrap; }
      .preview { grid-column: 2; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--ib-text-soft); }
      .item.unread .preview { color: var(--ib-text); }
      .preview mark { background: none; color: inherit; font-weight: 600; }
      .meta { grid-column: 2 / span 2; display: flex; gap: 6px; align-items: center; min-width: 0; font-size: 12px; color: var(--ib-text-soft); }
      .meta > * { white-space: nowrap; }
      .meta .page { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
      .preview svg { vertical-align: -3px; margin-inline-end: 2px; }
      .side { grid-row: 2; grid-column: 3; justify-self: end; }
      .empty { padding: 32px 16px; text-align: center; color: var(--ib-text-soft); }
      .count { font-size: 12px; color: var(--ib-text-soft); padding: 0 12px 6px; }
    `,
  ];

  @property({ attribute: false }) conversations: InboxConversation[] = [];
  @property({ attribute: false }) filter: ListFilter = { assignee: 'all', status: 'open', q: '' };
  @property() selected: string | null = null;
  @property({ type: Boolean }) loading = false;
  #searchTimer?: ReturnType<typeof setTimeout>;

  /** Puts the cursor in the search box (the `/` shortcut). */
  focusSearch(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=search]')?.focus();
  }

  #change(patch: Partial<ListFilter>): void {
    this.dispatchEvent(new CustomEvent('filter-change', { detail: { ...this.filter, ...patch }, bubbles: true, composed: true }));
  }

  #search(event: InputEvent): void {
    const q = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#change({ q }), 250);
  }

  override render() {
    const f = this.filter;
    return html`
      <div class="top">
        <input type="search" aria-label="Search conversations" placeholder="Search names, emails, messages…" .value=${f.q} @input=${this.#search}
          @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && ((e.target as HTMLInputElement).value = '', this.#change({ q: '' }))} />
        <div class="row">
          <div class="segmented" role="group" aria-label="Assigned to">
            ${ASSIGNEES.map(([value, label]) => html`<button type="button" aria-pressed=${String(f.assignee === value)} @click=${() => this.#change({ assignee: value })}>${label}</button>`)}
          </div>
          <select aria-label="Status" @change=${(e: Event) => this.#change({ status: (e.target as HTMLSelectElement).value as StatusFilter })}>
            ${STATUSES.map(([value, label]) => html`<option value=${value} ?selected=${f.status === value}>${label}</option>`)}
          </select>
        </div>
      </div>
      <div class="count" role="status">${this.loading ? 'Loading…' : `${this.conversations.length} conversation${this.conversations.length === 1 ? '' : 's'}${f.q ? ` matching “${f.q}”` : ''}`}</div>
      ${this.conversations.length
        ? html`<ul aria-label="Conversations">${repeat(this.conversations, (c) => c.id, (c) => this.#item(c))}</ul>`
        : html`<p class="empty">${f.q ? 'Nothing matches this search.' : f.assignee === 'me' ? 'Nothing assigned to you here.' : 'No conversations here.'}</p>`}
    `;
  }

  #item(c: InboxConversation) {
    const last = c.last_message;
    const who = last ? (last.internal ? 'Note: ' : last.author === 'agent' && last.author_name ? `${last.author_name.split(' ')[0]}: ` : '') : '';
    const preview = c.match ?? (last ? (last.attachment ? html`${who}${clip}${last.attachment}` : `${who}${last.content}`) : 'No messages yet');
    return html`<li>
      <button class="item ${c.unread_count ? 'unread' : ''}" aria-current=${String(c.id === this.selected)} data-id=${c.id} @click=${() => this.dispatchEvent(new CustomEvent('select', { detail: c.id, bubbles: true, composed: true }))}>
        <span class="avatar" aria-hidden="true">${initials(c.name)}</span>
        <span class="name">${c.name}</span>
        <span class="time">${when(last?.created_at ?? c.updated_at)}</span>
        <span class="preview">${c.match ? html`<mark>Match:</mark> ` : nothing}${preview}</span>
        ${c.unread_count ? html`<span class="side badge" aria-label="${c.unread_count} unread">${c.unread_count}</span>` : nothing}
        <span class="meta">
          <span class="pill ${c.status}">${c.status}</span>
          ${c.topic ? html`<span class="pill">${c.topic}</span>` : nothing}
          ${c.assignee_name ? html`<span title="Assigned to ${c.assignee_name}">→ ${c.assignee_name.split(' ')[0]}</span>` : nothing}
          ${c.contact?.location ? html`<span>${c.contact.location}</span>` : nothing}
          ${c.page_url ? html`<span class="page" title=${c.page_url}>${shortUrl(c.page_url)}</span>` : nothing}
        </span>
      </button>
    </li>`;
  }
}

if (!customElements.get('inbox-list')) customElements.define('inbox-list', InboxList);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-list': InboxList;
  }
}
