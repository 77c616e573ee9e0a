import { createContext } from '@lit/context';
import type { Commands } from './commands/commands.js';
import type { WidgetState } from './state/types.js';

/** The widget's current snapshot. `Symbol.for` so two copies of the bundle on one page agree. */
export const stateContext = createContext<WidgetState>(Symbol.for('chat-widget/state'));

/** The canonical commands of the widget that provides them. */
export const commandsContext = createContext<Commands>(Symbol.for('chat-widget/commands'));
