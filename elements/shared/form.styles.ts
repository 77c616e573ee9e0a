import { css } from 'lit';

/** Forms inside the panel: topic picker, email form, after-chat survey. */
export const formStyles = css`
  :host {
    display: block;
    flex: 1;
    overflow-y: auto;
    padding: 16px;
    color: var(--_fg);
  }
  h3 {
    margin: 0 0 8px;
    font-size: 16px;
  }
  p {
    margin: 0 0 12px;
  }
  .muted {
    color: var(--_muted);
  }
  form,
  fieldset {
    display: grid;
    gap: 10px;
  }
  fieldset {
    margin: 0 0 16px;
    padding: 0;
    border: none;
  }
  legend {
    margin-block-end: 6px;
    font-weight: 600;
  }
  label {
    display: grid;
    gap: 4px;
    font-size: 14px;
  }
  input,
  textarea,
  select {
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    font-size: 16px;
  }
  textarea {
    min-block-size: 90px;
    resize: vertical;
  }
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 1px;
  }
  button {
    padding: 9px 14px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    cursor: pointer;
  }
  button.primary {
    border-color: var(--_brand);
    background: var(--_brand);
    color: var(--_brand-contrast);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .topics {
    display: grid;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .topics button {
    inline-size: 100%;
    text-align: start;
  }
  .topics .callback {
    margin-block-start: 4px;
    font-size: 13px;
  }
  .topics ul {
    margin: 8px 0 0;
    padding-inline-start: 16px;
    list-style: none;
    display: grid;
    gap: 6px;
  }
  .stars {
    display: flex;
    gap: 4px;
  }
  .stars label {
    display: inline-flex;
    align-items: center;
    gap: 2px;
  }
  .slots {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 6px;
  }
  .slots button[aria-pressed='true'] {
    border-color: var(--_brand);
    background: var(--_brand);
    color: var(--_brand-contrast);
  }
  .field-error {
    margin-block-start: -6px;
    color: var(--_error);
    font-size: 13px;
  }
  .article-body {
    white-space: pre-wrap;
  }
  [role='alert'],
  [role='status'].notice {
    padding: 8px 10px;
    border-radius: 8px;
    background: var(--_surface);
  }
`;
