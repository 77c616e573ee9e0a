import { LitElement, html, nothing } from 'lit';
import { localized, msg } from '@lit/localize';
import type { Article, WidgetState } from '../../src/state/types.js';
import { baseStyles } from '../shared/base.styles.js';
import { formStyles } from '../shared/form.styles.js';
import { helpStyles } from './chat-help.styles.js';
import { WidgetContext } from '../shared/widget-context.js';
import { noticeText } from '../shared/notice.js';
import { formatted } from '../shared/formatted.js';

/**
 * The help center inside the messenger: a search over the workspace's
 * articles (full text), the results, and the article open.
 *
 * @summary The help view: search and articles.
 */
@localized()
export class ChatHelp extends LitElement {
  static override styles = [baseStyles, formStyles, helpStyles];

  readonly #context = new WidgetContext(this);

  override render() {
    const s = this.#context.state;
    if (!s) return nothing;
    return s.help.article ? this.#article(s) : this.#search(s);
  }

  #search(s: WidgetState) {
    const results = s.help.results;
    return html`<form role="search" @submit=${this.#submit}>
        <label>${msg('Search for help')}<input name="q" type="search" .value=${s.help.query} maxlength="500" /></label>
      </form>
      ${s.notice?.kind === 'error' ? html`<p role="alert">${noticeText(s.notice)}</p>` : nothing}
      ${results === null
        ? nothing
        : results.length
          ? html`<ul class="topics results" aria-label=${msg('Articles')}>
              ${results.map((a) => html`<li><button type="button" class="result" @click=${() => this.#context.commands?.openArticle({ locale: a.locale, slug: a.slug })}>
                <strong>${a.title}</strong>${a.excerpt ? html`<span class="muted excerpt">${a.excerpt}</span>` : nothing}</button></li>`)}
            </ul>`
          : html`<p role="status">${msg('No article matches that. Ask us in a message instead.')}</p>`}`;
  }

  #article(s: WidgetState) {
    const a = s.help.article!;
    return html`<button class="back" type="button" @click=${() => this.#context.commands?.closeArticle()}>‹ ${msg('Back to the search')}</button>
      <article>
        <h3>${a.title}</h3>
        <div class="article-body formatted">${formatted(a.body ?? '')}</div>
      </article>
      ${this.#helpful(a)}
      <div class="ways still">
        <p>${msg('Still need help?')}</p>
        <button class="primary" type="button" @click=${() => this.#context.commands?.showMessages()}>${msg('Chat with us')}</button>
      </div>`;
  }

  /** "Was this helpful?": Yes / No (pressed once answered, and can change); on No, what was missing, in a line. */
  #helpful(a: Article) {
    const rate = (helpful: boolean, comment?: string) => void this.#context.commands?.rateArticle(helpful, comment);
    return html`<section class="helpful" aria-labelledby="helpful">
      <p id="helpful">${msg('Was this helpful?')}</p>
      <div class="yes-no">
        <button type="button" aria-pressed=${a.helpful === true} @click=${() => rate(true)}>${msg('Yes')}</button>
        <button type="button" aria-pressed=${a.helpful === false} @click=${() => rate(false)}>${msg('No')}</button>
      </div>
      <p role="status" class="muted">${a.helpful === undefined ? '' : msg('Thanks for your feedback.')}</p>
      ${a.helpful === false && !a.comment
        ? html`<form class="missing" @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            const comment = String(new FormData(e.target as HTMLFormElement).get('comment') ?? '').trim();
            if (comment) rate(false, comment);
          }}>
            <label>${msg('What was missing?')}<input name="comment" maxlength="1000" autocomplete="off" /></label>
            <button type="submit">${msg('Send')}</button>
          </form>`
        : nothing}
    </section>`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '');
    void this.#context.commands?.searchHelp(q);
  }
}

if (!customElements.get('chat-help')) customElements.define('chat-help', ChatHelp);

declare global {
  interface HTMLElementTagNameMap {
    'chat-help': ChatHelp;
  }
}
