import type { ChatStatus } from '../../protocol/chat.js';
import type { ChatMessage, ChatState, Topic, WidgetState } from '../../state/types.js';
import type { AnswerSource } from '../../client/types.js';
import { lang, type Core, type Cross } from '../core.js';
import * as v from '../validate.js';

/** A chat as the server reports it. */
export interface ChatInfo {
  id: string;
  status: ChatStatus;
  menuId: number | null;
  rated: boolean;
}

/** What the chat lifecycle (topics, hours, a chat from start to rating) asks of the server. */
export interface LifecyclePort {
  topics(lang: string): Promise<readonly Topic[]>;
  afterHours(lang: string): Promise<string | null>;
  ongoingChat(): Promise<ChatInfo | null>;
  trigger(): Promise<{ id: string; message: string; delay_seconds: number } | null>;
  createChat(topicId: number, lang: string, fields: Readonly<Record<string, unknown>>): Promise<ChatInfo>;
  waitSeconds(menuId: number): Promise<number | null>;
  attachFile(file: File): Promise<void>;
  finishChat(): Promise<ChatInfo>;
  escalateChat(): Promise<ChatInfo>;
  stopAnswer(): Promise<boolean>;
  survey(lang: string): Promise<WidgetState['survey']>;
  rateChat(rating: number, feedback: string): Promise<void>;
  answerSurvey(answers: Record<string, string | number>): Promise<void>;
  sendTranscript(email: string): Promise<void>;
  sendEmail(input: { name?: string; email: string; content: string; topicId: number; lang: string }): Promise<void>;
}

/** The chat as the state keeps it: what the visitor did in it stays while it is the same chat. */
const toChat = (c: ChatInfo, previous: ChatState | null): ChatState => {
  const same = previous?.id === c.id;
  return Object.freeze({
    id: c.id,
    status: c.status,
    menuId: c.menuId,
    waitSeconds: same ? previous.waitSeconds : null,
    rated: same ? previous.rated : c.rated,
    surveyed: same ? previous.surveyed : false,
    transcriptSent: same ? previous.transcriptSent : false,
  });
};

/** Merges into the current chat's state (when there is one). */
export const chatPatchOf = (core: Core) => (patch: Partial<ChatState>) => core.store.update((s) => ({ chat: s.chat && Object.freeze({ ...s.chat, ...patch }) }));

/**
 * The messenger's chat lifecycle: topics and hours, starting, escalating and finishing a chat. What
 * only the after-chat and email views call (rating, survey, transcript, the email form) loads with
 * them (./after-chat.ts).
 */
