import type { AiAgent } from './ai/agent.js';
import type { Row } from '../db/db.js';
import { HttpError } from '../http/errors.js';
import type { Page } from '../http/schemas.js';
import type { ChatStatus } from '../../src/protocol/chat.js';
import type { Company } from './company.js';
import type { Content } from './content.js';
import type { Conversations } from './conversations.js';
import type { Files, Upload } from './files.js';
import type { Messages } from './messages.js';
import type { Session } from './sessions.js';
import { forOperators, forVisitor, type Stream } from './stream.js';

export type { ChatStatus };

const chatJson = (c: Row, agent: Row | null) => ({
  id: c.id,
  status: c.chat_status as ChatStatus,
  menu_id: c.menu_id === null ? null : Number(c.menu_id),
  lang: c.lang,
  created_at: new Date(c.created_at).toISOString(),
  assigned_at: c.assigned_at ? new Date(c.assigned_at).toISOString() : null,
  finished_at: c.finished_at ? new Date(c.finished_at).toISOString() : null,
  agent: agent ? { id: agent.id, name: agent.name } : null,
  rating: c.rating ?? null,
});

/** The headless SDK's chat: a conversation with a topic, a language and a state (va_assigned, queued, assigned, finished, dismissed). */
export class Chats {
  constructor(
    readonly stream: Stream,
    readonly conversations: Conversations,
    readonly messages: Messages,
    readonly company: Company,
    readonly content: Content,
    readonly files: Files,
    /** The AI agent: the virtual agent when the workspace has a model. */
    readonly ai: AiAgent | null = null,
  ) {}

  async describe(c: Row) {
    const [agent] = c.assignee_id ? await this.stream.db.query('select id, name from agents where id = $1', [c.assignee_id]) : [];
    return chatJson(c, agent ?? null);
  }

  async get(session: Session, id: string) {
    return this.describe(await this.conversations.ofVisitor(session, id));
  }

  async ongoing(session: Session) {
    const c = await this.conversations.ongoing(session);
    return c ? this.describe(c) : null;
  }

