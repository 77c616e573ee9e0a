import type { Commands } from '../commands/commands.js';
import type { ChatClient } from './chat-client.js';
import type { ConsentStorage } from './consent-storage.js';

type TabMessage = { type: 'open'; open: boolean } | { type: 'read' } | { type: 'session'; token: string };

/**
 * Keeps this site's tabs in step (BroadcastChannel): opening and closing, the
 * unread count, and one shared session, so that there is one conversation.
 * New messages reach every tab through its own realtime stream of that session.
 * Nothing is shared when the page keeps nothing (`storage="none"`).
 */
export function syncTabs(commands: Commands, client: ChatClient, storage: ConsentStorage): () => void {
  if (typeof BroadcastChannel === 'undefined' || storage.policy === 'none') return () => {};
  const channel = new BroadcastChannel(`chat-widget:${client.publicKey}`);
  let applying = false;
  const post = (message: TabMessage) => {
    if (!applying) channel.postMessage(message);
  };
  const offStore = commands.store.subscribe((next, prev) => {
    if (next.open !== prev.open) post({ type: 'open', open: next.open });
    if (next.unreadCount === 0 && prev.unreadCount > 0) post({ type: 'read' });
  });
  // Once this tab may keep its session, the others take it over.
  const offAllow = storage.onAllow(() => {
    if (client.sessionToken) post({ type: 'session', token: client.sessionToken });
  });
  channel.onmessage = ({ data }: MessageEvent<TabMessage>) => {
    applying = true;
    try {
      if (data.type === 'open') {
        if (data.open) commands.show();
        else commands.hide();
      } else if (data.type === 'read') {
        commands.store.update({ unreadCount: 0, preview: null });
      } else if (data.type === 'session') {
        storage.allow();
        void client.adoptSession(data.token);
      }
    } finally {
      applying = false;
    }
  };
  return () => {
    offStore();
    offAllow();
    channel.close();
  };
}
