import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { InboxClient } from './inbox-client.js';
import { controls, tokens } from './styles.js';

/** The workspace's model as the operator API shows it (never its keys, only whether they are set). */
interface AiModel {
  provider: 'openai' | 'anthropic';
  base_url: string;
  model: string;
  key_set: boolean;
  enabled: boolean;
  max_answer_tokens: number;
  visitor_requests_per_hour: number;
  workspace_tokens_per_day: number;
  embedding_model: string | null;
  embedding_base_url: string | null;
  embedding_key_set: boolean;
  min_similarity: number;
}
interface IndexReport {
  vectors: boolean;
  model: string | null;
  chunks: number;
  embedded: number;
  added: number;
}
interface Found {
  n: number;
  title: string;
  slug: string;
  heading: string | null;
  text: string;
  rank: number;
  similarity: number | null;
}

const value = (d: FormData, name: string) => String(d.get(name) ?? '').trim();

/**
 * The AI assistant's settings, for an admin (issue 19): the model (provider, base URL, model, its
 * key: written, never read back), the embedding model, the relevance threshold and the limits
 * (PUT /api/agent/ai); beside it, how much of the help center is embedded (Index now), a test of the
 * model, and "Try a question": the sources the assistant would answer from, with their full-text
 * rank and similarity.
 */
