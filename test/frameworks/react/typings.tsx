// What the typings refuse. Each element below must be a type error: tsc fails on an
// unused expect-error directive, so this proves the typings are in force, not absent.
import { ChatWidget } from 'chat-widget/react';

export const wrong = [
  // @ts-expect-error: 'purple' is not a theme.
  <ChatWidget theme="purple" />,
  // @ts-expect-error: the detail of chat-message-sent has no `text`.
  <ChatWidget onChatMessageSent={(e) => e.detail.text} />,
  // @ts-expect-error: not a theme, on the element React renders itself.
  <chat-launcher theme="purple" />,
  // @ts-expect-error: `open` is a boolean.
  <chat-widget open="yes" />,
];
