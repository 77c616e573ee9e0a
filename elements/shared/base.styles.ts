import { css, unsafeCSS } from 'lit';
import light from '../../themes/light.css?tokens';
import dark from '../../themes/dark.css?tokens';

/** Shared by every element: box model, `[hidden]`, reduced motion. */
export const baseStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
`;

/**
 * The theme tokens: light by default, dark for theme="dark" and for
 * theme="auto" when the system prefers dark. Each public --chat-* property is
 * resolved once into a private --_* property that the styles use.
 */
export const tokenStyles = css`
  :host {
    ${unsafeCSS(light)}
  }
  :host([theme='dark']) {
    ${unsafeCSS(dark)}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']),
    :host(:not([theme])) {
      ${unsafeCSS(dark)}
    }
  }
  :host {
    --_brand: var(--chat-brand, var(--_theme-brand));
    --_brand-contrast: var(--chat-brand-contrast, var(--_theme-brand-contrast));
    --_bg: var(--chat-bg, var(--_theme-bg));
    --_fg: var(--chat-fg, var(--_theme-fg));
    --_muted: var(--chat-muted, var(--_theme-muted));
    --_border: var(--chat-border, var(--_theme-border));
    --_surface: var(--chat-surface, var(--_theme-surface));
    --_error: var(--chat-error, var(--_theme-error));
    --_shadow: var(--chat-shadow, var(--_theme-shadow));
    --_radius: var(--chat-radius, 16px);
    --_font: var(--chat-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_z-index: var(--chat-z-index, 2147483000);
    --_launcher-size: var(--chat-launcher-size, 56px);
    --_panel-width: var(--chat-panel-width, 380px);
    --_panel-height: var(--chat-panel-height, 640px);
    --_offset-x: var(--chat-offset-x, 20px);
    --_offset-y: var(--chat-offset-y, 20px);
    font-family: var(--_font);
    color: var(--_fg);
  }
`;
