import type { Commands } from '../commands/commands.js';
import type { ChatClient } from '../client/chat-client.js';
import type { ConsentStorage } from '../client/consent-storage.js';
import type { Store } from '../state/store.js';
import type { WidgetState } from '../state/types.js';

type TabMessage = { type: 'open'; open: boolean } | { type: 'read' } | { type: 'session'; token: string };

/**
 * Keeps this site's tabs in step (BroadcastChannel): opening and closing, the
 * unread count, and one shared session, so that there is one conversation.
 * New messages reach every tab through its own realtime stream of that session.
 * Nothing is shared when the page keeps nothing (`storage="none"`).
 *
 * The session is created once for all tabs: the client reads the stored session,
 * creates one and stores it under a `navigator.locks` lock, so that a tab that
 * connects while another creates the session waits, then resumes it. A tab that
 * connected before (with a session of its own, not stored: the visitor had not
 * interacted yet) adopts the stored one once it may keep it (`shareSession`), and
 * every tab that may keep its session tells the others its token, which they adopt.
 * What another tab says becomes commands here (the store is only read).
 */
export function syncTabs(store: Store<WidgetState>, commands: Commands, client: ChatClient, storage: ConsentStorage): () => void {
  if (typeof BroadcastChannel === 'undefined' || storage.policy === 'none') return () => {};
  const channel = new BroadcastChannel(`chat-widget:${client.publicKey}`);
  let applying = false;
  let closed = false;
  /** Tells the other tabs; `echo` false: not while applying what another tab said. */
  const post = (message: TabMessage, echo = false) => {
    if (!closed && (echo || !applying)) channel.postMessage(message);
  };
  const offStore = store.subscribe((next, prev) => {
    if (next.open !== prev.open) post({ type: 'open', open: next.open });
    if (next.unreadCount === 0 && prev.unreadCount > 0) post({ type: 'read' });
  });
  // Once this tab may keep its session: the stored one wins, else this one is stored; the others take it over.
  const offAllow = storage.onAllow(() => {
    void client.shareSession().then((token) => {
      if (token) post({ type: 'session', token }, true);
    });
  });
  // A session created or resumed once allowed (the first interaction connects): the others take it over.
  const offConnected = client.on('chat.connected', ({ chat }) => {
    if (!chat && storage.allowed && client.sessionToken) post({ type: 'session', token: client.sessionToken }, true);
  });
  channel.onmessage = ({ data }: MessageEvent<TabMessage>) => {
    applying = true;
    try {
      if (data.type === 'open') {
        if (data.open) commands.show();
        else commands.hide();
      } else if (data.type === 'read') {
        commands.readElsewhere();
      } else if (data.type === 'session') {
        // Adopt first (so that this tab, allowed now, stores the shared token, not its own).
        void client.adoptSession(data.token).catch(() => {});
        storage.allow();
      }
    } finally {
      applying = false;
    }
  };
  return () => {
    offStore();
    offAllow();
    offConnected();
    closed = true;
    channel.close();
  };
}
