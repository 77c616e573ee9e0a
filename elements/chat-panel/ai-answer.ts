import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { AnswerSource, ChatMessage } from '../../src/client/types.js';
import type { WidgetState } from '../../src/state/types.js';
import { formatted } from '../shared/formatted.js';
import { initials } from '../shared/initials.js';

/**
 * The AI agent's answer in the conversation (issue 19), loaded with the first one (a chunk of its
 * own): the answer being written (a "writing" state before its first words, then its text as it
 * comes, formatted, never HTML, with Stop) and the sources an answer cites, as chips that open
 * the article in the help view.
 */
interface Commands {
  stopAnswer(): Promise<boolean>;
  openArticle(a: { locale: string; slug: string }): unknown;
}

/** The answer being written, as a message of the assistant's. */
export function answerTemplate(answer: NonNullable<WidgetState['answer']>, commands: Commands | undefined) {
  const name = msg('AI assistant');
  return html`<div part="message" data-author="bot" class="answering" aria-busy="true">
    <span class="author"><span class="avatar" aria-hidden="true" data-initials=${initials(name)}></span>${name}</span>
    ${answer.text
      ? html`<div class="text formatted" dir="auto">${formatted(answer.text)}</div>`
      : html`<span class="thinking" role="status"><span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>${msg('Writing an answer…')}</span>`}
    <span class="meta"><button class="text-button stop" type="button" @click=${() => commands?.stopAnswer()}>${msg('Stop')}</button></span>
  </div>`;
}

/** The sources a stored answer cites: each opens its article in the help view. */
export function sourcesTemplate(m: ChatMessage, commands: Commands | undefined) {
  const cited: readonly AnswerSource[] = m.data?.ai?.citations ?? [];
  if (!cited.length) return nothing;
  return html`<p class="sources"><span class="sources-label">${msg('Sources:')}</span>${cited.map(
    (c) => html`<button type="button" class="chip source" @click=${() => commands?.openArticle({ locale: c.locale, slug: c.slug })}>
      <span dir="auto">${c.title}${c.heading ? html` <span class="muted">· ${c.heading}</span>` : nothing}</span></button>`,
  )}</p>`;
}

/** Its styles, added to the panel's with the module (the always-loaded panel carries none of them). */
export const aiStyles = css`
  .thinking {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    color: var(--_muted);
  }
  .dots {
    display: inline-flex;
    gap: 3px;
  }
  .dots i {
    inline-size: 6px;
    block-size: 6px;
    border-radius: 50%;
    background: currentColor;
    animation: chat-dot 1.2s infinite ease-in-out;
  }
  .dots i:nth-child(2) {
    animation-delay: 0.15s;
  }
  .dots i:nth-child(3) {
    animation-delay: 0.3s;
  }
  @keyframes chat-dot {
    0%, 80%, 100% { opacity: 0.25; transform: translateY(0); }
    40% { opacity: 1; transform: translateY(-2px); }
  }
  @media (prefers-reduced-motion: reduce) {
    .dots i { animation: none; opacity: 0.6; }
  }
  .sources {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin: 6px 0 0;
    font-size: 13px;
  }
  .sources-label {
    color: var(--_muted);
  }
  .source {
    max-inline-size: 100%;
    padding: 2px 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  .source:hover {
    border-color: var(--_brand);
  }
  .source:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 2px;
  }
  .source .muted {
    color: var(--_muted);
  }
  .stop {
    font-size: 13px;
  }
`;
