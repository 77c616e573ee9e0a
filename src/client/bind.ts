import type { Commands, IdentityInput } from '../commands/commands.js';
import type { VisitorIdentity } from '../state/types.js';
import type { ChatClient, ClientContact } from './chat-client.js';

const toIdentity = (c: ClientContact, verified: boolean): VisitorIdentity => {
  const out: Record<string, unknown> = { verified };
  for (const key of ['external_id', 'email', 'name', 'phone', 'company', 'avatar_url'] as const) {
    if (c[key]) out[key] = c[key];
  }
  if (c.custom_data && Object.keys(c.custom_data).length) out['custom_data'] = c.custom_data;
  return Object.freeze(out) as VisitorIdentity;
};

/**
 * Connects the widget's commands to a ChatClient: what the visitor does goes
 * to the server through the client, and what the server says becomes new
 * snapshots. Returns a function that undoes it.
 */
export function bindClient(commands: Commands, client: ChatClient): () => void {
  const { store } = commands;
  commands.remote = {
    send: (message, conversationFields) => {
      void client.sendTextMessage(message.content, { clientId: message.clientId ?? message.id, createdAt: message.createdAt, conversationFields });
    },
    markRead: () => void client.markRead(),
    identify: async (identity: IdentityInput) => {
      await client.identify(identity);
    },
    identityToken: () => client.identityToken(),
    reset: () => client.resetSession(),
    track: (name, data) => void client.trackEvent(name, data).catch(() => {}),
  };
  const offs = [
    client.on('chat.connected', ({ sessionId, unreadCount }) => {
      store.update((s) => ({ sessionId, ...(s.open ? {} : { unreadCount }) }));
    }),
    client.on('chat.history', ({ messages }) => commands.replaceMessages(messages)),
    client.on('chat.message', ({ message }) => commands.receive([message])),
    client.on('chat.status', ({ connection }) => store.update({ connection })),
    client.on('chat.availability', ({ available }) => store.update({ available })),
    client.on('chat.identified', ({ contact, verified }) => {
      const identity = toIdentity(contact, verified);
      store.update({ user: identity });
      commands.notices.emit('identify', { identity });
    }),
    client.on('chat.error', ({ code, message }) => commands.error(code, message)),
  ];
  return () => {
    offs.forEach((off) => off());
    if (commands.remote) commands.remote = null;
  };
}
