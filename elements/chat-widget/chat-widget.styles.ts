import { css } from 'lit';

/** The panel and the preview card. */
export const widgetStyles = css`
  [part='panel'] {
    inline-size: min(var(--_panel-width), calc(100vw - 2 * var(--_offset-x)));
    block-size: min(var(--_panel-height), calc(100vh - var(--_launcher-size) - 2 * var(--_offset-y) - 24px));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    box-shadow: var(--_shadow);
    transform-origin: bottom right;
    animation: panel-in 180ms ease-out;
  }
  :host([position='left']) [part='panel'] {
    transform-origin: bottom left;
  }
  [part='preview'] {
    position: relative;
    display: block;
    inline-size: min(300px, calc(100vw - 2 * var(--_offset-x)));
    padding: 12px 40px 12px 14px;
    padding-inline: 14px 40px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: var(--_shadow);
    text-align: start;
    font: inherit;
    cursor: pointer;
    animation: panel-in 180ms ease-out;
  }
  [part='preview'] .author {
    display: block;
    font-size: 13px;
    font-weight: 600;
    color: var(--_muted);
  }
  [part='preview'] .text {
    display: -webkit-box;
    -webkit-line-clamp: 3;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }
  .preview-wrap {
    position: relative;
  }
  .dismiss {
    position: absolute;
    inset-block-start: 6px;
    inset-inline-end: 6px;
    inline-size: 28px;
    block-size: 28px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: transparent;
    color: var(--_muted);
    font-size: 18px;
    line-height: 1;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 2px;
  }
  :host([embedded]) [part='panel'] {
    inline-size: 100%;
    block-size: 100%;
    animation: none;
    box-shadow: none;
  }
  @media (max-width: 767px) {
    :host(:not([embedded])[open]) [part='panel'] {
      position: fixed;
      inset: 0;
      /* The visual viewport: the composer stays above the on-screen keyboard. */
      inset-block-start: var(--_vv-top, 0);
      inset-block-end: auto;
      inline-size: auto;
      block-size: var(--_vv-height, 100dvh);
      border: none;
      border-radius: 0;
      padding-block-start: env(safe-area-inset-top);
      padding-inline: env(safe-area-inset-left) env(safe-area-inset-right);
    }
    :host(:not([embedded])[open]) .launcher {
      display: none;
    }
  }
  /* Movement only, no fade: the header's text keeps its contrast while the panel comes in. */
  @keyframes panel-in {
    from {
      transform: translateY(12px) scale(0.97);
    }
  }
`;