export const lifecycle = (core: Core, c: Cross) => {
  const chatPatch = chatPatchOf(core);
  /** The expected wait of a queued chat, from the live queue. */
  const refreshWait = async () => {
    const chat = core.state.chat;
    if (!core.port || !chat || chat.status !== 'queued' || chat.menuId === null) return;
    chatPatch({ waitSeconds: await core.port.waitSeconds(chat.menuId).catch(() => null) });
  };
  const afterChat = async (chat: ChatInfo) => {
    core.store.update((s) => ({ chat: toChat(chat, s.chat), view: 'after-chat' }));
    const survey = await core.port?.survey(lang(core.state)).catch(() => null);
    if (survey) core.store.update({ survey });
  };
  const run = (task: Parameters<Core['run']>[1]) => core.run('lifecycle', task);
  /** The visitor's messages written while their topic's chat is being created. */
  const waiting: ChatMessage[] = [];
  let adopting = false;
  return {
    /**
     * The visitor picked a support topic: the conversation opens on it, and its chat starts with
     * their first message (operators never see a chat with nothing in it); after hours, the email form.
     */
    startChat(topicId: unknown): Promise<boolean> {
      if (!Number.isInteger(topicId)) v.fail('startChat(topicId)', 'expected a topic id', topicId);
      if (!core.port) return Promise.resolve(false);
      const s = core.state;
      // A new conversation after one that ended starts empty.
      const ended = s.chat && ['finished', 'dismissed'].includes(s.chat.status) ? { chat: null, survey: null, messages: Object.freeze([]) } : {};
      core.store.update(s.afterHours ? { view: 'email' } : { ...ended, topic: topicId as number, view: 'conversation', notice: null });
      return Promise.resolve(true);
    },

    startChatWith(message: ChatMessage): void {
      waiting.push(message);
      if (waiting.length > 1) return; // the chat is on its way: this one follows the first
      void run(async (port) => {
        const topic = core.state.topic!;
        const chat = await port.createChat(topic, lang(core.state), core.state.conversationFields);
        core.store.update((s) => ({ chat: toChat(chat, s.chat), topic: null }));
        // In the order written, each now with the chat's id.
        for (const m of waiting.splice(0)) port.send(m, core.state.conversationFields);
        const page = await port.history();
        c.replaceMessages(page.messages, page.earlier);
        await refreshWait();
      }).then((started) => {
        if (started || !waiting.length) return;
        // No chat: the messages stay on screen as not delivered, with Retry (which tries the chat again).
        const failed = new Set(waiting.splice(0).map((m) => m.clientId));
        core.store.update((s) => ({ messages: Object.freeze(s.messages.map((m) => (failed.has(m.clientId) ? Object.freeze({ ...m, status: 'failed' as const }) : m))) }));
      });
    },

    adoptChat(): void {
      const port = core.port;
      if (adopting || !port || core.state.chat || !core.state.topics.length) return;
      adopting = true;
      void Promise.resolve()
        .then(() => port.ongoingChat())
        .then((ongoing) => ongoing && !core.state.chat && core.store.update((s) => ({ chat: toChat(ongoing, s.chat) })))
        .catch(() => {})
        .finally(() => (adopting = false));
    },

    /** Sends a file in the current chat. */
    attachFile(file: unknown): Promise<boolean> {
      if (typeof File === 'undefined' || !(file instanceof File)) v.fail('attachFile(file)', 'expected a File', file);
      return run(async (port) => {
        try {
          await port.attachFile(file as File);
        } finally {
          c.uploadProgress(null);
        }
      });
    },

    finishChat(): Promise<boolean> {
      return run(async (port) => afterChat(await port.finishChat()));
    },

    escalateChat(): Promise<boolean> {
      return run(async (port) => {
        const chat = await port.escalateChat();
        core.store.update((s) => ({ chat: toChat(chat, s.chat) }));
        await refreshWait();
      });
    },

    /** Stops the AI agent's answer being written (the visitor's Stop): what it said stays. */
    async stopAnswer(): Promise<boolean> {
      // Not queued behind the chat's other work (a Stop waits for nothing); the answer ends with ai.end.
      try {
        return (await core.port?.stopAnswer()) ?? false;
      } catch (error) {
        core.error('stop_failed', (error as Error).message);
        return false;
      }
    },

    // ---- what the server says ----

    /** The AI agent begins an answer (it "thinks" until its first words). */
    answerStarted(id: string, sources: readonly AnswerSource[]): void {
      core.store.update({ answer: Object.freeze({ id, text: '', sources: Object.freeze(sources.map((x) => Object.freeze({ ...x }))) }) });
    },

    /** More of the answer's text. */
    answerDelta(id: string, text: string): void {
      core.store.update((s) => (s.answer?.id === id ? { answer: Object.freeze({ ...s.answer, text: s.answer.text + text }) } : {}));
    },

    /** The answer is stored (its message is in the list now) or ended. */
    answerEnded(id: string): void {
      core.store.update((s) => (s.answer?.id === id ? { answer: null } : {}));
    },

    /** After the session loads: topics, hours, ticket forms, an ongoing chat, a proactive trigger. */
    async sessionLoaded(): Promise<void> {
      const port = core.port;
      if (!port) return;
      const l = lang(core.state);
      const [menus, afterHours, forms] = await Promise.all([
        port.topics(l).catch(() => null),
        port.afterHours(l).catch(() => null),
        port.ticketForms(l).catch(() => []),
      ]);
      const topics = Object.freeze([...(menus ?? [])]);
      core.store.update({ topics, afterHours });
      c.formsLoaded(forms);
      // What the page set before the session existed.
      const { sessionData, segments } = core.state;
      if (Object.keys(sessionData).length || segments.length) port.sessionData({ data: { ...sessionData }, ...(segments.length ? { segments: [...segments] } : {}) });
      const ongoing = topics.length ? await port.ongoingChat().catch(() => null) : null;
      if (ongoing) {
        // Back to the conversation from the topic picker; a view the visitor or page opened meanwhile stays.
        core.store.update((s) => ({ chat: toChat(ongoing, s.chat), view: s.view === 'topics' ? 'conversation' : s.view }));
        const page = await port.history();
        c.replaceMessages(page.messages, page.earlier);
        await refreshWait();
      } else if (topics.length && !core.state.messages.length && core.state.view === 'conversation') {
        core.store.update({ view: afterHours ? 'email' : 'topics' });
      }
      const trigger = await port.trigger().catch(() => null);
      if (trigger?.message) {
        setTimeout(() => {
          if (core.state.open || core.state.messages.length) return;
          c.receive([
            Object.freeze({ id: `trigger-${trigger.id}`, author: 'bot' as const, content: trigger.message, createdAt: new Date().toISOString(), status: 'sent' as const, local: true }),
          ]);
        }, Math.max(0, trigger.delay_seconds * 1000));
      }
    },

    /** The server changed the current chat's status (an operator took it, finished it...). */
    chatUpdated(id: string, status: ChatStatus): void {
      const current = core.state.chat;
      if (!current || current.id !== id) return;
      if (status === 'finished' && current.status !== 'finished') {
        void afterChat({ id, status, menuId: current.menuId, rated: false });
        return;
      }
      core.store.update({ chat: Object.freeze({ ...current, status }) });
      void refreshWait();
    },

    /** The session was reset: no chat of the lifecycle any more. */
    chatReset(): void {
      waiting.length = 0;
      core.store.update({ chat: null, topic: null, survey: null, upload: null, notice: null, view: 'conversation' });
    },
  };
};
