import type { Position, Theme, WidgetState } from '../../state/types.js';
import type { CloseSource } from '../../state/events.js';
import type { Core, Cross } from '../core.js';
import * as v from '../validate.js';

export const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];
export const POSITIONS: readonly Position[] = ['right', 'left'];

/** What `configure()` accepts; every key is optional, unknown keys are refused. */
export interface WidgetOptions {
  theme?: Theme;
  position?: Position;
  locale?: string;
  brandColor?: string;
  muted?: boolean;
  hideOnMobile?: boolean;
  launcherHidden?: boolean;
  zIndex?: number | null;
  title?: string;
  /** The line the messenger greets visitors with (over the workspace's, set in the inbox). */
  greeting?: string;
}

const OPTION_CHECKS: { [K in keyof Required<WidgetOptions>]: (value: unknown) => Partial<WidgetState> } = {
  theme: (x) => ({ theme: v.oneOf('configure({theme})', x, THEMES) }),
  position: (x) => ({ position: v.oneOf('configure({position})', x, POSITIONS), positionChosen: true }),
  locale: (x) => ({ locale: v.locale('configure({locale})', x) }),
  brandColor: (x) => ({ brandColor: v.color('configure({brandColor})', x) }),
  muted: (x) => ({ muted: v.boolean('configure({muted})', x) }),
  hideOnMobile: (x) => ({ hideOnMobile: v.boolean('configure({hideOnMobile})', x) }),
  launcherHidden: (x) => ({ launcherVisible: !v.boolean('configure({launcherHidden})', x) }),
  zIndex: (x) => {
    if (x !== null && !Number.isInteger(x)) v.fail('configure({zIndex})', 'expected an integer or null', x);
    return { zIndex: x as number | null };
  },
  title: (x) => ({ title: v.string('configure({title})', x, { max: 200 }) }),
  greeting: (x) => ({ greeting: v.string('configure({greeting})', x, { max: 500 }) }),
};

/** The panel: open and closed, the launcher, the options, the view shown. */
export const panel = (core: Core, c: Cross) => ({
  show(): void {
    c.openWith({});
  },

  /** Opens the panel with `patch` (a view, a draft...) in the same snapshot; the messages are read. */
  openWith(patch: Partial<WidgetState>): void {
    core.notices.emit('interaction', {});
    const hadUnread = core.state.unreadCount > 0;
    core.store.update({ ...patch, open: true, unreadCount: 0, preview: null });
    if (hadUnread) core.port?.markRead();
  },

  hide(): void {
    if (core.state.embedded) return;
    core.store.update({ open: false });
  },

  toggle(): void {
    if (core.state.open) c.hide();
    else c.show();
  },

  /** A close that the visitor starts: cancelable (`chat-request-close`). Returns whether it closed. */
  requestClose(source: CloseSource): boolean {
    if (!core.state.open || core.state.embedded) return false;
    if (core.options.requestClose && !core.options.requestClose(source)) return false;
    c.hide();
    return true;
  },

  showLauncher(): void {
    core.store.update({ launcherVisible: true });
  },

  hideLauncher(): void {
    core.store.update({ launcherVisible: false });
  },

  setTheme(theme: unknown): void {
    core.store.update({ theme: v.oneOf('setTheme(theme)', theme, THEMES) });
  },

  /** Applies several options at once; all are checked before any is applied. */
  configure(options: unknown): void {
    const given = v.plainObject('configure(options)', options);
    let patch: Partial<WidgetState> = {};
    for (const [key, value] of Object.entries(given)) {
      const check = OPTION_CHECKS[key as keyof WidgetOptions];
      if (!check) {
        v.fail('configure(options)', `unknown option "${key}"; known: ${Object.keys(OPTION_CHECKS).join(', ')}`, options);
      }
      patch = { ...patch, ...check(value) };
    }
    core.store.update(patch);
  },

  /** Internal: attributes of the element that only it may set. */
  setEmbedded(embedded: boolean): void {
    core.store.update(embedded ? { embedded, open: true, unreadCount: 0, preview: null } : { embedded });
  },

  /** Opens the panel on the conversation (the preview card of an operator's reply), not the view shown before. */
  showConversation(): void {
    c.openWith({ view: 'conversation' });
  },

  /** Hides the preview card; the messages stay unread. */
  dismissPreview(): void {
    core.store.update({ preview: null });
  },

  /**
   * The messenger's "Messages" place: the conversation once there is one (or when there is no
   * topic to pick), else the topic picker, or the email form after hours.
   */
  showMessages(): void {
    const s = core.state;
    const view = s.chat || s.messages.length || !s.topics.length ? 'conversation' : s.afterHours ? 'email' : 'topics';
    core.store.update({ view, notice: null });
  },

  /** Shows one of the panel's views. */
  setView(view: WidgetState['view']): void {
    core.store.update({ view, notice: null });
  },

  dismissNotice(): void {
    core.store.update({ notice: null });
  },
});
