/**
 * chat-widget: the package entry. Importing it defines `<chat-widget>` and
 * `<chat-launcher>` (if not defined already) and exports their classes, the
 * headless core and the theme-independent types.
 */
import { setRecorderLoader, type RecorderModule } from '../client/cobrowse.js';

// Co-browsing's recorder: a chunk of its own, loaded only when a visitor agrees to share.
setRecorderLoader(() => import('@rrweb/record') as unknown as Promise<RecorderModule>);

export { setRecorderLoader };
export { ChatWidget } from '../../elements/chat-widget/chat-widget.js';
export { ChatLauncher } from '../../elements/chat-launcher/chat-launcher.js';
export type { ChatEvents } from '../../elements/shared/events.js';
export { Commands, COMMAND_NAMES, dispatch, type WidgetOptions, type IdentityInput } from '../commands/commands.js';
export { Store } from '../state/store.js';
export { ChatClient, ChatError, type ChatClientOptions, type ChatClientEvents, type MessagePage } from '../client/chat-client.js';
export { bindClient } from '../runtime/bind.js';
export { stateContext, commandsContext } from '../context.js';
export type { ChatEventDetails, ChatEventName, ChatMessageDetail, ChatIdentifyDetail, ChatThemeDetail, ChatRequestCloseDetail, CloseSource } from '../state/events.js';
export type { ChatMessage, WidgetState, Theme, Position, VisitorIdentity, ConnectionState } from '../state/types.js';
