import { css } from 'lit';

/** Forms inside the panel's views (topic picker, email, tickets, booking, after the chat): what they share. Each view's own look is in its *.styles.ts. */
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
  .hint {
    margin-block-start: -4px;
  }
  .topics button {
    inline-size: 100%;
    text-align: start;
  }
  .topics ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 8px;
  }
  .group-name {
    margin: 8px 0 6px;
    color: var(--_muted);
    font-size: 12px;
    font-weight: 650;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .row {
    display: flex;
    gap: 6px;
  }
  /* A topic of its own after a group: apart from the group's last one. */
  .group + .row {
    margin-block-start: 10px;
  }
  .row .topic {
    flex: 1;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 11px 14px;
    font-weight: 500;
  }
  .row .topic:hover:not(:disabled) {
    border-color: var(--_brand);
  }
  .chev {
    color: var(--_muted);
    font-size: 18px;
    line-height: 1;
  }
  .row .callback {
    flex: none;
    inline-size: auto;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 8px 10px;
    color: var(--_brand);
    font-size: 13px;
  }
  .callback svg {
    inline-size: 16px;
    block-size: 16px;
    fill: currentColor;
  }
  .sr {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  /* The end of a chat: one block after another, apart. */
  :host > form + form,
  :host > form + p,
  :host > p + form {
    margin-block-start: 16px;
    padding-block-start: 16px;
    border-block-start: 1px solid var(--_border);
  }
  :host > button:last-child {
    margin-block-start: 16px;
  }
  .required {
    color: var(--_error);
  }
  [aria-invalid='true'] {
    border-color: var(--_error);
    box-shadow: 0 0 0 1px var(--_error);
  }
  .field-error {
    margin-block-start: -6px;
    color: var(--_error);
    font-size: 13px;
  }
  .back {
    justify-self: start;
    padding: 4px 0;
    border: none;
    background: none;
    color: var(--_brand);
    font-size: 14px;
  }
  .back:hover {
    text-decoration: underline;
  }
  [role='status'].notice {
    padding: 8px 10px;
    border-radius: 8px;
    background: var(--_surface);
  }
  /* An error the visitor must act on: in the error colour, not a grey box. */
  [role='alert'] {
    margin: 0;
    padding: 8px 10px;
    border: 1px solid var(--_error);
    border-inline-start-width: 4px;
    border-radius: 8px;
    background: color-mix(in srgb, var(--_error) 8%, var(--_bg));
    color: var(--_fg);
    font-size: 14px;
  }
  /* Home: the team's greeting. */
  .hello {
    margin-block-end: 18px;
  }
  .faces {
    display: flex;
    margin: 0 0 10px;
  }
  .face {
    position: relative;
    display: grid;
    place-items: center;
    inline-size: 36px;
    block-size: 36px;
    margin-inline-end: -8px;
    overflow: hidden;
    border: 2px solid var(--_bg);
    border-radius: 50%;
    background: var(--_brand);
    color: var(--_brand-contrast);
    font-size: 13px;
    font-weight: 700;
  }
  .face::before {
    content: attr(data-initials);
  }
  .face:nth-child(2) {
    background: #0f766e;
    color: #fff;
  }
  .face:nth-child(3) {
    background: #7c3aed;
    color: #fff;
  }
  .face img {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .faces[data-online]::after {
    content: '';
    align-self: end;
    inline-size: 10px;
    block-size: 10px;
    margin-inline-start: 2px;
    border: 2px solid var(--_bg);
    border-radius: 50%;
    background: #1f9d55;
  }
  .greeting {
    margin: 0 0 2px;
    font-size: 20px;
  }
  .hello .muted {
    margin: 0;
  }
  .hello .intro {
    margin: 0 0 6px;
    white-space: pre-wrap;
  }
  /* Home: the conversation to resume, the topics, the other ways in (.ways: also help's "Still need help?"). */
  .resume {
    display: grid;
    gap: 2px;
    inline-size: 100%;
    margin-block-end: 16px;
    padding: 10px 14px;
    border-color: var(--_brand);
    text-align: start;
  }
  .resume-title {
    font-weight: 600;
  }
  .resume-text {
    overflow: hidden;
    font-size: 14px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .ways {
    display: grid;
    gap: 10px;
    margin-block-start: 18px;
    padding-block-start: 16px;
    border-block-start: 1px solid var(--_border);
  }
  .way {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
`;
