import { css } from 'lit';

/** Help: the results and the article. */
export const helpStyles = css`
  .article-body {
    white-space: pre-wrap;
    line-height: 1.55;
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
