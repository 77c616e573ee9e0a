import type { Queryable, Row } from '../../db/db.js';
import type { Company } from '../company.js';
import type { Conversations } from '../conversations.js';
import type { Messages } from '../messages.js';
import type { Session } from '../sessions.js';
import { forOperators, forVisitor, type Stream } from '../stream.js';
import { ModelError, streamAnswer, type Turn } from './model.js';
import type { Knowledge, Source } from './knowledge.js';
import type { AiSettings } from './settings.js';

/**
 * The AI agent (issue 19): in a chat the virtual agent holds, with a model set for the workspace, it
 * answers from the help center's chunks (migration 019) and nothing else. Below the relevance
 * threshold it does not call the model: it says it has no article and offers a person. Otherwise
 * the answer streams to the visitor over the realtime stream as it comes (`ai.start` with the
 * sources, `ai.delta` pieces, `ai.end` with the stored message: all stored events, so a reconnect
 * resumes mid-answer), cites what it used, and ends cleanly on a stop, an error or a limit.
 */
/** Pieces go out at least this often while the model writes (a stored event each). */
const FLUSH_MS = 40;
const NO_ANSWER = 'NO_ANSWER';
const LANGUAGES: Record<string, string> = { en: 'English', fr: 'French', es: 'Spanish', de: 'German', nl: 'Dutch', ar: 'Arabic' };

export const AI_WORDS: Record<string, { name: string; none: string; sorry: string; limit: string; stopped: string }> = {
  en: { name: 'AI assistant', none: 'I could not find this in our help center, so I would rather not guess. A person can help you: ask for one.', sorry: 'Sorry, I could not finish this answer. A person can help you: ask for one.', limit: 'I cannot answer more questions right now. A person can help you: ask for one.', stopped: '(stopped)' },
  fr: { name: 'Assistant IA', none: "Je n'ai pas trouvé cela dans notre centre d'aide, je préfère ne pas deviner. Une personne peut vous aider : demandez-la.", sorry: "Désolé, je n'ai pas pu terminer cette réponse. Une personne peut vous aider : demandez-la.", limit: 'Je ne peux plus répondre pour le moment. Une personne peut vous aider : demandez-la.', stopped: '(interrompu)' },
  es: { name: 'Asistente IA', none: 'No encontré esto en nuestro centro de ayuda y prefiero no adivinar. Una persona puede ayudarte: pídela.', sorry: 'Lo siento, no pude terminar esta respuesta. Una persona puede ayudarte: pídela.', limit: 'No puedo responder más preguntas ahora. Una persona puede ayudarte: pídela.', stopped: '(detenido)' },
  de: { name: 'KI-Assistent', none: 'Das habe ich in unserem Hilfe-Center nicht gefunden, und ich möchte nicht raten. Eine Person kann Ihnen helfen: fragen Sie danach.', sorry: 'Entschuldigung, ich konnte diese Antwort nicht beenden. Eine Person kann Ihnen helfen: fragen Sie danach.', limit: 'Ich kann gerade keine weiteren Fragen beantworten. Eine Person kann Ihnen helfen: fragen Sie danach.', stopped: '(angehalten)' },
  nl: { name: 'AI-assistent', none: 'Ik vond dit niet in ons helpcentrum en ik gok liever niet. Een persoon kan je helpen: vraag ernaar.', sorry: 'Sorry, ik kon dit antwoord niet afmaken. Een persoon kan je helpen: vraag ernaar.', limit: 'Ik kan nu geen vragen meer beantwoorden. Een persoon kan je helpen: vraag ernaar.', stopped: '(gestopt)' },
  ar: { name: 'مساعد الذكاء الاصطناعي', none: 'لم أجد هذا في مركز المساعدة لدينا، ولا أريد التخمين. يمكن لشخص مساعدتك: اطلبه.', sorry: 'عذرًا، لم أتمكن من إكمال هذه الإجابة. يمكن لشخص مساعدتك: اطلبه.', limit: 'لا يمكنني الإجابة عن مزيد من الأسئلة الآن. يمكن لشخص مساعدتك: اطلبه.', stopped: '(توقّف)' },
};
const words = (lang: string) => AI_WORDS[lang.slice(0, 2)] ?? AI_WORDS.en!;

