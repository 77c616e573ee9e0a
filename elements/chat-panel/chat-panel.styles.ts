import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    inline-size: 100%;
    block-size: 100%;
    background: var(--_bg);
    color: var(--_fg);
    font-size: 15px;
    line-height: 1.45;
  }
  [part='header'] {
    display: flex;
    align-items: center;
    gap: 8px;
    /* One height whatever the state or the language: title and status stay on one line each. */
    box-sizing: border-box;
    block-size: 64px;
    flex: none;
    padding: 0 8px 0 16px;
    background: var(--_brand);
    color: var(--_brand-contrast);
  }
  .titles {
    flex: 1;
    min-inline-size: 0;
  }
  h2 {
    margin: 0;
    font-size: 17px;
    font-weight: 650;
    line-height: 1.3;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .status {
    margin: 0;
    font-size: 13px;
    line-height: 1.35;
    opacity: 0.92;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part='header'] .text-button {
    flex: none;
    white-space: nowrap;
  }
  .status[data-connection='offline'] {
    font-weight: 600;
  }
  .icon-button {
    display: grid;
    place-items: center;
    inline-size: 36px;
    block-size: 36px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .icon-button:hover {
    background: rgb(255 255 255 / 0.16);
  }
  .icon-button:focus-visible {
    outline: 2px solid currentColor;
    outline-offset: 1px;
  }
  svg {
    inline-size: 20px;
    block-size: 20px;
    fill: currentColor;
  }
  [part='messages'] {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 16px;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .empty {
    margin: auto;
    color: var(--_muted);
    text-align: center;
  }
  [part='message'] {
    max-inline-size: 80%;
    padding: 8px 12px;
    border-radius: 14px;
    overflow-wrap: anywhere;
    align-self: flex-start;
    background: var(--_surface);
    color: var(--_fg);
    border-end-start-radius: 4px;
    animation: appear 160ms ease-out;
  }
  [part='message'][data-author='visitor'] {
    align-self: flex-end;
    background: var(--_brand);
    color: var(--_brand-contrast);
    border-end-start-radius: 14px;
    border-end-end-radius: 4px;
  }
  [part='message'][data-author='system'] {
    align-self: center;
    background: transparent;
    color: var(--_muted);
    font-size: 13px;
  }
  .text {
    white-space: pre-wrap;
  }
  .formatted {
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .formatted > * {
    margin: 0;
  }
  .formatted > * + * {
    margin-block-start: 6px;
  }
  .formatted ul,
  .formatted ol {
    padding-inline-start: 20px;
  }
  .formatted code {
    padding: 0 4px;
    border-radius: 4px;
    background: color-mix(in srgb, var(--_fg) 8%, transparent);
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 0.9em;
  }
  .formatted pre {
    overflow-x: auto;
    padding: 8px;
    border-radius: 8px;
    background: color-mix(in srgb, var(--_fg) 8%, transparent);
  }
  .formatted pre code {
    padding: 0;
    background: none;
  }
  [part='message'] a {
    color: inherit;
  }
  .meta {
    display: block;
    margin-block-start: 2px;
    font-size: 12px;
  }
  .author {
    display: flex;
    align-items: center;
    gap: 6px;
    margin-block-end: 2px;
    font-size: 12px;
    font-weight: 600;
    color: var(--_muted);
  }
  /* A message the server refused: plainly not like the sent ones, with its way out beside it. */
  [part='message'][data-status='failed'] {
    background: var(--_surface);
    color: var(--_fg);
    box-shadow: inset 0 0 0 1.5px var(--_error);
  }
  [data-status='failed'] .meta {
    font-weight: 600;
    color: var(--_error);
  }
  [data-status='failed'] .meta::before {
    content: '!';
    display: inline-grid;
    place-items: center;
    inline-size: 14px;
    block-size: 14px;
    margin-inline-end: 4px;
    border-radius: 50%;
    background: var(--_error);
    color: var(--_surface);
    font-size: 10px;
    font-weight: 700;
    vertical-align: 1px;
  }
  .failed-actions {
    display: flex;
    gap: 6px;
    margin-block-start: 6px;
  }
  [part='composer'] {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px;
    padding-block-end: max(10px, env(safe-area-inset-bottom));
    border-block-start: 1px solid var(--_border);
  }
  [part='input'] {
    flex: 1;
    /* Grows with what is typed, up to about five lines. */
    field-sizing: content;
    min-block-size: 40px;
    max-block-size: 140px;
    padding: 8px 12px;
    border: 1px solid var(--_border);
    border-radius: 20px;
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
    font-size: 16px;
    resize: none;
  }
  [part='input']:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 0;
  }
  [part='send-button'] {
    display: grid;
    place-items: center;
    inline-size: 40px;
    block-size: 40px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: var(--_brand);
    color: var(--_brand-contrast);
    cursor: pointer;
  }
  [part='send-button']:disabled {
    opacity: 0.55;
    cursor: default;
  }
  [part='send-button']:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 2px;
  }
  :host(:dir(rtl)) [part='send-button'] svg {
    transform: scaleX(-1);
  }
  .cobrowse {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    background: var(--_surface);
    border-block-end: 1px solid var(--_border);
    font-size: 14px;
  }
  .cobrowse p {
    margin: 0;
    flex-basis: 100%;
  }
  .cobrowse .code {
    font-size: 18px;
    letter-spacing: 2px;
  }
  .tabs {
    display: flex;
    gap: 4px;
    padding: 6px 10px;
    border-block-end: 1px solid var(--_border);
  }
  .tabs button {
    flex: 1;
    padding: 6px;
    border: none;
    border-radius: 8px;
    background: transparent;
    color: var(--_fg);
    font: inherit;
    font-size: 14px;
    cursor: pointer;
  }
  .tabs button[aria-pressed='true'] {
    background: var(--_surface);
    font-weight: 600;
  }
  .tabs button:focus-visible {
    outline: 2px solid var(--_brand);
  }
  .typing {
    min-block-size: 1.2em;
    margin: 0;
    padding: 0 16px;
    color: var(--_muted);
    font-size: 13px;
  }
  .text-button {
    padding: 6px 10px;
    border: 1px solid currentColor;
    border-radius: 8px;
    background: transparent;
    color: inherit;
    font: inherit;
    font-size: 13px;
    cursor: pointer;
  }
  .picked {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin: 0;
    font-weight: 600;
  }
  .earlier {
    align-self: center;
    /* One height whatever its words (the ellipsis may come from another font): the list does not move when it says it is loading. */
    line-height: 20px;
    block-size: 34px;
    white-space: nowrap;
  }
  /* On its way: a status, not a button to press again. */
  .earlier[aria-disabled='true'] {
    border-color: transparent;
    cursor: progress;
  }
  .escalate {
    display: block;
    margin-block-start: 8px;
    border: 2px solid var(--_brand);
    font-weight: 600;
  }
  .attachment {
    display: block;
    margin-block-start: 4px;
  }
  .articles {
    display: grid;
    gap: 6px;
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
  }
  .card {
    display: grid;
    gap: 2px;
    inline-size: 100%;
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_bg);
    color: inherit;
    font: inherit;
    font-size: 13px;
    text-align: start;
    cursor: pointer;
  }
  .card:hover {
    border-color: var(--_brand);
  }
  .card span {
    display: -webkit-box;
    overflow: hidden;
    color: var(--_muted);
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
  }
  .file {
    display: none;
  }
  .attach {
    color: var(--_muted);
  }
  .attach:hover {
    background: var(--_surface);
  }
  .upload {
    padding: 6px 12px 0;
    font-size: 13px;
  }
  .upload progress {
    inline-size: 100%;
  }
  .notice {
    margin: 6px 12px 0;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--_surface);
    font-size: 14px;
  }
  /* A failure (a refused file, a lost connection): in the error colour, not a grey note. */
  .notice[role='alert'] {
    border: 1px solid var(--_error);
    border-inline-start-width: 4px;
    background: color-mix(in srgb, var(--_error) 8%, var(--_bg));
  }
  /* Movement only, no fade: text keeps its contrast from the first frame (axe checks it then too). */
  @keyframes appear {
    from {
      transform: translateY(6px);
    }
  }
  [part='message'][data-continued] {
    margin-block-start: -5px;
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    inline-size: 20px;
    block-size: 20px;
    border-radius: 50%;
    background: var(--_brand);
    color: var(--_brand-contrast);
    font-size: 10px;
    font-weight: 700;
    letter-spacing: 0;
  }
  .avatar::before {
    content: attr(data-initials);
  }
  .confirm-end {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 10px 16px;
    border-block-end: 1px solid var(--_border);
    background: var(--_surface);
  }
  .confirm-end p {
    flex: 1 1 100%;
    margin: 0;
    font-size: 14px;
  }
  .confirm-end .confirm {
    border-color: var(--_error);
    color: var(--_error);
  }
  chat-after {
    flex: 1 1 60%;
    max-block-size: 65%;
    border-block-start: 1px solid var(--_border);
  }
  /* An image sent or received: a thumbnail that opens the full size. */
  .thumb {
    display: block;
    margin-block: 2px 4px;
  }
  .thumb img {
    display: block;
    max-inline-size: 100%;
    max-block-size: 180px;
    border-radius: 8px;
    object-fit: cover;
  }
  /* The full-size view: the image, then its download link and Close. */
  .viewer {
    padding: 0;
    border: none;
    border-radius: 12px;
    max-inline-size: 94vw;
    background: var(--_bg);
    color: var(--_fg);
  }
  .viewer::backdrop {
    background: rgb(0 0 0 / 0.75);
  }
  .viewer img {
    display: block;
    max-inline-size: 100%;
    max-block-size: calc(100vh - 120px);
    margin-inline: auto;
  }
  .viewer form {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
    padding: 6px;
    padding-inline-start: 14px;
  }
  .viewer a {
    color: inherit;
    overflow-wrap: anywhere;
  }
`;