  async create(session: Session, input: { menu_id: number | string; lang: string; trigger_id?: string | number; ticket_id?: string; email?: string; greeting?: string; cobrowsable?: boolean; custom_data?: Row }) {
    const menu = await this.company.menu(session.workspace_id, input.menu_id);
    if (!menu.enabled) throw new HttpError(409, 'menu_disabled', `Menu ${menu.id} is not enabled`);
    if (!(menu.channels as string[]).includes('chat')) throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no chat (channels: ${(menu.channels as string[]).join(', ')})`);
    const hours = await this.company.afterHours(session.workspace_id, input.lang);
    if (!hours.open) throw new HttpError(409, 'outside_business_hours', hours.message ?? 'Outside business hours');
    const ongoing = await this.ongoing(session);
    if (ongoing) throw new HttpError(409, 'chat_ongoing', `Chat ${ongoing.id} is still going on; finish or dismiss it first, or resume it`);
    const status: ChatStatus = menu.deflection_enabled ? 'va_assigned' : 'queued';
    const c = await this.stream.write((q, emit) =>
      this.conversations.open(q, emit, session, {
        menu_id: menu.id, lang: input.lang, chat_status: status,
        trigger_id: input.trigger_id === undefined ? null : Number(input.trigger_id) || null,
        ticket_id: input.ticket_id ?? null, email: input.email ?? null, cobrowsable: input.cobrowsable ?? false,
        custom_data: input.custom_data ?? {}, fields: input.custom_data ?? {},
      }),
    );
    if (input.greeting) await this.says(session, c.id, input.greeting, `greeting-${c.id}`);
    return this.get(session, c.id);
  }

  /** A visitor message in a chat; in a chat the virtual agent holds, it answers from the help articles. */
  async says(session: Session, chatId: string, content: string, clientId: string, fileId?: string) {
    const result = await this.messages.visitor(session, { client_id: clientId, content, conversation_id: chatId, ...(fileId ? { file_id: fileId } : {}) });
    if (result.created && result.chatStatus === 'va_assigned' && !fileId) {
      // With a model, the AI agent answers while the visitor's message is already acknowledged; it streams.
      if (this.ai && (await this.ai.active(session.workspace_id))) {
        void this.ai.answer(session, chatId, content).catch((error) => console.error(`AI agent: ${(error as Error).message}`));
      } else await this.#virtualAgentAnswer(session, chatId, content);
    }
    return result;
  }

  /** A file sent in a chat that is still going on: checked, stored, then posted as the visitor's message. */
  async sendFile(session: Session, chatId: string, upload: () => Promise<Upload>) {
    const c = await this.conversations.ofVisitor(session, chatId);
    if (['finished', 'dismissed'].includes(c.chat_status)) throw new HttpError(409, 'chat_finished', `Chat ${c.id} is ${c.chat_status}`);
    const file = await this.files.store(session, c.id, await upload());
    return this.says(session, c.id, file.name, `file-${file.id}`, file.id);
  }

  /** A page of the messages of a chat the visitor may see. */
  async history(session: Session, chatId: string, page: Page) {
    const c = await this.conversations.ofVisitor(session, chatId);
    return this.messages.page(c.id, page, false);
  }

  /**
   * The virtual agent answers each question once, in the chat's language: the articles it has not
   * offered yet (as `data.articles`, which the messenger shows as cards) with the way to a person
   * (`data.escalate`). It never says the same thing twice: a second question it has nothing for
   * hands the chat to a person.
   */
  async #virtualAgentAnswer(session: Session, chatId: string, question: string): Promise<void> {
    const c = await this.conversations.ofVisitor(session, chatId);
    const menu = c.menu_id ? await this.company.menuById(c.menu_id) : null;
    const threshold = menu?.deflection_threshold ?? 0.05;
    const said = await this.stream.db.query(
      `select data from messages where conversation_id = $1 and author = 'bot' and data ? 'escalate' order by seq`,
      [c.id],
    );
    const offered = new Set(said.flatMap((m) => ((m.data?.articles ?? []) as { slug: string }[]).map((a) => a.slug)));
    const relevant = (await this.content.search(session.workspace_id, question, c.lang ?? 'en')).filter((a) => a.rank >= threshold);
    const found = relevant.filter((a) => !offered.has(a.slug));
    const words = VA_WORDS[(c.lang ?? 'en').slice(0, 2)] ?? VA_WORDS.en!;
    if (found.length) {
      await this.messages.bot(c, words.found, { articles: found.map(({ rank: _r, ...a }) => a), escalate: true }, words.name);
    } else if (!said.length || said.at(-1)!.data?.articles?.length) {
      await this.messages.bot(c, relevant.length ? words.more : words.none, { articles: [], escalate: true }, words.name);
    } else {
      // Nothing new to offer twice in a row: a person takes over rather than the same words again.
      await this.messages.bot(c, words.handover, { articles: [], escalate: false }, words.name);
      await this.transition(session, chatId, ['va_assigned'], 'queued', 'escalate');
    }
  }

  /** Moves a chat from one of `from` to `to`; a clear 409 otherwise. */
  async transition(session: Session, chatId: string, from: ChatStatus[], to: ChatStatus | 'previous', verb: string) {
    let handoverNote: Row | null = null;
    const c = await this.stream.write(async (q, emit) => {
      const current = await this.conversations.ofVisitor(session, chatId, q);
      if (!from.includes(current.chat_status)) {
        throw new HttpError(409, `chat_${current.chat_status}`, `Cannot ${verb} chat ${chatId}: it is ${current.chat_status.replace('_', ' ')}`);
      }
      const next = to === 'previous' ? (current.previous_chat_status ?? 'queued') : to;
      const [row] = await q.query(
        `update conversations set chat_status = $2, previous_chat_status = $3, updated_at = now(),
           escalated_at = case when $2 = 'queued' and chat_status = 'va_assigned' then now() else escalated_at end,
           finished_at = case when $2 = 'finished' then now() else finished_at end,
           status = case when $2 in ('finished', 'dismissed') then 'closed' else 'open' end
         where id = $1 returning *`,
        [current.id, next, current.chat_status],
      );
      const r = row!;
      if (current.chat_status === 'va_assigned' && next === 'queued' && this.ai) handoverNote = await this.ai.handover(q, emit, r);
      emit(forVisitor(r, 'chat.updated', { chat_id: r.id, status: next }));
      emit(forOperators(r, 'conversation.updated', { conversation: { id: r.id, status: r.status, chat_status: next, assignee_id: r.assignee_id } }));
      if (next === 'finished' && r.assignee_id) emit(forVisitor(r, 'chat.member_left', { chat_id: r.id, member: { id: r.assignee_id, type: 'agent' } }));
      return r;
    });
    // The model's summary for the person taking over, after the hand-over is stored (never holding it up).
    if (handoverNote && this.ai) void this.ai.summarize(c, handoverNote).catch((error) => console.error(`AI agent: ${(error as Error).message}`));
    return this.describe(c);
  }

  async deflection(session: Session, chatId: string) {
    const c = await this.conversations.ofVisitor(session, chatId);
    if (!c.menu_id) return null;
    const m = await this.company.menuById(c.menu_id);
    if (!m) return null;
    return { enabled: m.deflection_enabled, threshold: m.deflection_threshold, keep_waiting: m.keep_waiting };
  }
}

/** What the virtual agent says, in the languages the messenger ships. */
const VA_WORDS: Record<string, { name: string; found: string; none: string; more: string; handover: string }> = {
  en: {
    name: 'Virtual agent',
    found: 'These articles may answer your question.',
    none: 'I could not find an article about that. Ask in other words, or talk to a person.',
    more: 'I have no other article about that. Ask in other words, or talk to a person.',
    handover: 'I will pass you to a person. They will answer here.',
  },
  fr: {
    name: 'Agent virtuel',
    found: 'Ces articles répondent peut-être à votre question.',
    none: "Je n'ai pas trouvé d'article à ce sujet. Reformulez votre question, ou parlez à une personne.",
    more: "Je n'ai pas d'autre article à ce sujet. Reformulez votre question, ou parlez à une personne.",
    handover: 'Je vous passe à une personne. Elle vous répondra ici.',
  },
  es: {
    name: 'Agente virtual',
    found: 'Estos artículos pueden responder a tu pregunta.',
    none: 'No encontré ningún artículo sobre eso. Pregúntalo de otra forma o habla con una persona.',
    more: 'No tengo otro artículo sobre eso. Pregúntalo de otra forma o habla con una persona.',
    handover: 'Te paso con una persona. Te responderá aquí.',
  },
  de: {
    name: 'Virtueller Assistent',
    found: 'Diese Artikel beantworten vielleicht Ihre Frage.',
    none: 'Dazu habe ich keinen Artikel gefunden. Fragen Sie mit anderen Worten oder sprechen Sie mit einer Person.',
    more: 'Dazu habe ich keinen weiteren Artikel. Fragen Sie mit anderen Worten oder sprechen Sie mit einer Person.',
    handover: 'Ich verbinde Sie mit einer Person. Sie antwortet Ihnen hier.',
  },
  nl: {
    name: 'Virtuele assistent',
    found: 'Deze artikelen beantwoorden misschien je vraag.',
    none: 'Ik vond daar geen artikel over. Stel je vraag anders, of praat met een persoon.',
    more: 'Ik heb daar geen ander artikel over. Stel je vraag anders, of praat met een persoon.',
    handover: 'Ik verbind je door met een persoon. Die antwoordt je hier.',
  },
  ar: {
    name: 'المساعد الافتراضي',
    found: 'قد تجيب هذه المقالات عن سؤالك.',
    none: 'لم أجد مقالة عن ذلك. اسأل بكلمات أخرى، أو تحدّث إلى شخص.',
    more: 'ليست لدي مقالة أخرى عن ذلك. اسأل بكلمات أخرى، أو تحدّث إلى شخص.',
    handover: 'سأحوّلك إلى شخص. سيجيبك هنا.',
  },
};
