import { Emitter } from '../emitter.js';
import type { Store } from '../state/store.js';
import type { CloseSource } from '../state/events.js';
import type { ChatMessage, PendingFeature, TicketFormDef, VisitorIdentity, WidgetState } from '../state/types.js';
import type { CobrowsePort } from './features/cobrowse.js';
import type { HelpPort } from './features/help.js';
import type { IdentityPort } from './features/identity.js';
import type { LifecyclePort } from './features/lifecycle.js';
import type { MessagingPort } from './features/messaging.js';
import type { SchedulePort } from './features/schedule.js';
import type { TicketsPort } from './features/tickets.js';

/** Notifications that are not a change of state (state changes become events by diffing snapshots). */
export interface CommandNotices {
  identify: { identity: VisitorIdentity };
  error: { code: string; message: string };
  track: { name: string; data: Record<string, unknown> };
  /** The visitor (or the page on their behalf) opened, typed or sent: storage may now be written. */
  interaction: Record<string, never>;
}

/**
 * What the commands ask of the server: one port per feature, each declared
 * beside the feature that uses it; src/runtime/ports.ts implements them over a ChatClient.
 */
export type Ports = MessagingPort & IdentityPort & TicketsPort & HelpPort & SchedulePort & CobrowsePort & LifecyclePort;

/** What one feature calls of the others (the dispatcher provides them; named here so that each feature's type stands alone). */
export interface Cross {
  show(): void;
  openWith(patch: Partial<WidgetState>): void;
  hide(): void;
  sendMessage(input: unknown): ChatMessage;
  /** Starts the chat on the picked topic, then sends `message` in it (the visitor's first message). */
  startChatWith(message: ChatMessage): void;
  /** The visitor's message opened a conversation outside a topic: it is the chat now (End chat, rating). */
  adoptChat(): void;
  receive(incoming: readonly ChatMessage[], patch?: Partial<WidgetState>): void;
  replaceMessages(messages: readonly ChatMessage[], earlier?: string | null): void;
  uploadProgress(upload: WidgetState['upload']): void;
  formsLoaded(forms: readonly TicketFormDef[]): void;
  searchHelp(query: string): Promise<boolean>;
}

export interface CommandsOptions {
  /** Asked before a close that the visitor starts (the element fires the cancelable `chat-request-close`); false vetoes. */
  requestClose?: (source: CloseSource) => boolean;
}

/**
 * What every feature shares: the store (only the commands write it), the
 * notices, the connected ports, and `run`, which runs a server task under the
 * feature's own pending flag.
 */
export class Core {
  readonly notices = new Emitter<CommandNotices>();
  port: Ports | null = null;

  constructor(
    readonly store: Store<WidgetState>,
    readonly options: CommandsOptions,
  ) {}

  get state(): WidgetState {
    return this.store.state;
  }

  /** Reports a failure to the page as `chat-error`. */
  error(code: string, message: string): void {
    this.notices.emit('error', { code, message });
  }

  #pending(feature: PendingFeature, on: boolean, patch: Partial<WidgetState> = {}): void {
    this.store.update((s) => {
      const pending = Object.freeze({ ...s.pending, [feature]: on });
      return { ...patch, pending, busy: Object.values(pending).some(Boolean) };
    });
  }

  /**
   * Runs a server task of one feature: refused (false) without a server or while
   * the same feature waits; a failure shows as a notice and a `chat-error`.
   */
  async run(feature: PendingFeature, task: (port: Ports) => Promise<void>): Promise<boolean> {
    if (!this.port || this.state.pending[feature]) return false;
    this.#pending(feature, true, { notice: null });
    try {
      await task(this.port);
      return true;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      this.store.update({ notice: { kind: 'error', text: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) } });
      this.error(e.code ?? 'failed', e.message ?? String(error));
      return false;
    } finally {
      this.#pending(feature, false);
    }
  }
}

export const lang = (s: WidgetState): string => s.locale || 'en';
