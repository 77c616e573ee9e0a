import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CannedReply, InboxClient } from './inbox-client.js';
import { formatted } from '../../elements/shared/formatted.js';
import { controls, tokens, viewStyles } from './styles.js';
import './inbox-ai.js';

export type ContentView = 'canned' | 'content';
type Tab = 'topics' | 'articles' | 'survey' | 'triggers' | 'forms' | 'hours' | 'appearance' | 'ai' | 'operators';
type Item = Record<string, any>;
type Translations = Record<string, string>;

/** A field of an editor's form. `translated` fields edit the language chosen above the form. */
interface Field {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'markdown' | 'checkbox' | 'number' | 'select' | 'translated' | 'translated-area' | 'channels';
  options?: [string, string][];
  required?: boolean;
  hint?: string;
  pattern?: string;
}

/** One kind of content: how it is listed, edited and saved through the operator API. */
interface Kind {
  title: string;
  noun: string;
  intro: string;
  load(client: InboxClient): Promise<Item[]>;
  id(item: Item): string;
  label(item: Item, lang: string): string;
  sub?(item: Item): string;
  depth?(item: Item, items: Item[]): number;
  fields(items: Item[], languages: string[], item: Item | null): Field[];
  body(data: FormData, item: Item | null, lang: string): Item;
  save(client: InboxClient, body: Item, item: Item | null): Promise<unknown>;
  remove(client: InboxClient, item: Item): Promise<unknown>;
}

const t = (names: Translations | undefined, lang: string) => names?.[lang] ?? names?.en ?? Object.values(names ?? {})[0] ?? '';
const withLang = (names: Translations | undefined, lang: string, value: string) => {
  const next = { ...(names ?? {}) };
  if (value.trim()) next[lang] = value.trim();
  else delete next[lang];
  return next;
};
const str = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const orNull = (s: string) => (s ? s : null);
const save = (path: string, id?: (item: Item) => string) => (client: InboxClient, body: Item, item: Item | null) =>
  item ? client.call('PATCH', `${path}/${id ? id(item) : item.id}`, body) : client.call('POST', path, body);
const remove = (path: string, id?: (item: Item) => string) => (client: InboxClient, item: Item) => client.call('DELETE', `${path}/${id ? id(item) : item.id}`);

/** A topic's depth in the tree, by its parents. */
const depthOf = (item: Item, items: Item[]) => {
  let depth = 0;
  for (let p = item.parent_id; p !== null && p !== undefined && depth < 8; depth++) p = items.find((x) => x.id === p)?.parent_id;
  return depth;
};
/** Topics in tree order: each parent followed by its children, by position. */
const treeOrder = (items: Item[]) => {
  const out: Item[] = [];
  const visit = (parent: number | null) => {
    for (const m of items.filter((x) => (x.parent_id ?? null) === parent).sort((a, b) => a.position - b.position || a.id - b.id)) {
      out.push(m);
      visit(m.id);
    }
  };
  visit(null);
  return [...out, ...items.filter((x) => !out.includes(x))];
};

