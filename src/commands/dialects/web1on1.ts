import { guard, type WidgetHandle } from './handle.js';

export interface Web1on1Api {
  open(): void;
  close(): void;
  isOpen(): boolean;
  isOpened(): boolean;
  setPredefinedMessage(text: string): void;
  api: {
    showFakeAgentMessage(text: string, name?: string): void;
    sendClientMessage(text: string): void;
  };
}

/**
 * The web1on1 dialect: `web1on1.open()`, `close()` (no-ops when embedded),
 * `isOpen()`/`isOpened()`, `setPredefinedMessage()`, and `api` with
 * `showFakeAgentMessage` and `sendClientMessage` (a `>cs ` message is a
 * command for the server, never a chat bubble).
 */
export function installWeb1on1(target: { web1on1?: Web1on1Api }, widget: WidgetHandle): Web1on1Api {
  const c = widget.commands;
  const api: Web1on1Api = {
    open: () => void guard('web1on1', 'open', () => c.show()),
    close: () => void guard('web1on1', 'close', () => c.hide()),
    isOpen: () => c.state.open,
    isOpened: () => c.state.open,
    setPredefinedMessage: (text) => void guard('web1on1', 'setPredefinedMessage', () => c.setMessageText(text)),
    api: {
      showFakeAgentMessage: (text, name) => void guard('web1on1', 'api.showFakeAgentMessage', () => c.showAgentMessage(text, name)),
      sendClientMessage: (text) => void guard('web1on1', 'api.sendClientMessage', () => c.sendClientMessage(text)),
    },
  };
  target.web1on1 = api;
  return api;
}
