import { css } from 'lit';

export const launcherStyles = css`
  :host {
    display: inline-block;
    --_size: var(--_launcher-size);
  }
  button {
    position: relative;
    display: grid;
    place-items: center;
    inline-size: var(--_size);
    block-size: var(--_size);
    padding: 0;
    border: none;
    border-radius: 50%;
    background: var(--_brand);
    color: var(--_brand-contrast);
    box-shadow: var(--_shadow);
    cursor: pointer;
    font: inherit;
    transition: transform 160ms ease;
  }
  button:hover {
    transform: scale(1.05);
  }
  button:focus-visible {
    outline: 3px solid var(--_brand);
    outline-offset: 3px;
  }
  svg {
    inline-size: 45%;
    block-size: 45%;
    fill: currentColor;
  }
  [part='badge'] {
    position: absolute;
    inset-block-start: -4px;
    inset-inline-end: -4px;
    min-inline-size: 22px;
    block-size: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: #b91c1c;
    color: #ffffff;
    font-size: 12px;
    font-weight: 700;
    line-height: 22px;
    text-align: center;
  }
`;
