import { css } from 'lit';

/** The host and its corner: all that the script tag's pre-painted launcher needs. */
export const hostStyles = css`
  :host {
    position: fixed;
    z-index: var(--_z-index);
    inset-block-end: var(--_offset-y);
    inset-inline-end: var(--_offset-x);
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 12px;
    font-size: 15px;
    line-height: 1.45;
    pointer-events: none;
  }
  :host([position='left']) {
    inset-inline-end: auto;
    inset-inline-start: var(--_offset-x);
    align-items: flex-start;
  }
  :host > * {
    pointer-events: auto;
  }
  :host([embedded]) {
    position: relative;
    inset: auto;
    z-index: auto;
    display: block;
    /* The container's height (a container with none gets at least 360px; --chat-panel-height sets one). */
    block-size: var(--chat-panel-height, 100%);
    min-block-size: min(360px, 100%);
    pointer-events: auto;
  }
  @media (max-width: 767px) {
    :host([hide-on-mobile]) {
      display: none !important;
    }
  }
`;
