import { adoptStyles } from '@lit/reactive-element/css-tag.js';
import { msg } from '@lit/localize';
import { baseStyles, tokenStyles } from '../shared/base.styles.js';
import { directionOf } from '../shared/localize.js';
import { launcherStyles } from '../chat-launcher/chat-launcher.styles.js';
import { chatIconPath } from '../chat-launcher/icons.js';
import { hostStyles } from './host.styles.js';

/**
 * The script tag's launcher, painted before the elements' code arrives: the
 * same shadow structure, styles and attributes as `<chat-widget>` renders, in
 * plain DOM, so that a page shows the bubble in its first frame. When the
 * elements are defined, `<chat-widget>` upgrades in place and replaces it.
 *
 * Returns the pre-painted button (null when embedded or the launcher is hidden).
 */
export function prepaint(widget: HTMLElement): HTMLButtonElement | null {
  if (widget.shadowRoot || widget.hasAttribute('embedded')) return null;
  const locale = widget.getAttribute('locale') ?? '';
  if (locale && !widget.hasAttribute('dir')) widget.setAttribute('dir', directionOf(locale));
  const brand = widget.getAttribute('brand-color');
  if (brand) widget.style.setProperty('--chat-brand', brand);

  const root = widget.attachShadow({ mode: 'open' });
  adoptStyles(root, [baseStyles, tokenStyles, hostStyles]);
  const wrap = document.createElement('div');
  wrap.className = 'launcher';
  wrap.hidden = widget.hasAttribute('launcher-hidden');
  const slot = document.createElement('slot');
  slot.name = 'launcher';
  const launcher = document.createElement('chat-launcher');
  launcher.setAttribute('exportparts', 'launcher, badge');
  launcher.setAttribute('theme', widget.getAttribute('theme') || 'auto');
  slot.append(launcher);
  wrap.append(slot);
  root.append(wrap);

  const inner = launcher.attachShadow({ mode: 'open' });
  adoptStyles(inner, [baseStyles, tokenStyles, launcherStyles]);
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('part', 'launcher');
  button.setAttribute('aria-label', msg('Open chat'));
  button.setAttribute('aria-expanded', 'false');
  const NS = 'http://www.w3.org/2000/svg';
  const icon = document.createElementNS(NS, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', chatIconPath);
  icon.append(path);
  button.append(icon);
  inner.append(button);
  return button;
}
