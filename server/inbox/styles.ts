import { css, html, svg } from 'lit';

/** A line icon of 24 units (stroke: the text colour). */
export const icon = (d: string, size = 22) =>
  html`<svg viewBox="0 0 24 24" width=${size} height=${size} aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${svg`<path d=${d} />`}</svg>`;
/** A paper clip: an attachment. */
export const clip = icon('M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9', 16);
/** Two speech bubbles: the inbox's mark. */
export const mark = icon('M4 5h12v8H9l-4 3v-3H4zM16 9h4v8h-1v3l-4-3h-4v-2', 22);

/**
 * The inbox's look, shared by its elements: colours as custom properties (light, and dark when the
 * system asks for it), and styled controls (buttons, fields, selects, segmented filters, badges).
 */
export const tokens = css`
  :host {
    --ib-bg: #ffffff;
    --ib-bg-soft: #f6f7f9;
    --ib-bg-hover: #eef1f5;
    --ib-bg-selected: #e8f0fe;
    --ib-line: #e2e5ea;
    --ib-line-strong: #c9ced6;
    --ib-text: #16191f;
    --ib-text-soft: #5b6472;
    --ib-accent: #2857d8;
    --ib-accent-text: #ffffff;
    --ib-accent-soft: #e8efff;
    --ib-danger: #b42318;
    --ib-ok: #137a4b;
    --ib-note-bg: #fff6dd;
    --ib-note-line: #d9a300;
    --ib-bubble: #f0f2f5;
    --ib-radius: 8px;
    --ib-shadow: 0 8px 24px rgb(16 24 40 / 0.14);
    --ib-focus: 0 0 0 3px rgb(40 87 216 / 0.35);
    color-scheme: light;
    color: var(--ib-text);
    font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --ib-bg: #15181d;
      --ib-bg-soft: #1b1f25;
      --ib-bg-hover: #232831;
      --ib-bg-selected: #1f2b44;
      --ib-line: #2b313b;
      --ib-line-strong: #3b4350;
      --ib-text: #e8eaee;
      --ib-text-soft: #9aa3b2;
      --ib-accent: #6b93ff;
      --ib-accent-text: #0b1020;
      --ib-accent-soft: #1f2b44;
      --ib-danger: #ff8a80;
      --ib-ok: #5fd39a;
      --ib-note-bg: #3a3117;
      --ib-note-line: #a88a2c;
      --ib-bubble: #232831;
      --ib-shadow: 0 8px 24px rgb(0 0 0 / 0.5);
      --ib-focus: 0 0 0 3px rgb(107 147 255 / 0.45);
      color-scheme: dark;
    }
  }
`;

export const controls = css`
  * { box-sizing: border-box; }
  button, input, select, textarea { font: inherit; color: inherit; }
  :focus-visible { outline: none; box-shadow: var(--ib-focus); }
  .btn {
    display: inline-flex; align-items: center; justify-content: center; gap: 6px; min-height: 34px; padding: 0 12px;
    border: 1px solid var(--ib-line-strong); border-radius: var(--ib-radius); background: var(--ib-bg); cursor: pointer; white-space: nowrap;
  }
  .btn:hover { background: var(--ib-bg-hover); }
  .btn.primary { background: var(--ib-accent); border-color: var(--ib-accent); color: var(--ib-accent-text); font-weight: 600; }
  .btn.primary:hover { filter: brightness(1.08); }
  .btn.ghost { border-color: transparent; background: transparent; }
  .btn.ghost:hover { background: var(--ib-bg-hover); }
  .btn.danger { color: var(--ib-danger); }
  .btn[disabled] { opacity: 0.55; cursor: default; }
  .field { display: grid; gap: 4px; font-weight: 500; }
  fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
  legend { padding: 0; margin-block-end: 6px; font-size: 13px; color: var(--ib-text-soft); }
  input[type='color'] { inline-size: 44px; block-size: 34px; padding: 2px; border: 1px solid var(--ib-line-strong); border-radius: var(--ib-radius); background: var(--ib-bg); cursor: pointer; }
  .field > span { font-size: 13px; color: var(--ib-text-soft); }
  input[type='text'], input[type='search'], input[type='password'], input[type='email'], input[type='url'], input[type='number'], input[type='time'], input:not([type]), select, textarea {
    min-height: 34px; padding: 6px 10px; border: 1px solid var(--ib-line-strong); border-radius: var(--ib-radius); background: var(--ib-bg); width: 100%;
  }
  select { appearance: none; padding-inline-end: 28px; cursor: pointer;
    background-image: linear-gradient(45deg, transparent 50%, currentColor 50%), linear-gradient(135deg, currentColor 50%, transparent 50%);
    background-position: calc(100% - 15px) 55%, calc(100% - 10px) 55%; background-size: 5px 5px; background-repeat: no-repeat; }
  textarea { resize: vertical; }
  input:focus, select:focus, textarea:focus { border-color: var(--ib-accent); outline: none; box-shadow: var(--ib-focus); }
  .segmented { display: inline-flex; padding: 2px; border: 1px solid var(--ib-line); border-radius: var(--ib-radius); background: var(--ib-bg-soft); gap: 2px; }
  .segmented button { white-space: nowrap; border: 0; background: transparent; padding: 4px 10px; border-radius: 6px; cursor: pointer; color: var(--ib-text-soft); font-weight: 500; }
  .segmented button[aria-pressed='true'] { background: var(--ib-bg); color: var(--ib-text); box-shadow: 0 1px 2px rgb(0 0 0 / 0.12); }
  .badge { display: inline-grid; place-items: center; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px; background: var(--ib-accent); color: var(--ib-accent-text); font-size: 12px; font-weight: 700; }
  .pill { display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border-radius: 10px; background: var(--ib-bg-hover); color: var(--ib-text-soft); font-size: 12px; white-space: nowrap; }
  .pill.open { background: #e6f4ea; color: #137a4b; }
  .pill.pending { background: #fff4e0; color: #8a5300; }
  .pill.closed { background: var(--ib-bg-hover); color: var(--ib-text-soft); }
  @media (prefers-color-scheme: dark) {
    .pill.open { background: #173325; color: #5fd39a; }
    .pill.pending { background: #3a2c12; color: #f3c26b; }
  }
  .avatar { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 50%; background: var(--ib-accent-soft); color: var(--ib-accent); font-size: 12px; font-weight: 700; overflow: hidden; flex: none; position: relative; }
  .avatar img { width: 100%; height: 100%; object-fit: cover; position: absolute; inset: 0; }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--ib-line-strong); display: inline-block; flex: none; }
  .dot.on { background: #22a559; }
  .muted { color: var(--ib-text-soft); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  h1, h2, h3 { margin: 0; line-height: 1.25; }
  h2 { font-size: 16px; }
  h3 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--ib-text-soft); }
`;

/** A view that fills the space beside the rail (callbacks, content...): its scrolling page and title. */
export const viewStyles = css`
  :host { display: flex; flex-direction: column; min-height: 0; min-width: 0; background: var(--ib-bg-soft); overflow: auto; }
  header h2 { font-size: 20px; }
`;

/** Initials of a name, for an avatar without a picture. */
export const initials = (name: string) =>
  name
    .split(/[\s@._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';

/** "14:05" today, "Mon 14:05" this week, else "3 Nov". */
export function when(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (days < 6) return d.toLocaleDateString([], { weekday: 'short' }) + ' ' + d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

/** A page address shortened for a list: host and path. */
export const shortUrl = (url: string | null) => {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url;
  }
};

/** A size in bytes as people read it. */
export const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);
