/**
 * The visitor's realtime stream (`GET /stream`, Server-Sent Events read through fetch): opened from
 * the last event id seen (Last-Event-ID), so that a reconnection fills the gap; reopened with back-off
 * when it ends or fails; each event dispatched as the client's event.
 */
import type { VisitorStreamEvent } from '../protocol/index.js';
import type { Core } from './core.js';
import { ChatError, toChatError } from './http.js';
import { readEventStream } from './sse.js';
import type { ServerMessage } from './wire.js';

export interface RealtimeHooks {
  /** The server answered 401: renew the session (which reopens the stream). */
  renew(): Promise<void>;
  /** The stream is open (its `ready` event). */
  ready(): void;
  /** The session's identity changed (`session.switched`): ours, or another tab's. */
  switched(switched: boolean): void;
}

export class Realtime {
  /** The id of the last event seen: the stream resumes after it. */
  cursor = 0;
  /** Why the stream last dropped (kept for inspection; the connection state already says offline). */
  failure: ChatError | null = null;
  #stream: AbortController | null = null;
  #attempt = 0;

  readonly #core: Core;
  readonly #hooks: RealtimeHooks;

  constructor(core: Core, hooks: RealtimeHooks) {
    this.#core = core;
    this.#hooks = hooks;
  }

  get isOpen(): boolean {
    return !!this.#stream;
  }

  /** The wait before the next reconnection (of the stream, or of the session when unreachable). */
  nextDelay(): number {
    return this.#core.backoff(this.#attempt++);
  }

  close(): void {
    this.#stream?.abort();
    this.#stream = null;
  }

  /** Opens the stream from the last event id; reconnects with back-off and fills the gap. */
  open(): void {
    const core = this.#core;
    if (core.destroyed || !core.token) return;
    this.#stream?.abort();
    const controller = new AbortController();
    this.#stream = controller;
    const token = core.token;
    void (async () => {
      try {
        const res = await fetch(`${core.api}/stream`, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'last-event-id': String(this.cursor) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          await this.#hooks.renew();
          return;
        }
        if (!res.ok || !res.body) throw new ChatError('stream_failed', `The realtime stream answered ${res.status}`, res.status);
        await readEventStream(res.body, (e) => {
          // A stream replaced (identify, reset) says nothing more, even what was already buffered.
          if (this.#stream !== controller) return;
          if (e.id) this.cursor = Math.max(this.cursor, Number(e.id) || 0);
          this.#dispatch(e.event, e.data);
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        // Not reported as `chat.error`: a dropped stream is the connection going offline, and it is retried.
        this.failure = toChatError(error);
      }
      if (controller.signal.aborted || core.destroyed) return;
      // The stream ended or failed: offline until it is back.
      core.setConnection('offline');
      setTimeout(() => {
        if (this.#stream === controller && !core.destroyed) this.open();
      }, this.nextDelay());
    })();
  }

  /** A message of the loaded conversation moves where its history ends (a reconnection asks for what came after). */
  #advance(m: ServerMessage): void {
    const latest = this.#core.latest;
    if (!latest || m.seq === undefined || Number(latest.cursor) >= m.seq) return;
    if (latest.conversation && m.conversation_id !== latest.conversation) return;
    this.#core.latest = { conversation: latest.conversation ?? m.conversation_id ?? null, cursor: String(m.seq) };
  }

  #dispatch(type: string, data: string): void {
    let payload: any;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const { events } = this.#core;
    switch (type as VisitorStreamEvent | 'ready') {
      case 'ready':
        this.#attempt = 0;
        this.#core.setConnection('online');
        this.#hooks.ready();
        break;
      case 'message':
        this.#advance(payload.message as ServerMessage);
        events.emit('chat.message', { message: this.#core.toMessage(payload.message as ServerMessage) });
        break;
      case 'session.switched':
        // The session's identity changed: ours (identify() handles it) or another tab's.
        this.#hooks.switched(!!payload.switched);
        break;
      case 'availability':
        events.emit('chat.availability', { available: !!payload.available });
        break;
      case 'conversation.status':
        events.emit('chat.conversation', { id: payload.conversation_id, status: payload.status });
        break;
      case 'chat.updated':
        events.emit('chat.updated', { chat: { id: payload.chat_id, status: payload.status } });
        break;
      case 'chat.member_joined':
        events.emit('chat.memberJoined', { chatId: payload.chat_id, member: payload.member });
        break;
      case 'chat.member_left':
        events.emit('chat.memberLeft', { chatId: payload.chat_id, member: payload.member });
        break;
      case 'read':
        events.emit('chat.read', { chatId: payload.chat_id, messageId: payload.message_id });
        break;
      case 'typing':
        events.emit(payload.typing ? 'chat.typingStarted' : 'chat.typingEnded', { chatId: payload.chat_id, name: payload.name ?? null });
        break;
      case 'ai.start':
        events.emit('chat.answerStarted', { chatId: payload.chat_id, answerId: payload.answer_id, sources: payload.sources ?? [] });
        break;
      case 'ai.delta':
        events.emit('chat.answerDelta', { chatId: payload.chat_id, answerId: payload.answer_id, text: payload.text ?? '' });
        break;
      case 'ai.end':
        events.emit('chat.answerEnded', { chatId: payload.chat_id, answerId: payload.answer_id, messageId: payload.message_id, ...(payload.ended ? { ended: payload.ended } : {}) });
        break;
    }
  }
}
