import type { Commands, Features } from './commands.js';

/**
 * The registry: the canonical commands that the page may call by name (the
 * element's methods, DESIGN section 4, and the dialects), by the feature that
 * holds each. COMMAND_NAMES, `dispatch` and the dialects' aliases come from it;
 * the element declares one method per name (checked where it is declared).
 */
export const REGISTRY = {
  panel: ['show', 'hide', 'toggle', 'showLauncher', 'hideLauncher', 'setTheme', 'configure'],
  messaging: ['showNewMessage', 'setMessageText', 'sendMessage', 'showAgentMessage', 'markRead'],
  identity: ['setSessionData', 'setSegments', 'setConversationFields', 'trackEvent', 'identify', 'identityToken', 'resetSession'],
  tickets: ['showTicketForm', 'setTicketFormFields', 'setVisibleTicketForms'],
  help: ['openHelp', 'openArticle'],
  schedule: ['openScheduling'],
} as const satisfies { [F in keyof Features]?: readonly (keyof Features[F])[] };

export type CommandName = (typeof REGISTRY)[keyof typeof REGISTRY][number];

/** The canonical command names that the dialects may call by name. */
export const COMMAND_NAMES: readonly CommandName[] = Object.values(REGISTRY).flat();

/** The one dispatcher: runs a canonical command by name. */
export function dispatch(commands: Commands, name: string, ...args: unknown[]): unknown {
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
    throw new TypeError(`chat-widget: unknown command ${JSON.stringify(name)}; known: ${COMMAND_NAMES.join(', ')}`);
  }
  return (commands[name as CommandName] as (...a: unknown[]) => unknown)(...args);
}