export class AiAgent {
  /** The answers being written, by conversation: what Stop aborts. */
  readonly #running = new Map<string, AbortController>();
  /** Work left running after a request (hand-over summaries): what `idle` waits for. */
  readonly #pending = new Set<Promise<unknown>>();
  /** Aborted when the server closes: a summary being written stops rather than holding the close up. */
  readonly #closing = new AbortController();

  constructor(
    readonly stream: Stream,
    readonly conversations: Conversations,
    readonly messages: Messages,
    readonly company: Company,
    readonly settings: AiSettings,
    readonly knowledge: Knowledge,
  ) {}

  get db() {
    return this.stream.db;
  }

  /** Whether the workspace's virtual agent is this one (a model set and on). */
  async active(workspaceId: string): Promise<boolean> {
    return !!(await this.settings.config(workspaceId));
  }

  /** Stops the answer being written in this chat (the visitor's Stop); false when none is. */
  stop(session: Session, chatId: string): Promise<boolean> {
    return this.conversations.ofVisitor(session, chatId).then((c) => {
      const running = this.#running.get(c.id);
      running?.abort();
      return !!running;
    });
  }

  /** Answers the visitor's question in chat `chatId` (called after their message is stored). */
  async answer(session: Session, chatId: string, question: string): Promise<void> {
    const c = await this.conversations.ofVisitor(session, chatId);
    const config = await this.settings.config(session.workspace_id);
    if (!config || c.chat_status !== 'va_assigned') return;
    const lang = c.lang ?? 'en';
    const say = words(lang);
    if (!(await this.#withinLimits(session, config.limits))) {
      await this.messages.bot(c, say.limit, { articles: [], escalate: true, ai: { limited: true } }, say.name);
      return;
    }
    const sources = await this.knowledge.retrieve(session.workspace_id, question, lang);
    if (!sources.length) {
      // Nothing in the help center: no model call, no invented answer.
      await this.messages.bot(c, say.none, { articles: [], escalate: true, ai: { sources: [] } }, say.name);
      return;
    }
    this.#running.get(c.id)?.abort();
    const controller = new AbortController();
    this.#running.set(c.id, controller);
    const answerId = `ans_${crypto.randomUUID().replace(/-/g, '')}`;
    const cited = sources.map(({ n, title, locale, slug, heading }) => ({ n, title, locale, slug, heading }));
    await this.stream.emit(forVisitor(c, 'ai.start', { chat_id: c.id, answer_id: answerId, sources: cited }));

    let text = '';
    let sent = 0;
    let held = true;
    let lastFlush = Date.now();
    let usage = { input: 0, output: 0 };
    let failure: 'stopped' | 'error' | null = null;
    const flush = async (force = false) => {
      // The first letters wait until they cannot be the "no answer" mark.
      if (held && !force && NO_ANSWER.startsWith(text.trimStart().slice(0, NO_ANSWER.length)) && text.trimStart().length < NO_ANSWER.length) return;
      held = false;
      if (text.trimStart().startsWith(NO_ANSWER)) return;
      if (text.length === sent) return;
      const piece = text.slice(sent);
      sent = text.length;
      lastFlush = Date.now();
      await this.stream.emit(forVisitor(c, 'ai.delta', { chat_id: c.id, answer_id: answerId, text: piece }));
    };
    try {
      const turns = await this.#prompt(c, session.workspace_id, question, sources, lang);
      for await (const part of streamAnswer(config, turns, { signal: controller.signal, maxTokens: config.limits.max_answer_tokens })) {
        if (part.type === 'usage') usage = { input: part.input, output: part.output };
        else {
          text += part.text;
          // The first words go out as soon as they cannot be the "no answer" mark; then a piece every FLUSH_MS.
          if (held || Date.now() - lastFlush >= FLUSH_MS) await flush();
        }
      }
      await flush(true);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      failure = controller.signal.aborted ? 'stopped' : 'error';
      await flush(true).catch(() => {});
    } finally {
      if (this.#running.get(c.id) === controller) this.#running.delete(c.id);
    }
    const declined = text.trimStart().startsWith(NO_ANSWER);
    const answerText = declined ? '' : text.trim();
    // The sources the answer refers to ([n]); at least the best one: every answer names where it comes from.
    const used = [...new Set([...answerText.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1])))].filter((n) => n >= 1 && n <= sources.length);
    const citations = (used.length ? used : [1]).map((n) => cited[n - 1]!);
    const content = declined
      ? say.none
      : failure === 'error'
        ? `${answerText ? `${answerText}\n\n` : ''}${say.sorry}`
        : failure === 'stopped'
          ? `${answerText || say.stopped}`
          : answerText || say.none;
    await this.#recordUsage(session, c, usage);
    await this.stream.write(async (q, emit) => {
      const message = await this.messages.insert(q, c, {
        author: 'bot',
        author_name: say.name,
        content,
        data: {
          articles: [],
          escalate: true,
          ai: { answer_id: answerId, citations: declined ? [] : citations, sources: cited, ...(failure ? { ended: failure } : {}), ...(declined ? { declined: true } : {}) },
        },
      });
      emit(forOperators(c, 'message', { message }));
      emit(forVisitor(c, 'message', { message }));
      emit(forVisitor(c, 'ai.end', { chat_id: c.id, answer_id: answerId, message_id: message.id, ...(failure ? { ended: failure } : {}) }));
    });
  }

