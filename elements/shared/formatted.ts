import { html, nothing } from 'lit';
import { format, type Block, type Inline } from '../../src/format.js';

/**
 * The light formatting operators, the virtual agent and help articles are written in (src/format.ts,
 * a small Markdown subset) as Lit templates: elements and text nodes, never HTML. Shared by the
 * conversation, the help articles and the inbox's preview of an article.
 */
export const link = (href: string, text: string) => html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${text}</a>`;

const inlineTemplate = (i: Inline) => {
  switch (i.kind) {
    case 'bold':
      return html`<strong>${i.text}</strong>`;
    case 'italic':
      return html`<em>${i.text}</em>`;
    case 'code':
      return html`<code>${i.text}</code>`;
    case 'link':
      return link(i.href, i.text);
    default:
      return i.text;
  }
};
const lineTemplates = (lines: Inline[][]) => lines.map((line, n) => html`${n ? html`<br />` : nothing}${line.map(inlineTemplate)}`);
const block = (b: Block) => {
  switch (b.kind) {
    case 'code':
      return html`<pre><code>${b.text}</code></pre>`;
    case 'list':
      return b.ordered
        ? html`<ol>${b.items.map((item) => html`<li dir="auto">${item.map(inlineTemplate)}</li>`)}</ol>`
        : html`<ul>${b.items.map((item) => html`<li dir="auto">${item.map(inlineTemplate)}</li>`)}</ul>`;
    default:
      // Each paragraph in its own direction (a text may mix languages; the visitor's page may be RTL).
      return html`<p dir="auto">${lineTemplates(b.lines)}</p>`;
  }
};

/** `text` formatted: its blocks as templates (put them in an element of class `formatted`). */
export const formatted = (text: string) => format(text).map(block);
