import { useRef, useState } from 'react';
import { ChatWidget } from 'chat-widget/react';
import type { ChatWidget as ChatWidgetElement } from 'chat-widget';

/**
 * A React 19 app using the widget as React users do: the `ChatWidget` component of
 * `chat-widget/react` (props, a ref to its methods, `onChat...` event props), and one
 * `<chat-launcher>` rendered by React itself (typed by chat-widget/react's JSX typings).
 */
export function App({ publicKey, api }: { publicKey: string; api: string }) {
  const chat = useRef<ChatWidgetElement>(null);
  const [theme, setTheme] = useState<'light' | 'dark'>('dark');
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(0);
  const [lastSent, setLastSent] = useState('');
  return (
    <main>
      <h1>React app</h1>
      <button id="open" type="button" onClick={() => chat.current?.show()}>
        Open chat
      </button>
      <button id="send" type="button" onClick={() => chat.current?.sendMessage('Hello from React')}>
        Send hello
      </button>
      <button id="light" type="button" onClick={() => setTheme('light')}>
        Light theme
      </button>
      <p id="status">Chat is {open ? 'open' : 'closed'}</p>
      <p id="shown">Shown: {shown}</p>
      <p id="last-sent">{lastSent ? `You sent: ${lastSent}` : 'Nothing sent yet'}</p>
      <ChatWidget
        id="support"
        ref={chat}
        publicKey={publicKey}
        api={api}
        theme={theme}
        onChatShow={() => {
          setOpen(true);
          setShown((n) => n + 1);
        }}
        onChatHide={() => setOpen(false)}
        onChatMessageSent={(e) => setLastSent(e.detail.message.content)}
      />
      {/* React 19 renders the custom element itself. */}
      <chat-launcher id="own-launcher" for="support" label="Ask us" theme={theme} />
    </main>
  );
}