const KINDS: Record<Exclude<Tab, 'hours' | 'appearance' | 'ai' | 'operators'>, Kind> = {
  topics: {
    title: 'Topics',
    noun: 'topic',
    intro: 'What visitors choose before a chat, as a tree: a topic with sub-topics opens them; each offers chat, a callback or email.',
    load: (c) => c.call<{ menus: Item[] }>('GET', '/menus').then((r) => treeOrder(r.menus)),
    id: (m) => String(m.id),
    label: (m, lang) => t(m.names, lang),
    sub: (m) => `${m.channels.map((ch: string) => ({ chat: 'Chat', voice_call: 'Callback', email: 'Email' })[ch] ?? ch).join(', ')}${m.enabled ? '' : ' · hidden'}${m.key ? ` · key ${m.key}` : ''}`,
    depth: depthOf,
    fields: (items, _l, item) => [
      { name: 'names', label: 'Name', type: 'translated', required: true },
      { name: 'parent_id', label: 'Inside', type: 'select', options: [['', 'Top level'], ...items.filter((m) => m.id !== item?.id).map((m): [string, string] => [String(m.id), `${'— '.repeat(depthOf(m, items))}${t(m.names, 'en')}`])] },
      { name: 'channels', label: 'Ways to reach you', type: 'channels' },
      { name: 'key', label: 'Direct key (optional)', type: 'text', pattern: '[A-Za-z0-9_\\-]{1,100}', hint: 'Opens this topic without the picker: showTopic("key").' },
      { name: 'position', label: 'Position', type: 'number' },
      { name: 'enabled', label: 'Shown to visitors', type: 'checkbox' },
    ],
    body: (d, item, lang) => ({
      names: withLang(item?.names, lang, str(d, 'names')),
      parent_id: str(d, 'parent_id') ? Number(str(d, 'parent_id')) : null,
      channels: d.getAll('channels').map(String),
      key: orNull(str(d, 'key')),
      position: Number(str(d, 'position') || 0),
      enabled: d.has('enabled'),
    }),
    save: save('/menus'),
    remove: remove('/menus'),
  },
  articles: {
    title: 'Help articles',
    noun: 'article',
    intro: 'The help center visitors search in the messenger. Write in light Markdown: **bold**, *italic*, `code`, lists, links.',
    load: (c) => c.call<{ articles: Item[] }>('GET', '/articles').then((r) => r.articles),
    id: (a) => String(a.id),
    label: (a) => a.title,
    sub: (a) => `${a.locale} · /${a.slug} · helpful ${a.helpful ?? 0}, not ${a.not_helpful ?? 0}`,
    fields: (_i, languages) => [
      { name: 'title', label: 'Title', type: 'text', required: true },
      { name: 'slug', label: 'Address (slug)', type: 'text', required: true, pattern: '[a-z0-9][a-z0-9\\-]{0,99}', hint: 'Lower case letters, digits and dashes.' },
      { name: 'locale', label: 'Language', type: 'select', options: languages.map((l): [string, string] => [l, l]) },
      { name: 'body', label: 'Article', type: 'markdown', required: true },
    ],
    body: (d) => ({ title: str(d, 'title'), slug: str(d, 'slug'), locale: str(d, 'locale'), body: String(d.get('body') ?? '') }),
    save: save('/articles'),
    remove: remove('/articles'),
  },
  survey: {
    title: 'Survey questions',
    noun: 'question',
    intro: 'Asked after a chat. A rating has a range (1-5), a choice its answers, separated by commas.',
    load: (c) => c.call<{ questions: Item[] }>('GET', '/survey-questions').then((r) => r.questions.filter((q) => !q.retired)),
    id: (q) => String(q.id),
    label: (q, lang) => t(q.display_text, lang),
    sub: (q) => `${q.type}${q.valid_answers ? ` · ${q.type === 'rating' ? q.valid_answers.join('–') : q.valid_answers.join(', ')}` : ''}`,
    fields: () => [
      { name: 'display_text', label: 'Question', type: 'translated', required: true },
      { name: 'type', label: 'Answer', type: 'select', options: [['rating', 'A rating'], ['choice', 'One of several choices'], ['text', 'Free text']] },
      { name: 'valid_answers', label: 'Range or choices', type: 'text', hint: 'A rating: 1-5. A choice: Yes, No, Maybe. Free text: leave empty.' },
      { name: 'position', label: 'Position', type: 'number' },
    ],
    body: (d, item, lang) => {
      const type = str(d, 'type');
      const raw = str(d, 'valid_answers');
      const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(raw);
      return {
        display_text: withLang(item?.display_text, lang, str(d, 'display_text')),
        type,
        valid_answers: type === 'rating' ? (range ? [Number(range[1]), Number(range[2])] : null) : type === 'choice' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : null,
        position: Number(str(d, 'position') || 0),
      };
    },
    save: save('/survey-questions'),
    remove: remove('/survey-questions'),
  },
  triggers: {
    title: 'Triggers',
    noun: 'trigger',
    intro: 'A message the messenger shows by itself on pages that match, after some seconds or visits.',
    load: (c) => c.call<{ triggers: Item[] }>('GET', '/triggers').then((r) => r.triggers),
    id: (x) => String(x.id),
    label: (x) => x.name,
    sub: (x) => `${x.url_pattern} · after ${x.min_seconds_on_page} s${x.min_visits > 1 ? ` · ${x.min_visits} visits` : ''}${x.enabled ? '' : ' · off'}`,
    fields: () => [
      { name: 'name', label: 'Name (for your team)', type: 'text', required: true },
      { name: 'url_pattern', label: 'Pages', type: 'text', required: true, hint: 'A pattern of the address, * for any part: /pricing*' },
      { name: 'min_seconds_on_page', label: 'Seconds on the page', type: 'number' },
      { name: 'min_visits', label: 'Visits at least', type: 'number' },
      { name: 'message', label: 'Message', type: 'translated-area', required: true },
      { name: 'enabled', label: 'On', type: 'checkbox' },
    ],
    body: (d, item, lang) => ({
      name: str(d, 'name'),
      url_pattern: str(d, 'url_pattern') || '*',
      min_seconds_on_page: Number(str(d, 'min_seconds_on_page') || 0),
      min_visits: Math.max(1, Number(str(d, 'min_visits') || 1)),
      message: withLang(item?.message, lang, str(d, 'message')),
      enabled: d.has('enabled'),
    }),
    save: save('/triggers'),
    remove: remove('/triggers'),
  },
  forms: {
    title: 'Ticket forms',
    noun: 'form',
    intro: 'Forms visitors fill in from the messenger: one field per line as  name | Label | type | required | options.',
    load: (c) => c.call<{ forms: Item[] }>('GET', '/ticket-forms').then((r) => r.forms),
    id: (f) => f.key,
    label: (f, lang) => t(f.title, lang),
    sub: (f) => `${f.key} · ${f.fields.length} field${f.fields.length === 1 ? '' : 's'}`,
    fields: (_i, _l, item) => [
      { name: 'title', label: 'Title', type: 'translated', required: true },
      ...(item ? [] : [{ name: 'key', label: 'Key', type: 'text' as const, required: true, pattern: '[A-Za-z0-9_\\-]{1,100}', hint: 'showTicketForm("key") opens it.' }]),
      { name: 'fields', label: 'Fields', type: 'textarea', required: true, hint: 'Types: text, textarea, email, number, select, checkbox. E.g. order | Order number | text | required' },
    ],
    body: (d, item, lang) => ({
      key: item?.key ?? str(d, 'key'),
      title: withLang(item?.title, lang, str(d, 'title')),
      fields: str(d, 'fields')
        .split('\n')
        .map((line) => line.split('|').map((s) => s.trim()))
        .filter((p) => p[0])
        .map(([name, label, type, required, options]) => {
          const old = (item?.fields as Item[] | undefined)?.find((f) => f.name === name);
          return {
            name: name!,
            label: withLang(old?.label, lang, label || name!),
            type: type || 'text',
            required: required === 'required',
            ...(options ? { options: options.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
          };
        }),
    }),
    save: (client, body) => client.call('POST', '/ticket-forms', body),
    remove: remove('/ticket-forms', (f) => f.key),
  },
};

/** A form's fields as the editor's lines. */
const formLines = (fields: Item[], lang: string) =>
  fields.map((f) => [f.name, t(f.label, lang), f.type, f.required ? 'required' : '', (f.options ?? []).join(', ')].join(' | ').replace(/( \| )+$/, '')).join('\n');

const DAYS: [string, string][] = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];
const TABS: [Tab, string][] = [
  ['topics', 'Topics'], ['articles', 'Help articles'], ['survey', 'Survey'], ['triggers', 'Triggers'], ['forms', 'Ticket forms'],
  ['hours', 'Business hours'], ['appearance', 'Appearance'], ['ai', 'AI assistant'], ['operators', 'Operators'],
];

/**
 * The screens for what the messenger shows and how the team works, without the API: canned replies;
 * topics (a tree), help articles (Markdown with a preview), survey questions, triggers, ticket forms,
 * business hours, the widget's appearance, the AI assistant (inbox-ai.ts) and the operators (admins).
 *
 * @fires canned-change - `detail` is the workspace's canned replies after a change.
 */
export class InboxContent extends LitElement {
  static override styles = [
    tokens,
    controls,
    viewStyles,
    css`
      header { padding: 16px 24px 0; display: grid; gap: 12px; }
      .tabs { display: flex; gap: 4px; flex-wrap: wrap; border-block-end: 1px solid var(--ib-line); }
      .tabs button { border: 0; background: none; padding: 8px 12px; cursor: pointer; color: var(--ib-text-soft); font-weight: 500; border-block-end: 2px solid transparent; margin-block-end: -1px; }
      .tabs button[aria-selected='true'] { color: var(--ib-accent); border-block-end-color: var(--ib-accent); }
      .intro { margin: 0; color: var(--ib-text-soft); max-width: 80ch; }
      .layout { display: grid; grid-template-columns: minmax(240px, 340px) minmax(0, 1fr); gap: 16px; padding: 16px 24px 24px; align-items: start; }
      .layout.single { grid-template-columns: minmax(0, 760px); }
      .panel { background: var(--ib-bg); border: 1px solid var(--ib-line); border-radius: 12px; }
      .items { list-style: none; margin: 0; padding: 6px; display: grid; gap: 2px; }
      .items button { all: unset; box-sizing: border-box; width: 100%; display: grid; gap: 2px; padding: 8px 10px; border-radius: 8px; cursor: pointer; }
      .items button:hover { background: var(--ib-bg-hover); }
      .items button[aria-current='true'] { background: var(--ib-bg-selected); }
      .items button:focus-visible { box-shadow: var(--ib-focus); }
      .items .label { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .items .sub { font-size: 12px; color: var(--ib-text-soft); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .items .d1 { padding-inline-start: 26px; } .items .d2 { padding-inline-start: 42px; } .items .d3 { padding-inline-start: 58px; }
      .list-head { display: flex; justify-content: space-between; align-items: center; padding: 10px 12px; border-block-end: 1px solid var(--ib-line); gap: 8px; }
      form.editor { padding: 16px; display: grid; gap: 14px; }
      form.editor h3 { text-transform: none; letter-spacing: 0; font-size: 16px; color: var(--ib-text); }
      .hint { font-size: 12px; color: var(--ib-text-soft); font-weight: 400; }
      .check { display: flex; gap: 8px; align-items: center; font-weight: 500; }
      .checks { display: flex; gap: 16px; flex-wrap: wrap; }
      .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .actions .spacer { flex: 1; }
      .md { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
      .md textarea { min-height: 280px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
      .md .preview { border: 1px solid var(--ib-line); border-radius: var(--ib-radius); padding: 10px 14px; overflow: auto; max-height: 420px; background: var(--ib-bg-soft); }
      .formatted > * { margin: 0; } .formatted > * + * { margin-block-start: 8px; }
      .formatted ul, .formatted ol { padding-inline-start: 20px; }
      .formatted code { background: var(--ib-bg-hover); padding: 0 4px; border-radius: 4px; }
      .formatted pre { background: var(--ib-bg-hover); padding: 8px; border-radius: 8px; overflow: auto; }
      .formatted a { color: var(--ib-accent); }
      textarea.lines { min-height: 140px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
      [role='alert'] { color: var(--ib-danger); margin: 0; }
      [role='status'] { color: var(--ib-ok); margin: 0; }
      .days { display: grid; grid-template-columns: repeat(4, max-content); gap: 8px 12px; align-items: center; }
      .days input[type='time'] { width: auto; }
      .key { font-family: ui-monospace, monospace; background: var(--ib-bg-hover); padding: 8px 10px; border-radius: 8px; overflow-wrap: anywhere; user-select: all; }
      .preview-frame { margin: 12px; border: 1px solid var(--ib-line); border-radius: 12px; background: repeating-linear-gradient(45deg, var(--ib-bg-soft) 0 12px, var(--ib-bg) 12px 24px); height: 680px; position: relative; overflow: hidden; transform: translateZ(0); }
      .canned-row { display: grid; grid-template-columns: 140px 1fr auto; gap: 8px; align-items: start; padding: 10px 12px; border-block-start: 1px solid var(--ib-line); }
      .canned-row:first-of-type { border-block-start: 0; }
      .canned-row .sc { font-weight: 600; font-family: ui-monospace, monospace; }
      .canned-row p { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
      .pad { padding: 14px 16px; }
      .colour { flex-wrap: nowrap; }
      .colour input[name='brand_color'] { flex: 1; }
      .pad-x { padding: 0 10px 8px; }
      @media (max-width: 900px) { .layout, .md { grid-template-columns: minmax(0, 1fr); } }
    `,
  ];

  @property({ attribute: false }) client!: InboxClient;
  @property() view: ContentView = 'canned';
  @property({ attribute: false }) canned: CannedReply[] = [];

  @state() private tab: Tab = 'topics';
  @state() private items: Item[] = [];
  @state() private editing: Item | null = null;
  @state() private creating = false;
  @state() private language = 'en';
  @state() private languages: string[] = ['en'];
  @state() private settings: Item | null = null;
  @state() private error = '';
  @state() private saved = '';
  @state() private draft = '';
  @state() private newKey: { name: string; key: string } | null = null;
  @state() private cannedEditing: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view') && this.view === 'content') void this.#open(this.tab);
  }

  async #open(tab: Tab): Promise<void> {
    this.tab = tab;
    this.editing = null;
    this.creating = false;
    this.error = '';
    this.saved = '';
    this.newKey = null;
    try {
      this.settings = await this.client.call<Item>('GET', '/settings');
      this.languages = this.settings.languages?.length ? this.settings.languages : ['en'];
      if (!this.languages.includes(this.language)) this.language = this.languages[0]!;
      if (tab in KINDS) this.items = await KINDS[tab as keyof typeof KINDS].load(this.client);
      else if (tab === 'operators') this.items = (await this.client.call<{ operators: Item[] }>('GET', '/operators')).operators;
      else this.items = [];
      if (tab === 'appearance') {
        // The preview shows what the form holds when it comes (an operator may have typed already).
        await this.updateComplete;
        const form = this.renderRoot.querySelector<HTMLFormElement>('form.appearance');
        if (form) void this.#preview(this.#readAppearance(form));
      }
    } catch (error) {
      this.items = [];
      this.error = (error as { status?: number }).status === 403 ? 'Only an admin of the workspace can see this.' : (error as Error).message;
    }
  }

  async #run(what: string, action: () => Promise<unknown>, reload = true): Promise<void> {
    this.error = '';
    this.saved = '';
    try {
      await action();
      this.saved = what;
      if (reload) {
        const editing = this.editing;
        const tab = this.tab;
        await this.#open(tab);
        this.saved = what;
        if (editing && tab in KINDS) this.editing = this.items.find((i) => KINDS[tab as keyof typeof KINDS].id(i) === KINDS[tab as keyof typeof KINDS].id(editing)) ?? null;
      }
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  override render() {
    if (this.view === 'canned') return this.#cannedView();
    return html`<header>
        <h2>Content and settings</h2>
        <div class="tabs" role="tablist" aria-label="Content">
          ${TABS.map(([tab, label]) => html`<button role="tab" aria-selected=${String(this.tab === tab)} @click=${() => this.#open(tab)}>${label}</button>`)}
        </div>
      </header>
      ${this.tab in KINDS
        ? this.#collection(KINDS[this.tab as keyof typeof KINDS])
        : this.tab === 'hours' ? this.#hours() : this.tab === 'appearance' ? this.#appearance() : this.tab === 'ai' ? html`<inbox-ai .client=${this.client}></inbox-ai>` : this.#operators()}`;
  }

  #messages() {
    return html`${this.error ? html`<p role="alert">${this.error}</p>` : nothing}${this.saved && !this.error ? html`<p role="status">${this.saved}</p>` : nothing}`;
  }

  #langPicker() {
    if (this.languages.length < 2) return nothing;
    return html`<label class="field"><span>Language of the texts</span>
      <select @change=${(e: Event) => (this.language = (e.target as HTMLSelectElement).value)}>${this.languages.map((l) => html`<option ?selected=${l === this.language}>${l}</option>`)}</select></label>`;
  }

  #collection(kind: Kind) {
    const current = this.editing;
    const open = current || this.creating;
    return html`<div class="layout">
      <section class="panel" aria-label=${kind.title}>
        <div class="list-head"><strong>${kind.title}</strong>
          <button class="btn primary" @click=${() => { this.editing = null; this.creating = true; this.draft = ''; this.saved = ''; }}>New ${kind.noun}</button></div>
        ${this.items.length
          ? html`<ul class="items">${this.items.map((item) => html`<li><button class="d${kind.depth?.(item, this.items) ?? 0}" aria-current=${String(current === item)}
              @click=${() => { this.editing = item; this.creating = false; this.draft = item.body ?? ''; this.saved = ''; }}>
              <span class="label">${kind.label(item, this.language) || '(untitled)'}</span>${kind.sub ? html`<span class="sub">${kind.sub(item)}</span>` : nothing}</button></li>`)}</ul>`
          : html`<p class="intro pad">Nothing yet.</p>`}
      </section>
      <section class="panel">
        ${open
          ? this.#editor(kind, current)
          : html`<div class="editor"><form class="editor"><p class="intro">${kind.intro}</p><p class="intro">Pick one to change it, or add a new ${kind.noun}.</p>${this.#messages()}</form></div>`}
      </section>
    </div>`;
  }

  #editor(kind: Kind, item: Item | null) {
    const fields = kind.fields(this.items, this.languages, item);
    const submit = (e: SubmitEvent) => {
      e.preventDefault();
      const body = kind.body(new FormData(e.target as HTMLFormElement), item, this.language);
      void this.#run(item ? 'Saved.' : `The ${kind.noun} is added.`, () => kind.save(this.client, body, item)).then(() => {
        if (!item && !this.error) this.creating = false;
      });
    };
    return html`<form class="editor" @submit=${submit}>
      <h3>${item ? `Edit the ${kind.noun}` : `New ${kind.noun}`}</h3>
      <p class="intro">${kind.intro}</p>
      ${fields.some((f) => f.type.startsWith('translated')) ? this.#langPicker() : nothing}
      ${fields.map((f) => this.#field(f, item, kind))}
      ${this.#messages()}
      <div class="actions">
        <button class="btn primary">${item ? 'Save' : `Add the ${kind.noun}`}</button>
        <button type="button" class="btn ghost" @click=${() => { this.editing = null; this.creating = false; }}>Cancel</button>
        <span class="spacer"></span>
        ${item ? html`<button type="button" class="btn danger" @click=${() => confirm(`Delete “${kind.label(item, this.language)}”?`) && this.#run('Deleted.', () => kind.remove(this.client, item)).then(() => (this.editing = null))}>Delete</button>` : nothing}
      </div>
    </form>`;
  }

  #field(f: Field, item: Item | null, kind: Kind): TemplateResult {
    const value = item ? item[f.name] : undefined;
    const hint = f.hint ? html`<span class="hint">${f.hint}</span>` : nothing;
    switch (f.type) {
      case 'checkbox':
        return html`<label class="check"><input type="checkbox" name=${f.name} ?checked=${item ? !!value : true} /> ${f.label}</label>`;
      case 'channels': {
        const chosen: string[] = value ?? ['chat'];
        return html`<fieldset class="field"><legend>${f.label}</legend><div class="checks">
          ${[['chat', 'Chat'], ['voice_call', 'Call me back'], ['email', 'Email']].map(([v, l]) => html`<label class="check"><input type="checkbox" name="channels" value=${v!} ?checked=${chosen.includes(v!)} /> ${l}</label>`)}
        </div></fieldset>`;
      }
      case 'select':
        return html`<label class="field"><span>${f.label}</span><select name=${f.name}>
          ${f.options!.map(([v, l]) => html`<option value=${v} ?selected=${String(value ?? (f.name === 'locale' ? this.language : '')) === v}>${l}</option>`)}</select>${hint}</label>`;
      case 'number':
        return html`<label class="field"><span>${f.label}</span><input type="number" name=${f.name} .value=${String(value ?? (f.name === 'min_visits' ? 1 : 0))} min="0" />${hint}</label>`;
      case 'translated':
        return html`<label class="field"><span>${f.label}${this.languages.length > 1 ? ` (${this.language})` : ''}</span><input name=${f.name} .value=${t(value, this.language)} ?required=${f.required && this.language === this.languages[0]} />${hint}</label>`;
      case 'translated-area':
        return html`<label class="field"><span>${f.label}${this.languages.length > 1 ? ` (${this.language})` : ''}</span><textarea name=${f.name} .value=${t(value, this.language)} ?required=${f.required && this.language === this.languages[0]}></textarea>${hint}</label>`;
      case 'markdown':
        return html`<div class="field"><span>${f.label}</span><div class="md">
          <textarea name=${f.name} aria-label=${f.label} .value=${item?.body ?? this.draft} required @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}></textarea>
          <div class="preview formatted" aria-label="Preview" role="region">${formatted(this.draft)}</div>
        </div></div>`;
      case 'textarea':
        return html`<label class="field"><span>${f.label}</span><textarea class="lines" name=${f.name} .value=${kind === KINDS.forms && item ? formLines(item.fields, this.language) : String(value ?? '')} ?required=${f.required}></textarea>${hint}</label>`;
      default: {
        const shown = f.name === 'valid_answers' && Array.isArray(value) ? (item!.type === 'rating' ? value.join('-') : value.join(', ')) : (value ?? '');
        return html`<label class="field"><span>${f.label}</span><input name=${f.name} .value=${String(shown)} ?required=${f.required} pattern=${f.pattern ?? '.*'} />${hint}</label>`;
      }
    }
  }

  #hours() {
    const s = this.settings;
    if (!s) return html`<div class="layout single">${this.#messages()}</div>`;
    const hours = (s.business_hours ?? {}) as Record<string, [string, string][]>;
    const always = Object.keys(hours).length === 0;
    const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    const submit = (e: SubmitEvent) => {
      e.preventDefault();
      const d = new FormData(e.target as HTMLFormElement);
      const business_hours: Record<string, [string, string][]> = {};
      if (!d.has('always')) for (const [day] of DAYS) if (d.has(`${day}-open`)) business_hours[day] = [[str(d, `${day}-from`) || '09:00', str(d, `${day}-to`) || '17:00']];
      const body = { time_zone: str(d, 'time_zone'), business_hours, after_hours_message: withLang(s.after_hours_message, this.language, str(d, 'after_hours_message')) };
      void this.#run('Business hours saved.', () => this.client.call('PUT', '/settings', body));
    };
    return html`<div class="layout single"><form class="panel editor" @submit=${submit}>
      <h3>Business hours</h3>
      <p class="intro">Outside these hours the messenger says you are away and shows the message below; visitors can still write.</p>
      <label class="field"><span>Time zone</span><input name="time_zone" list="zones" .value=${s.time_zone} required /><datalist id="zones">${zones.map((z) => html`<option value=${z}></option>`)}</datalist></label>
      <label class="check"><input type="checkbox" name="always" ?checked=${always} @change=${() => this.requestUpdate()} /> Always open</label>
      <div class="days" role="group" aria-label="Opening hours">
        ${DAYS.map(([day, name]) => {
          const range = hours[day]?.[0];
          return html`<label class="check"><input type="checkbox" name="${day}-open" ?checked=${always ? day !== 'sat' && day !== 'sun' : !!range} /> ${name}</label>
            <input type="time" name="${day}-from" aria-label="${name} from" .value=${range?.[0] ?? '09:00'} />
            <span class="muted">to</span>
            <input type="time" name="${day}-to" aria-label="${name} to" .value=${range?.[1] ?? '17:00'} />`;
        })}
      </div>
      ${this.#langPicker()}
      <label class="field"><span>Message outside hours${this.languages.length > 1 ? ` (${this.language})` : ''}</span><textarea name="after_hours_message" .value=${t(s.after_hours_message, this.language)}></textarea></label>
      ${this.#messages()}
      <div class="actions"><button class="btn primary">Save</button></div>
    </form></div>`;
  }

  #appearance() {
    const s = this.settings;
    if (!s) return html`<div class="layout single">${this.#messages()}</div>`;
    const a = (s.appearance ?? {}) as { brand_color?: string | null; position?: string | null; greeting?: Translations };
    const read = (form: HTMLFormElement) => this.#readAppearance(form);
    const submit = (e: SubmitEvent) => {
      e.preventDefault();
      const appearance = read(e.target as HTMLFormElement);
      void this.#run('Appearance saved: visitors see it from their next page.', () => this.client.call('PUT', '/settings', { appearance }));
    };
    const changed = (e: Event) => {
      const form = (e.target as HTMLElement).closest('form')!;
      const colour = form.querySelector<HTMLInputElement>('input[name="brand_color"]')!;
      const picker = form.querySelector<HTMLInputElement>('input[type="color"]')!;
      if (e.target === picker) colour.value = picker.value;
      else if (/^#[0-9a-fA-F]{6}$/.test(colour.value)) picker.value = colour.value;
      void this.#preview(read(form));
    };
    return html`<div class="layout">
      <form class="panel editor appearance" @submit=${submit} @input=${changed} @change=${changed}>
        <h3>The widget's appearance</h3>
        <p class="intro">How the messenger looks on your site. A site's own attributes (brand-color, position) and configure() win over these.</p>
        <div class="field"><span>Brand colour</span>
          <div class="actions colour"><input type="color" aria-label="Pick the brand colour" .value=${a.brand_color ?? '#2563eb'} />
            <input name="brand_color" aria-label="Brand colour (#rrggbb)" pattern="#[0-9a-fA-F]{6}" placeholder="#2563eb" .value=${a.brand_color ?? ''} /></div>
          <span class="hint">Empty: the widget's default blue. The text on it turns dark or light by itself.</span></div>
        <fieldset class="field"><legend>Side of the page</legend><div class="checks">
          ${[['', 'As the site says (right)'], ['right', 'Right'], ['left', 'Left']].map(([v, l]) => html`<label class="check"><input type="radio" name="position" value=${v!} ?checked=${(a.position ?? '') === v} /> ${l}</label>`)}
        </div></fieldset>
        ${this.#langPicker()}
        <label class="field"><span>Greeting${this.languages.length > 1 ? ` (${this.language})` : ''}</span>
          <textarea name="greeting" maxlength="500" placeholder="Ask us anything. We are here to help." .value=${t(a.greeting, this.language)}></textarea>
          <span class="hint">Shown on the messenger's home and before the first message.</span></label>
        ${this.#messages()}
        <div class="actions"><button class="btn primary">Save</button></div>
      </form>
      <section class="panel" aria-label="Preview">
        <div class="list-head"><strong>Preview</strong><span class="hint">The widget itself, as visitors see it</span></div>
        <div class="preview-frame"></div>
      </section>
    </div>`;
  }

  /** The appearance as the form holds it now. */
  #readAppearance(form: HTMLFormElement) {
    const d = new FormData(form);
    const saved = ((this.settings?.appearance ?? {}) as { greeting?: Translations }).greeting;
    return { brand_color: str(d, 'brand_color') || null, position: (str(d, 'position') || null) as 'right' | 'left' | null, greeting: withLang(saved, this.language, str(d, 'greeting')) };
  }

  #previewWidget: Promise<HTMLElement & { configure(o: object): void }> | null = null;

  /** The real widget (the site's module, /dist/chat-widget.js, with no key: it works locally), shown with these settings. */
  async #preview(a: { brand_color: string | null; position: string | null; greeting: Translations }): Promise<void> {
    const frame = this.renderRoot.querySelector('.preview-frame');
    if (!frame) return;
    // One widget per frame, made once even when several changes come while it loads.
    if (!this.#previewWidget || !frame.contains(await this.#previewWidget)) this.#previewWidget = this.#makePreview(frame);
    const widget = await this.#previewWidget;
    try {
      widget.configure({ brandColor: a.brand_color ?? '', position: a.position ?? 'right', greeting: t(a.greeting, this.language) });
    } catch {
      /* a colour being typed: the preview keeps the last good one */
    }
  }

  async #makePreview(frame: Element): Promise<HTMLElement & { configure(o: object): void }> {
    const module = new URL('/dist/chat-widget.js', location.href).href;
    await import(/* a URL of the server, not part of this bundle */ module).catch(() => {});
    await customElements.whenDefined('chat-widget');
    const widget = document.createElement('chat-widget') as unknown as HTMLElement & { configure(o: object): void; updateComplete: Promise<unknown> };
    widget.setAttribute('open', '');
    widget.style.setProperty('--chat-panel-height', '540px');
    frame.replaceChildren(widget);
    await widget.updateComplete;
    return widget;
  }

  #operators() {
    const add = (e: SubmitEvent) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const d = new FormData(form);
      const body = { name: str(d, 'name'), email: orNull(str(d, 'email')), role: str(d, 'role') };
      void this.#run(`${body.name} is added.`, async () => {
        const added = await this.client.call<{ operator: Item; key: string }>('POST', '/operators', body);
        form.reset();
        this.newKey = { name: added.operator.name, key: added.key };
      }, false).then(() => this.client.call<{ operators: Item[] }>('GET', '/operators').then((r) => (this.items = r.operators), () => {}));
    };
    return html`<div class="layout">
      <section class="panel" aria-label="Operators">
        <div class="list-head"><strong>Operators</strong></div>
        <ul class="items">${this.items.map((o) => html`<li><button aria-current="false" @click=${() => {}}>
          <span class="label">${o.name}</span><span class="sub">${o.role}${o.email ? ` · ${o.email}` : ''}</span></button>
          <div class="actions pad-x">
            <button class="btn" @click=${() => confirm(`A new key for ${o.name}? Their current key stops working at once.`) && this.#run('', async () => {
              const r = await this.client.call<{ key: string }>('POST', `/operators/${o.id}/key`);
              this.newKey = { name: o.name, key: r.key };
            }, false)}>New key</button>
            <button class="btn danger" @click=${() => confirm(`Remove ${o.name}? Their messages stay; their key stops working.`) && this.#run(`${o.name} is removed.`, () => this.client.call('DELETE', `/operators/${o.id}`))}>Remove</button>
          </div></li>`)}</ul>
      </section>
      <form class="panel editor" @submit=${add}>
        <h3>Add an operator</h3>
        <p class="intro">Each operator signs in with a key of their own: give it to them privately; it is shown once.</p>
        <label class="field"><span>Name</span><input name="name" required maxlength="200" /></label>
        <label class="field"><span>Email (optional)</span><input name="email" type="email" /></label>
        <label class="field"><span>Role</span><select name="role"><option value="agent">Agent: answers conversations</option><option value="admin">Admin: also manages the workspace and its operators</option></select></label>
        ${this.newKey ? html`<div class="field"><span>${this.newKey.name}'s key (copy it now: it is not shown again)</span><output class="key">${this.newKey.key}</output></div>` : nothing}
        ${this.#messages()}
        <div class="actions"><button class="btn primary">Add the operator</button></div>
      </form>
    </div>`;
  }

  #cannedView() {
    const save = (e: SubmitEvent, reply: CannedReply | null) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const d = new FormData(form);
      const body = { shortcut: str(d, 'shortcut').replace(/^\//, '').toLowerCase(), content: str(d, 'content') };
      void this.#run(reply ? 'Saved.' : `/${body.shortcut} is added.`, async () => {
        if (reply) await this.client.call('PATCH', `/canned-replies/${reply.id}`, body);
        else await this.client.call('POST', '/canned-replies', body);
        if (!reply) form.reset();
        this.cannedEditing = null;
        this.#cannedChanged(await this.client.canned());
      }, false);
    };
    const fields = (reply: CannedReply | null) => html`
      <label class="field"><span>Shortcut</span><input name="shortcut" required pattern="/?[a-z0-9][a-z0-9_\\-]{0,39}" placeholder="refund" .value=${reply?.shortcut ?? ''} /></label>
      <label class="field"><span>Reply</span><textarea name="content" required maxlength="5000" .value=${reply?.content ?? ''}></textarea></label>`;
    return html`<header><h2>Canned replies</h2><p class="intro">Saved answers the whole team shares. In a reply, type <strong>/</strong> and the shortcut, or pick one from the list.</p></header>
      <div class="layout">
        <form class="panel editor" @submit=${(e: SubmitEvent) => save(e, null)}>
          <h3>New canned reply</h3>
          ${fields(null)}
          ${this.cannedEditing ? nothing : this.#messages()}
          <div class="actions"><button class="btn primary">Add</button></div>
        </form>
        <section class="panel" aria-label="Canned replies">
          ${this.canned.length
            ? this.canned.map((c) => this.cannedEditing === c.id
                ? html`<form class="editor" @submit=${(e: SubmitEvent) => save(e, c)}>${fields(c)}${this.#messages()}
                    <div class="actions"><button class="btn primary">Save</button><button type="button" class="btn ghost" @click=${() => (this.cannedEditing = null)}>Cancel</button></div></form>`
                : html`<div class="canned-row"><span class="sc">/${c.shortcut}</span><p>${c.content}</p>
                    <div class="actions"><button class="btn" aria-label="Edit /${c.shortcut}" @click=${() => { this.cannedEditing = c.id; this.error = ''; this.saved = ''; }}>Edit</button>
                    <button class="btn danger" aria-label="Delete /${c.shortcut}" @click=${() => confirm(`Delete /${c.shortcut}?`) && this.#run('Deleted.', async () => this.#cannedChanged((await this.client.call('DELETE', `/canned-replies/${c.id}`), await this.client.canned())), false)}>Delete</button></div></div>`)
            : html`<p class="intro pad">No canned replies yet.</p>`}
        </section>
      </div>`;
  }

  #cannedChanged(list: CannedReply[]): void {
    this.canned = list;
    this.dispatchEvent(new CustomEvent('canned-change', { detail: list, bubbles: true, composed: true }));
  }
}

if (!customElements.get('inbox-content')) customElements.define('inbox-content', InboxContent);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-content': InboxContent;
  }
}
