import { css } from 'lit';

/** The end of a chat: stars, chips and the 0 to 10 scale. */
export const afterStyles = css`
  .stars {
    display: flex;
    gap: 2px;
  }
  .star {
    display: inline-block;
    cursor: pointer;
    border-radius: 6px;
  }
  .star span {
    display: block;
    padding: 0 2px;
    color: color-mix(in srgb, var(--_muted) 55%, transparent);
    font-size: 30px;
    line-height: 1;
  }
  /* Filled up to the chosen star (or the one under the pointer). */
  .stars:has(input:checked) .star span,
  .stars:hover .star span {
    color: #f5a524;
  }
  .stars .star:has(input:checked) ~ .star span,
  .stars:hover .star:hover ~ .star span {
    color: color-mix(in srgb, var(--_muted) 55%, transparent);
  }
  .star:has(input:focus-visible),
  .chip:has(input:focus-visible) {
    outline: 2px solid var(--_brand);
    outline-offset: 1px;
  }
  .chips,
  .scale {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .chip span {
    display: inline-block;
    min-inline-size: 24px;
    padding: 6px 12px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    text-align: center;
    cursor: pointer;
  }
  .scale .chip span {
    min-inline-size: 14px;
    padding: 6px 8px;
    border-radius: 8px;
  }
  .chip:has(input:checked) span {
    border-color: var(--_brand);
    background: var(--_brand);
    color: var(--_brand-contrast);
  }
  .scale-ends {
    display: flex;
    justify-content: space-between;
    font-size: 12px;
  }
`;
