import { css } from 'lit';

/** Help: the results and the article. */
export const helpStyles = css`
  /* The article's light Markdown (elements/shared/formatted.ts): paragraphs, lists, code, links. */
  .article-body {
    line-height: 1.55;
    overflow-wrap: anywhere;
  }
  .article-body > * {
    margin: 0;
  }
  .article-body > * + * {
    margin-block-start: 10px;
  }
  .article-body ul,
  .article-body ol {
    padding-inline-start: 20px;
  }
  .article-body code {
    padding: 0 4px;
    border-radius: 4px;
    background: color-mix(in srgb, currentColor 8%, transparent);
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 0.9em;
  }
  .article-body pre {
    overflow-x: auto;
    padding: 8px;
    border-radius: 8px;
    background: color-mix(in srgb, currentColor 8%, transparent);
  }
  .article-body pre code {
    padding: 0;
    background: none;
  }
  .article-body a {
    color: inherit;
  }
  .results {
    margin-block-start: 14px;
  }
  .result {
    display: grid;
    gap: 4px;
    padding: 10px 12px;
  }
  .result:hover {
    border-color: var(--_brand);
  }
  .excerpt {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
    font-size: 14px;
  }
  .still p {
    margin: 0;
    font-weight: 600;
  }
  .helpful {
    margin-block: 20px 16px;
    padding-block-start: 14px;
    border-block-start: 1px solid var(--_border);
  }
  .helpful p {
    margin: 0 0 8px;
    font-weight: 600;
  }
  .helpful p[role='status'] {
    margin: 8px 0 0;
    font-weight: 400;
  }
  .yes-no {
    display: flex;
    gap: 8px;
  }
  .yes-no button {
    min-inline-size: 72px;
  }
  .yes-no button[aria-pressed='true'] {
    border-color: var(--_brand);
    background: var(--_brand);
    color: var(--_brand-contrast);
  }
  .missing {
    grid-template-columns: 1fr auto;
    align-items: end;
    margin-block-start: 10px;
  }
`;