  /**
   * A person takes the chat over from the assistant: a note for the operators with what the visitor
   * asked and what the assistant answered from (only when the assistant did answer in it), in the
   * hand-over's own transaction, so that it is there whatever the model does. Returns the note: with
   * a model, `summarize` then writes its short summary at its head.
   */
  async handover(q: Queryable, emit: (e: ReturnType<typeof forOperators>) => void, c: Row): Promise<Row | null> {
    const rows = await q.query<{ author: string; content: string; data: Row | null }>(
      `select author, content, data from messages where conversation_id = $1 and not internal and author in ('visitor', 'bot') order by seq desc limit 12`,
      [c.id],
    );
    const answers = rows.filter((r) => r.author === 'bot' && r.data?.ai);
    if (!answers.length) return null;
    const asked = rows.filter((r) => r.author === 'visitor').slice(0, 3).reverse().map((r) => `«${r.content.slice(0, 160)}»`);
    const titles = [...new Set(answers.flatMap((r) => ((r.data!.ai.citations ?? []) as { title: string }[]).map((s) => s.title)))];
    const ended = answers.some((r) => r.data!.ai.ended === 'error') ? ' One answer failed.' : '';
    return this.messages.note(q, emit, c, {
      author_name: 'AI assistant',
      content: `Handed over by the AI assistant. The visitor asked: ${asked.join(' · ') || '(nothing)'}. It answered from: ${titles.join(', ') || 'no article'}.${ended}`,
      data: { ai: { handover: true } },
    });
  }

  /**
   * The model's summary of the chat for the person taking it over, two sentences at the head of the
   * hand-over note (message.updated to the team). Counted against the workspace's tokens; when the
   * model fails, is slow or is out of budget, the note stays as it was.
   */
  summarize(c: Row, note: Row): Promise<void> {
    const job = this.#summarize(c, note).finally(() => this.#pending.delete(job));
    this.#pending.add(job);
    return job;
  }

  /** Stops the summaries being written and resolves when none is (before the database closes). */
  async idle(): Promise<void> {
    this.#closing.abort();
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }

