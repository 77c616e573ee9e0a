import type { Commands } from '../commands/commands.js';
import type { ChatClient } from '../client/chat-client.js';
import { clientPorts, toIdentity } from './ports.js';

/**
 * Connects the widget's commands to a ChatClient: the commands reach the
 * server through the client (src/runtime/ports.ts), and what the server says
 * becomes commands, which make the new snapshots. Returns a function that undoes it.
 */
export function bindClient(commands: Commands, client: ChatClient): () => void {
  let lifecycleLoaded = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const disconnect = commands.connect(clientPorts(client));
  const offs = [
    client.on('chat.connected', ({ sessionId, unreadCount, chat, team, booking, appearance }) => {
      if (chat) return; // a chat of the lifecycle: handled where it was created
      commands.connected(sessionId, unreadCount, { team: team ?? [], booking: !!booking, ...(appearance ? { appearance } : {}) });
    }),
    client.on('chat.history', () => {
      if (!lifecycleLoaded) {
        lifecycleLoaded = true;
        void commands.sessionLoaded();
      }
    }),
    client.on('chat.updated', ({ chat }) => commands.chatUpdated(chat.id, chat.status)),
    client.on('chat.upload', (upload) => commands.uploadProgress(upload)),
    client.on('chat.typingStarted', ({ name }) => {
      commands.typing(name ?? '');
      // An indicator that is not renewed goes away.
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => commands.typing(null), 6000);
    }),
    client.on('chat.read', ({ messageId }) => commands.readUpTo(messageId)),
    client.on('chat.answerStarted', ({ answerId, sources }) => commands.answerStarted(answerId, sources)),
    client.on('chat.answerDelta', ({ answerId, text }) => commands.answerDelta(answerId, text)),
    client.on('chat.answerEnded', ({ answerId }) => commands.answerEnded(answerId)),
    client.on('chat.typingEnded', () => {
      clearTimeout(typingTimer);
      commands.typing(null);
    }),
    client.on('chat.reset', () => {
      lifecycleLoaded = false;
      commands.chatReset();
    }),
    client.on('chat.switched', ({ unreadCount }) => {
      // Another person now: their history and lifecycle load next.
      lifecycleLoaded = false;
      clearTimeout(typingTimer);
      commands.switched(unreadCount);
    }),
    client.on('chat.history', ({ messages, earlier }) => commands.replaceMessages(messages, earlier)),
    client.on('chat.message', ({ message }) => commands.receive([message])),
    client.on('chat.status', ({ connection }) => commands.connectionChanged(connection)),
    client.on('chat.availability', ({ available }) => commands.availabilityChanged(available)),
    client.on('chat.identified', ({ contact, verified }) => commands.identified(toIdentity(contact, verified))),
    client.on('chat.error', ({ code, message }) => commands.error(code, message)),
  ];
  return () => {
    clearTimeout(typingTimer);
    offs.forEach((off) => off());
    disconnect();
  };
}
