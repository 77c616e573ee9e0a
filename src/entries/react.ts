/**
 * chat-widget/react: `<ChatWidget>` and `<ChatLauncher>` as React components, made with
 * `@lit/react`. Properties go to the element as properties (objects and booleans as they
 * are), each `chat-*` event is an `onChat...` prop with its typed detail, and a ref reaches
 * the element and its methods. Works with React 18 and 19. (React 19 can also render
 * `<chat-widget>` itself: the JSX typings for that are in `chat-widget/jsx`.)
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { ChatWidget as ChatWidgetElement } from '../../elements/chat-widget/chat-widget.js';
import { ChatLauncher as ChatLauncherElement } from '../../elements/chat-launcher/chat-launcher.js';
import { CHAT_EVENT_NAMES, type ChatEventDetails } from '../state/events.js';
import './index.js';

type Pascal<S extends string> = S extends `${infer H}-${infer T}` ? `${Capitalize<H>}${Pascal<T>}` : Capitalize<S>;
/** `chat-message-sent` → `onChatMessageSent`. */
type PropName<K extends string> = `on${Pascal<K>}`;
type ChatEventProps = { [K in keyof ChatEventDetails as PropName<K>]: EventName<CustomEvent<ChatEventDetails[K]>> };

const propName = (name: string) => `on${name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
const events = Object.fromEntries(CHAT_EVENT_NAMES.map((name) => [propName(name), name])) as unknown as ChatEventProps;

/** The messenger. `ref` gives the `<chat-widget>` element: `ref.current.show()`, `ref.current.sendMessage('Hi')`... */
export const ChatWidget = createComponent({ tagName: 'chat-widget', elementClass: ChatWidgetElement, react: React, events, displayName: 'ChatWidget' });

/** A launcher of your own, placed anywhere (`for` names the widget's id), or in the widget's `launcher` slot. */
export const ChatLauncher = createComponent({ tagName: 'chat-launcher', elementClass: ChatLauncherElement, react: React, displayName: 'ChatLauncher' });

export type { ChatEventDetails };
export type ChatWidgetElementType = ChatWidgetElement;