  async #summarize(c: Row, note: Row): Promise<void> {
    const config = await this.settings.config(c.workspace_id);
    if (!config || this.#closing.signal.aborted) return;
    const [spent] = await this.db.query<{ tokens: number }>(
      `select coalesce(sum(input_tokens + output_tokens), 0)::int as tokens from ai_usage where workspace_id = $1 and created_at > now() - interval '1 day'`,
      [c.workspace_id],
    );
    if (spent!.tokens >= config.limits.workspace_tokens_per_day) return;
    const history = await this.db.query<{ author: string; content: string }>(
      `select author, content from (select seq, author, content from messages where conversation_id = $1 and not internal and author in ('visitor', 'bot', 'agent') order by seq desc limit 16) m order by seq`,
      [c.id],
    );
    const transcript = history.map((m) => `${m.author === 'visitor' ? 'Visitor' : 'Assistant'}: ${m.content.slice(0, 600)}`).join('\n');
    let text = '';
    let usage = { input: 0, output: 0 };
    try {
      const turns: Turn[] = [
        { role: 'system', content: 'You hand a support chat over to a person on the support team. In English, in at most two short sentences, say what the visitor wants and what the assistant already answered or could not. No greeting, no advice to the visitor.' },
        { role: 'user', content: transcript },
      ];
      for await (const part of streamAnswer(config, turns, { maxTokens: 120, firstTokenMs: 10_000, totalMs: 20_000, signal: this.#closing.signal })) {
        if (part.type === 'usage') usage = { input: part.input, output: part.output };
        else text += part.text;
      }
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      console.warn(`AI agent: no hand-over summary for ${c.id}: ${error.message}`);
      return;
    }
    // Citation marks mean nothing in a note (the sources are in the answers above it).
    const summary = text.replace(/\s*\[\d{1,2}\]/g, '').trim().slice(0, 600);
    await this.db.query('insert into ai_usage (workspace_id, conversation_id, input_tokens, output_tokens) values ($1, $2, $3, $4)', [c.workspace_id, c.id, usage.input, usage.output]);
    if (!summary || summary.startsWith(NO_ANSWER)) return;
    await this.stream.write(async (q, emit) => {
      const [row] = await q.query(
        `update messages set content = $3, data = jsonb_set(coalesce(data, '{}'::jsonb), '{ai,summary}', to_jsonb($4::text))
          where conversation_id = $1 and id = $2 returning chat_message_json(messages.*) as message`,
        [c.id, note.id, `Summary: ${summary}\n\n${note.content}`, summary],
      );
      if (row) emit(forOperators(c, 'message.updated', { message: row.message }));
    });
  }

  /** The instructions, the sources and the conversation so far, for the model. */
  async #prompt(c: Row, workspaceId: string, question: string, sources: Source[], lang: string): Promise<Turn[]> {
    const company = await this.company.workspace(workspaceId);
    const language = LANGUAGES[lang.slice(0, 2)] ?? lang;
    const history = await this.db.query<{ author: string; content: string }>(
      `select author, content from (select seq, author, content from messages where conversation_id = $1 and not internal and author in ('visitor', 'bot', 'agent') order by seq desc limit 8) m order by seq`,
      [c.id],
    );
    const system = [
      `You are the support assistant of ${company.name}. Answer the visitor's question using only the sources below.`,
      `Write in ${language}, briefly, in plain sentences; lists with "- " where they help; **bold** for what matters. Never HTML.`,
      'After each fact, cite its source as [n]. If the sources do not answer the question, reply with exactly NO_ANSWER and nothing else.',
      '',
      ...sources.map((s) => `[${s.n}] ${s.title}${s.heading ? ` — ${s.heading}` : ''}\n${s.text}`),
    ].join('\n');
    const turns: Turn[] = [{ role: 'system', content: system }];
    for (const m of history) turns.push({ role: m.author === 'visitor' ? 'user' : 'assistant', content: m.content });
    if (turns.at(-1)?.role !== 'user' || turns.at(-1)?.content !== question) turns.push({ role: 'user', content: question });
    return turns;
  }

  async #withinLimits(session: Session, limits: { visitor_requests_per_hour: number; workspace_tokens_per_day: number }): Promise<boolean> {
    const [row] = await this.db.query<{ visitor: number; tokens: number }>(
      `select (select count(*)::int from ai_usage where session_id = $1 and created_at > now() - interval '1 hour') as visitor,
              (select coalesce(sum(input_tokens + output_tokens), 0)::int from ai_usage where workspace_id = $2 and created_at > now() - interval '1 day') as tokens`,
      [session.id, session.workspace_id],
    );
    return row!.visitor < limits.visitor_requests_per_hour && row!.tokens < limits.workspace_tokens_per_day;
  }

  async #recordUsage(session: Session, c: Row, usage: { input: number; output: number }, q: Queryable = this.db): Promise<void> {
    await q.query('insert into ai_usage (workspace_id, session_id, conversation_id, input_tokens, output_tokens) values ($1, $2, $3, $4, $5)', [
      session.workspace_id, session.id, c.id, usage.input, usage.output,
    ]);
  }
}
