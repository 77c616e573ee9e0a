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
`;