export class InboxAi extends LitElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host { display: block; }
      .layout { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 16px; padding: 16px 24px 24px; align-items: start; }
      .panel { background: var(--ib-bg); border: 1px solid var(--ib-line); border-radius: 12px; }
      form, .side > section { padding: 16px; display: grid; gap: 14px; }
      .side { display: grid; gap: 16px; }
      h3 { margin: 0; font-size: 16px; text-transform: none; letter-spacing: 0; color: var(--ib-text); }
      h4 { margin: 4px 0 0; font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--ib-text-soft); }
      p { margin: 0; }
      .intro, .hint { color: var(--ib-text-soft); }
      .hint { font-size: 12px; font-weight: 400; }
      .row { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; align-items: start; }
      .check { display: flex; gap: 8px; align-items: center; font-weight: 500; }
      .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      .actions .spacer { flex: 1; }
      [role='alert'] { color: var(--ib-danger); }
      [role='status'] { color: var(--ib-ok); }
      progress { appearance: none; width: 100%; height: 8px; border: 0; border-radius: 4px; background: var(--ib-bg-hover); overflow: hidden; }
      progress::-webkit-progress-bar { background: var(--ib-bg-hover); }
      progress::-webkit-progress-value { background: var(--ib-accent); border-radius: 4px; }
      progress::-moz-progress-bar { background: var(--ib-accent); }
      ol { margin: 0; padding: 0; list-style: none; display: grid; gap: 8px; }
      li { border: 1px solid var(--ib-line); border-radius: 8px; padding: 8px 10px; display: grid; gap: 4px; }
      li .title { font-weight: 600; }
      li .text { font-size: 13px; color: var(--ib-text-soft); display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
      .scores { display: flex; gap: 6px; flex-wrap: wrap; }
      .loading { padding: 16px 24px; }
      form.try { padding: 0; flex-wrap: nowrap; }
      form.try input { flex: 1; min-width: 0; }
      @media (max-width: 900px) { .layout { grid-template-columns: minmax(0, 1fr); } }
    `,
  ];

  @property({ attribute: false }) client!: InboxClient;

  @state() private model: AiModel | null = null;
  @state() private loaded = false;
  @state() private index: IndexReport | null = null;
  @state() private provider: 'openai' | 'anthropic' = 'openai';
  @state() private error = '';
  @state() private saved = '';
  @state() private busy = '';
  @state() private tested = '';
  @state() private found: Found[] | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      const [{ model }, { index }] = await Promise.all([
        this.client.call<{ model: AiModel | null }>('GET', '/ai'),
        this.client.call<{ index: IndexReport }>('GET', '/ai/index'),
      ]);
      this.model = model;
      this.index = index;
      this.provider = model?.provider ?? 'openai';
    } catch (error) {
      this.error = (error as { status?: number }).status === 403 ? 'Only an admin of the workspace can see this.' : (error as Error).message;
    }
    this.loaded = true;
  }

  /** Runs an action with its button busy; what it says goes beside the buttons. */
  async #run(what: string, action: () => Promise<string | void>): Promise<void> {
    this.busy = what;
    this.error = '';
    this.saved = '';
    try {
      this.saved = (await action()) ?? '';
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = '';
    }
  }

  #save(e: SubmitEvent): void {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    const key = value(d, 'api_key');
    const embeddingKey = value(d, 'embedding_api_key');
    const body = {
      provider: this.provider,
      base_url: value(d, 'base_url'),
      model: value(d, 'model'),
      enabled: d.get('enabled') === 'on',
      // A key left empty keeps the one stored; "Remove the key" removes it.
      ...(key ? { api_key: key } : d.get('remove_key') === 'on' ? { api_key: null } : {}),
      embedding_model: value(d, 'embedding_model') || null,
      embedding_base_url: value(d, 'embedding_base_url') || null,
      ...(embeddingKey ? { embedding_api_key: embeddingKey } : {}),
      min_similarity: Number(value(d, 'min_similarity')),
      max_answer_tokens: Number(value(d, 'max_answer_tokens')),
      visitor_requests_per_hour: Number(value(d, 'visitor_requests_per_hour')),
      workspace_tokens_per_day: Number(value(d, 'workspace_tokens_per_day')),
    };
    void this.#run('save', async () => {
      this.model = (await this.client.call<{ model: AiModel }>('PUT', '/ai', body)).model;
      (e.target as HTMLFormElement).querySelectorAll<HTMLInputElement>('input[type="password"]').forEach((i) => (i.value = ''));
      if (this.model.embedding_model) this.index = (await this.client.call<{ index: IndexReport }>('POST', '/ai/index')).index;
      return this.model.enabled ? 'Saved: the assistant answers in topics with deflection on.' : 'Saved, and off: the virtual agent answers with articles.';
    });
  }

  #remove(): void {
    if (!confirm('Remove the AI model? The virtual agent goes back to suggesting articles.')) return;
    void this.#run('remove', async () => {
      await this.client.call('DELETE', '/ai');
      this.model = null;
      this.index = (await this.client.call<{ index: IndexReport }>('GET', '/ai/index')).index;
      return 'Removed: the virtual agent suggests articles again.';
    });
  }

  #test(): void {
    void this.#run('test', async () => {
      this.tested = '';
      const r = await this.client.call<{ ok: boolean; sample?: string; first_token_ms?: number; error?: { message: string } }>('POST', '/ai/test');
      this.tested = r.ok ? `The model answered “${(r.sample ?? '').trim()}”, its first word after ${r.first_token_ms} ms.` : `The model did not answer: ${r.error?.message}`;
    });
  }

  #reindex(): void {
    void this.#run('index', async () => {
      this.index = (await this.client.call<{ index: IndexReport }>('POST', '/ai/index')).index;
      return this.index.added ? `${this.index.added} sections embedded.` : 'Nothing new to embed.';
    });
  }

  #try(e: SubmitEvent): void {
    e.preventDefault();
    const q = value(new FormData(e.target as HTMLFormElement), 'q');
    if (!q) return;
    void this.#run('try', async () => {
      this.found = (await this.client.call<{ sources: Found[] }>('POST', '/ai/search', { q, limit: 5 })).sources;
    });
  }

  override render() {
    if (!this.loaded) return html`<p class="intro loading">Loading…</p>`;
    const m = this.model;
    return html`<div class="layout">
      <form class="panel" @submit=${this.#save} aria-label="The AI assistant's model">
        <h3>AI assistant</h3>
        <p class="intro">Answers visitors from your help articles with your own model, citing them, and hands over to a person when it cannot. Keys stay on the server: they are never shown again, nor sent to a browser.</p>
        <label class="check"><input type="checkbox" name="enabled" ?checked=${m?.enabled ?? true} /> On: answer in topics with deflection on</label>
        <h4>Model</h4>
        <label class="field"><span>Provider</span>
          <select name="provider" @change=${(e: Event) => (this.provider = (e.target as HTMLSelectElement).value as 'openai' | 'anthropic')}>
            <option value="openai" ?selected=${this.provider === 'openai'}>OpenAI-compatible: OpenAI, Ollama, vLLM, llama.cpp, LM Studio</option>
            <option value="anthropic" ?selected=${this.provider === 'anthropic'}>Anthropic</option>
          </select></label>
        <div class="row">
          <label class="field"><span>Base URL</span><input name="base_url" required type="url" .value=${m?.base_url ?? ''}
            placeholder=${this.provider === 'anthropic' ? 'https://api.anthropic.com' : 'http://localhost:11434/v1'} /></label>
          <label class="field"><span>Model</span><input name="model" required maxlength="200" .value=${m?.model ?? ''} placeholder=${this.provider === 'anthropic' ? 'claude-haiku-4-5' : 'llama3.2'} /></label>
        </div>
        <label class="field"><span>Key</span><input name="api_key" type="password" autocomplete="off" maxlength="500"
          placeholder=${m?.key_set ? 'A key is set: leave empty to keep it' : 'None (a local model needs none)'} /></label>
        ${m?.key_set ? html`<label class="check"><input type="checkbox" name="remove_key" /> Remove the key</label>` : nothing}
        <h4>Finding articles by meaning</h4>
        <div class="row">
          <label class="field"><span>Embedding model (optional)</span><input name="embedding_model" maxlength="200" .value=${m?.embedding_model ?? ''} placeholder="nomic-embed-text" />
            <span class="hint">Without one, articles are found by their words alone.</span></label>
          <label class="field"><span>Embeddings served at</span><input name="embedding_base_url" type="url" .value=${m?.embedding_base_url ?? ''}
            placeholder=${this.provider === 'anthropic' ? 'Required: Anthropic has no embeddings' : 'Empty: the model’s own server'} /></label>
        </div>
        <div class="row">
          <label class="field"><span>Embeddings key</span><input name="embedding_api_key" type="password" autocomplete="off" maxlength="500"
            placeholder=${m?.embedding_key_set ? 'A key is set: leave empty to keep it' : 'Empty: the model’s key'} /></label>
          <label class="field"><span>Least similarity</span><input name="min_similarity" type="number" min="0.05" max="0.95" step="0.05" .value=${String(m?.min_similarity ?? 0.5)} />
            <span class="hint">Below it, a section is not close enough to answer from.</span></label>
        </div>
        <h4>Limits</h4>
        <div class="row">
          <label class="field"><span>Tokens an answer</span><input name="max_answer_tokens" type="number" min="16" max="8192" .value=${String(m?.max_answer_tokens ?? 600)} /></label>
          <label class="field"><span>Questions a visitor an hour</span><input name="visitor_requests_per_hour" type="number" min="1" max="10000" .value=${String(m?.visitor_requests_per_hour ?? 30)} /></label>
          <label class="field"><span>Tokens a day</span><input name="workspace_tokens_per_day" type="number" min="1000" max="100000000" .value=${String(m?.workspace_tokens_per_day ?? 200000)} /></label>
        </div>
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}${this.saved && !this.error ? html`<p role="status">${this.saved}</p>` : nothing}
        <div class="actions">
          <button class="btn primary" ?disabled=${!!this.busy}>${this.busy === 'save' ? 'Saving…' : 'Save'}</button>
          <span class="spacer"></span>
          ${m ? html`<button type="button" class="btn danger" ?disabled=${!!this.busy} @click=${this.#remove}>Remove the model</button>` : nothing}
        </div>
      </form>
      <div class="side">
        <section class="panel" aria-label="Help center index">
          <h3>Help center</h3>
          ${this.#indexStatus()}
          <div class="actions">
            <button class="btn" ?disabled=${!!this.busy || !m?.embedding_model} @click=${this.#reindex}>${this.busy === 'index' ? 'Embedding…' : 'Embed what is new'}</button>
            <button class="btn" ?disabled=${!!this.busy || !m} @click=${this.#test}>${this.busy === 'test' ? 'Asking…' : 'Test the model'}</button>
          </div>
          ${this.tested ? html`<p role="status">${this.tested}</p>` : nothing}
        </section>
        <section class="panel" aria-label="Try a question">
          <h3>Try a question</h3>
          <p class="intro">What the assistant would answer from, best first.</p>
          <form class="actions try" @submit=${this.#try}>
            <input name="q" required maxlength="1000" placeholder="How long do refunds take?" aria-label="A visitor's question" />
            <button class="btn" ?disabled=${!!this.busy}>Search</button>
          </form>
          ${this.found === null ? nothing : this.found.length
            ? html`<ol>${this.found.map((s) => html`<li>
                <span class="title">${s.n}. ${s.title}${s.heading ? html` <span class="muted">· ${s.heading}</span>` : nothing}</span>
                <span class="text">${s.text.replace(/^#{1,6} .*\n?/, '')}</span>
                <span class="scores">${s.rank ? html`<span class="pill">words ${s.rank.toFixed(2)}</span>` : nothing}${s.similarity !== null ? html`<span class="pill">meaning ${s.similarity.toFixed(2)}</span>` : nothing}</span>
              </li>`)}</ol>`
            : html`<p class="muted">Nothing close enough: the assistant would say it cannot answer, and offer a person.</p>`}
        </section>
      </div>
    </div>`;
  }

  #indexStatus() {
    const i = this.index;
    if (!i) return nothing;
    if (!i.chunks) return html`<p class="muted">No help articles yet: the assistant has nothing to answer from.</p>`;
    if (!i.model) return html`<p>${i.chunks} sections, found by their words. Add an embedding model to find them by meaning too.</p>`;
    if (!i.vectors) return html`<p>${i.chunks} sections, found by their words: this database has no pgvector, so embeddings cannot be kept.</p>`;
    const share = Math.round((i.embedded / i.chunks) * 100);
    return html`<p>${i.embedded} of ${i.chunks} sections embedded by <strong>${i.model}</strong>.</p>
      <progress max="100" .value=${share} aria-label="Sections embedded">${share}%</progress>`;
  }
}

if (!customElements.get('inbox-ai')) customElements.define('inbox-ai', InboxAi);

declare global {
  interface HTMLElementTagNameMap {
    'inbox-ai': InboxAi;
  }
}
