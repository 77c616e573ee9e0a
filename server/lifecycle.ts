import type { Transporter } from 'nodemailer';
import type { Chat, Session } from './chat.js';
import { newId } from './chat.js';
import type { Queryable, Row } from './db/db.js';
import { HttpError, notFound } from './errors.js';
import { systemClock, type Clock } from './clock.js';
import { EMAIL } from '../src/protocol/limits.js';

/**
 * The conversations the session `$n` may reach: a contact's conversation
 * belongs to whoever the session holds now (read from the row, not from a
 * cached look-up); only an anonymous one (no contact) goes by session. After
 * identify switches the session from visitor A to B, A's conversations no
 * longer match by their session.
 */
const visitorOwns = (n: number) =>
  `((contact_id is not null and contact_id = (select s.contact_id from sessions s where s.id = $${n})) or (contact_id is null and session_id = $${n}))`;

export type { ChatStatus } from '../src/protocol/chat.js';
import type { ChatStatus } from '../src/protocol/chat.js';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DEFAULT_HANDLE_SECONDS = 300;

/** Picks a translation: the language asked, its base language, English, then any. */
export function pick(texts: Record<string, string> | null | undefined, lang: string): string | null {
  if (!texts) return null;
  const base = lang.split('-')[0]!;
  return texts[lang] ?? texts[base] ?? texts['en'] ?? Object.values(texts)[0] ?? null;
}

/** Whether `now` falls in the workspace's business hours (in its time zone). No hours set: always open. */
export function isOpen(hours: Record<string, [string, string][]>, timeZone: string, now = new Date()): boolean {
  if (!hours || Object.keys(hours).length === 0) return true;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const day = DAYS[['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday']!)]!;
  const time = `${parts['hour']}:${parts['minute']}`;
  return (hours[day] ?? []).some(([from, to]) => time >= from && time < to);
}

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


/** The headless SDK's chat lifecycle over the chat domain. */
export class Lifecycle {
  constructor(
    readonly chat: Chat,
    readonly mailer: Transporter | null,
    readonly mailFrom = 'chat-widget <no-reply@localhost>',
    /** What time it is, for every decision on hours and slots. */
    readonly now: Clock = systemClock,
  ) {}

  get db() {
    return this.chat.db;
  }

  async workspace(id: string): Promise<Row> {
    const [row] = await this.db.query('select * from workspaces where id = $1', [id]);
    return row!;
  }

  // ---- company, hours, menus, wait times ----

  async company(workspaceId: string) {
    const w = await this.workspace(workspaceId);
    const names = new Intl.DisplayNames(['en'], { type: 'language' });
    return {
      name: w.name,
      subdomain: w.subdomain ?? '',
      support_email: w.support_email ?? '',
      languages: (w.languages as string[]).map((code) => ({ code, name: names.of(code) ?? code })),
      action_tracking: !!w.flags.action_tracking,
      email_transcripts: !!w.flags.email_transcripts,
      message_preview: !!w.flags.message_preview,
      email_enhancement: !!w.flags.email_enhancement,
    };
  }

  async afterHours(workspaceId: string, lang: string, now = this.now()): Promise<{ open: boolean; message: string | null }> {
    const w = await this.workspace(workspaceId);
    const open = isOpen(w.business_hours, w.time_zone, now);
    return { open, message: open ? null : pick(w.after_hours_message, lang) ?? 'We are away right now. Leave us an email and we will answer when we are back.' };
  }

  async menus(workspaceId: string, session: Session, key: string | undefined, lang: string) {
    const rows = await this.db.query('select * from menus where workspace_id = $1 order by position, id', [workspaceId]);
    const item = (m: Row): Row => {
      const children = rows.filter((c) => c.parent_id === m.id).map(item);
      return {
        id: Number(m.id),
        name: pick(m.names, lang) ?? undefined,
        enabled: m.enabled,
        ...(m.redirection ? { redirection: m.redirection } : {}),
        ...(children.length ? { children } : {}),
        channels: (m.channels as string[]).map((type) => ({ type, enabled: m.enabled })),
        deflection: { enabled: m.deflection_enabled, type: 'virtual_agent' },
      };
    };
    if (key) {
      const direct = rows.find((m) => m.key === key);
      if (!direct) throw new HttpError(404, 'unknown_menu_key', `No menu has the direct key "${key}"`);
      return { menus: [item(direct)], direct: { key: true, user: session.contact_id !== null } };
    }
    return { menus: rows.filter((m) => m.parent_id === null).map(item), direct: { key: false, user: session.contact_id !== null } };
  }

  async menu(workspaceId: string, menuId: number | string): Promise<Row> {
    if (!/^\d{1,15}$/.test(String(menuId))) throw new HttpError(400, 'invalid_request', `menu_id must be a menu's number, got ${JSON.stringify(menuId)}`);
    const [m] = await this.db.query('select * from menus where id = $1 and workspace_id = $2', [Number(menuId), workspaceId]);
    if (!m) throw new HttpError(404, 'unknown_menu', `Menu ${menuId} was not found`);
    return m;
  }

  /**
   * Expected waits in seconds, from the live queue: the chats waiting for this
   * menu, the operators online, and the recent handle time (finished chats of
   * the last 7 days, else 5 minutes). Null when nobody is online.
   */
  async waitTimes(workspaceId: string, menuId: number | string) {
    const menu = await this.menu(workspaceId, menuId);
    const [row] = await this.db.query(
      `select
         (select count(*)::int from conversations where workspace_id = $1 and menu_id = $2 and chat_status = 'queued') as queued,
         (select count(*)::int from agents where workspace_id = $1 and kind = 'person' and last_seen_at > now() - interval '90 seconds') as online,
         (select extract(epoch from avg(finished_at - coalesce(assigned_at, created_at)))::float from conversations
           where workspace_id = $1 and finished_at > now() - interval '7 days') as handle`,
      [workspaceId, menu.id],
    );
    const handle = row!.handle ?? DEFAULT_HANDLE_SECONDS;
    const estimate = row!.online > 0 ? Math.round((row!.queued / row!.online) * handle) : null;
    const channels = menu.channels as string[];
    return {
      chat: channels.includes('chat') ? estimate : null,
      voice_call: channels.includes('voice_call') ? estimate : null,
      queued: row!.queued,
      operators_online: row!.online,
    };
  }

  // ---- the chat lifecycle ----

  async chatFor(session: Session, id: string, q: Queryable = this.db): Promise<Row> {
    const [c] = await q.query(
      `select * from conversations where id = $1 and workspace_id = $2 and ${visitorOwns(3)}`,
      [id, session.workspace_id, session.id],
    );
    if (!c) throw notFound(`Chat ${id}`);
    return c;
  }

  async describe(c: Row) {
    const [agent] = c.assignee_id ? await this.db.query('select id, name from agents where id = $1', [c.assignee_id]) : [];
    return chatJson(c, agent ?? null);
  }

  async ongoing(session: Session) {
    const [c] = await this.db.query(
      `select * from conversations where workspace_id = $1 and ${visitorOwns(2)}
         and chat_status not in ('finished', 'dismissed') and status <> 'closed' order by created_at desc limit 1`,
      [session.workspace_id, session.id],
    );
    return c ? this.describe(c) : null;
  }

  async createChat(session: Session, input: { menu_id: number | string; lang: string; trigger_id?: string | number; ticket_id?: string; email?: string; greeting?: string; cobrowsable?: boolean; custom_data?: Row }) {
    const menu = await this.menu(session.workspace_id, input.menu_id);
    if (!menu.enabled) throw new HttpError(409, 'menu_disabled', `Menu ${menu.id} is not enabled`);
    if (!(menu.channels as string[]).includes('chat')) throw new HttpError(409, 'channel_unavailable', `Menu ${menu.id} offers no chat (channels: ${(menu.channels as string[]).join(', ')})`);
    const hours = await this.afterHours(session.workspace_id, input.lang);
    if (!hours.open) throw new HttpError(409, 'outside_business_hours', hours.message ?? 'Outside business hours');
    const ongoing = await this.ongoing(session);
    if (ongoing) throw new HttpError(409, 'chat_ongoing', `Chat ${ongoing.id} is still going on; finish or dismiss it first, or resume it`);
    const status: ChatStatus = menu.deflection_enabled ? 'va_assigned' : 'queued';
    const c = await this.chat.write(async (q, emit) => {
      const [row] = await q.query(
        `insert into conversations (id, workspace_id, session_id, contact_id, agent_id, assignee_id, menu_id, lang, chat_status, trigger_id, ticket_id, email, cobrowsable, custom_data, fields)
         values ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) returning *`,
        [newId('cnv'), session.workspace_id, session.id, session.contact_id, session.agent_id, menu.id, input.lang, status,
          input.trigger_id === undefined ? null : Number(input.trigger_id) || null, input.ticket_id ?? null, input.email ?? null, input.cobrowsable ?? false, JSON.stringify(input.custom_data ?? {})],
      );
      emit({ workspace_id: row!.workspace_id, session_id: null, contact_id: null, conversation_id: row!.id, type: 'conversation.created', visitor: false, operator: true, payload: { conversation: { id: row!.id, status: row!.status, chat_status: status } } });
      return row!;
    });
    if (input.greeting) await this.visitorSays(session, c.id, input.greeting, `greeting-${c.id}`);
    return this.describe(await this.chatFor(session, c.id));
  }

  /** A visitor message in a chat; in a chat the virtual agent holds, it answers from the help articles. */
  async visitorSays(session: Session, chatId: string, content: string, clientId: string, fileId?: string) {
    const result = await this.chat.visitorMessage(session, { client_id: clientId, content, conversation_id: chatId, ...(fileId ? { file_id: fileId } : {}) });
    if (result.created && result.chatStatus === 'va_assigned' && !fileId) await this.virtualAgentAnswer(session, chatId, content);
    return result;
  }

  /** Full-text search over the workspace's articles in the chat's language (PostgreSQL `tsvector`). */
  async searchArticles(workspaceId: string, text: string, lang: string, limit = 3) {
    const config = ({ en: 'english', fr: 'french', es: 'spanish', de: 'german', nl: 'dutch' } as Record<string, string>)[lang.split('-')[0]!] ?? 'simple';
    return this.db.query<{ title: string; slug: string; locale: string; excerpt: string; rank: number }>(
      `with q as (select nullif(replace(plainto_tsquery($3::regconfig, $2)::text, ' & ', ' | '), '')::tsquery as q)
       select a.title, a.slug, a.locale, left(a.body, 160) as excerpt, ts_rank(a.search, q.q) as rank
         from articles a, q
        where a.workspace_id = $1 and q.q is not null and a.search @@ q.q and (a.locale = $4 or a.locale = split_part($4, '-', 1))
        order by rank desc limit $5`,
      [workspaceId, text, config, lang, limit],
    );
  }

  async virtualAgentAnswer(session: Session, chatId: string, question: string): Promise<void> {
    const c = await this.chatFor(session, chatId);
    const [menu] = c.menu_id ? await this.db.query('select * from menus where id = $1', [c.menu_id]) : [];
    const threshold = menu?.deflection_threshold ?? 0.05;
    const found = (await this.searchArticles(session.workspace_id, question, c.lang ?? 'en')).filter((a) => a.rank >= threshold);
    const content = found.length
      ? `These articles may answer your question:\n${found.map((a) => `• ${a.title}`).join('\n')}\nNot what you need? Ask for a person and we will connect you.`
      : 'I could not find an article about that. Ask for a person and we will connect you.';
    await this.botMessage(c, content, { articles: found.map(({ rank: _r, ...a }) => a), escalate: true });
  }

  async botMessage(c: Row, content: string, data: Row | null): Promise<void> {
    await this.chat.write(async (q, emit) => {
      const [m] = await q.query<{ m: Row }>(
        `with ins as (insert into messages (id, workspace_id, conversation_id, author, author_name, content, data)
           values ($1, $2, $3, 'bot', 'Virtual agent', $4, $5) returning *)
         select chat_message_json(ins) as m from ins`,
        [newId('msg'), c.workspace_id, c.id, content, data ? JSON.stringify(data) : null],
      );
      emit({ workspace_id: c.workspace_id, session_id: null, contact_id: null, conversation_id: c.id, type: 'message', visitor: false, operator: true, payload: { message: m!.m } });
      emit({ workspace_id: c.workspace_id, session_id: c.session_id, contact_id: c.contact_id, conversation_id: c.id, type: 'message', visitor: true, operator: false, payload: { message: m!.m } });
    });
  }

  /** Moves a chat from one of `from` to `to`; a clear 409 otherwise. */
  async transition(session: Session, chatId: string, from: ChatStatus[], to: ChatStatus | 'previous', verb: string) {
    const c = await this.chat.write(async (q, emit) => {
      const current = await this.chatFor(session, chatId, q);
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
      emit({ workspace_id: row!.workspace_id, session_id: row!.session_id, contact_id: row!.contact_id, conversation_id: row!.id, type: 'chat.updated', visitor: true, operator: false, payload: { chat_id: row!.id, status: next } });
      emit({ workspace_id: row!.workspace_id, session_id: null, contact_id: null, conversation_id: row!.id, type: 'conversation.updated', visitor: false, operator: true, payload: { conversation: { id: row!.id, status: row!.status, chat_status: next, assignee_id: row!.assignee_id } } });
      if (next === 'finished' && row!.assignee_id) {
        emit({ workspace_id: row!.workspace_id, session_id: row!.session_id, contact_id: row!.contact_id, conversation_id: row!.id, type: 'chat.member_left', visitor: true, operator: false, payload: { chat_id: row!.id, member: { id: row!.assignee_id, type: 'agent' } } });
      }
      return row!;
    });
    return this.describe(c);
  }

  async deflection(session: Session, chatId: string) {
    const c = await this.chatFor(session, chatId);
    if (!c.menu_id) return null;
    const [m] = await this.db.query('select deflection_enabled, deflection_threshold, keep_waiting from menus where id = $1', [c.menu_id]);
    if (!m) return null;
    return { enabled: m.deflection_enabled, threshold: m.deflection_threshold, keep_waiting: m.keep_waiting };
  }

  // ---- files ----

  async fileRules(workspaceId: string) {
    const w = await this.workspace(workspaceId);
    return { prohibited: w.prohibited_file_types as string[], max_bytes: w.max_file_bytes as number };
  }

  /** Checks a file against the workspace's rules; the same words as the client's check. */
  async checkFile(workspaceId: string, name: string, size: number) {
    const rules = await this.fileRules(workspaceId);
    const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    if (rules.prohibited.includes(ext)) throw new HttpError(415, 'prohibited_file_type', `Files of type .${ext} are not accepted`);
    if (size > rules.max_bytes) throw new HttpError(413, 'file_too_large', `The file is ${(size / 1048576).toFixed(1)} MB; at most ${(rules.max_bytes / 1048576).toFixed(0)} MB is accepted`);
    if (size === 0) throw new HttpError(400, 'empty_file', 'The file is empty');
  }

  async storeFile(session: Session, conversationId: string | null, file: { name: string; mime: string; bytes: Buffer }) {
    await this.checkFile(session.workspace_id, file.name, file.bytes.length);
    const id = newId('file');
    await this.db.query('insert into files (id, workspace_id, conversation_id, session_id, name, mime, size, bytes) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
      id, session.workspace_id, conversationId, session.id, file.name.slice(0, 255), file.mime || 'application/octet-stream', file.bytes.length, file.bytes,
    ]);
    return { id, name: file.name, mime: file.mime, size: file.bytes.length };
  }

  /** A file for its own visitor (by session or contact) or for its workspace's operators; 404 for anyone else. */
  async file(id: string, who: { session?: Session; workspaceId?: string }) {
    const [f] = await this.db.query(
      `select f.*, c.session_id as conv_session, c.contact_id as conv_contact from files f left join conversations c on c.id = f.conversation_id where f.id = $1`,
      [id],
    );
    const s = who.session;
    const allowed = f && (s
      ? f.workspace_id === s.workspace_id &&
        (f.conv_contact ? f.conv_contact === s.contact_id : f.session_id === s.id || f.conv_session === s.id)
      : f.workspace_id === who.workspaceId);
    if (!allowed) throw notFound(`File ${id}`);
    return f;
  }

  // ---- after a chat ----

  async rate(session: Session, chatId: string, rating: number, feedback?: string) {
    const c = await this.chatFor(session, chatId);
    if (c.chat_status !== 'finished') throw new HttpError(409, 'chat_not_finished', `Chat ${chatId} is ${c.chat_status}; rate it once it is finished`);
    await this.db.query('update conversations set rating = $2, feedback = $3 where id = $1', [c.id, rating, feedback ?? null]);
    return { rating, feedback: feedback ?? null };
  }

  async survey(workspaceId: string, lang: string) {
    const w = await this.workspace(workspaceId);
    const rows = await this.db.query('select * from survey_questions where workspace_id = $1 and not retired order by position, id', [workspaceId]);
    return {
      sign_off_display_text: pick(w.survey_sign_off, lang) ?? 'Thank you for your feedback!',
      questions: rows.map((q) => ({ id: Number(q.id), type: q.type, display_text: pick(q.display_text, lang) ?? '', ...(q.valid_answers ? { valid_answers: q.valid_answers } : {}) })),
    };
  }

  /** Checks every answer against its question, then stores them all, or none. */
  async answerSurvey(session: Session, chatId: string, answers: Record<string, unknown>) {
    const c = await this.chatFor(session, chatId);
    if (c.chat_status !== 'finished') throw new HttpError(409, 'chat_not_finished', `Chat ${chatId} is ${c.chat_status}; answer the survey once it is finished`);
    const questions = new Map((await this.db.query('select * from survey_questions where workspace_id = $1 and not retired', [session.workspace_id])).map((q) => [String(q.id), q]));
    const entries = Object.entries(answers);
    if (!entries.length) throw new HttpError(400, 'invalid_request', 'Answer at least one question');
    const checked: [string, string][] = entries.map(([id, answer]) => {
      const q = questions.get(id);
      if (!q) throw new HttpError(400, 'unknown_question', `Question ${id} is not in this workspace's survey`);
      if (q.type === 'rating') {
        const [min, max] = q.valid_answers as [number, number];
        if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < min || answer > max) {
          throw new HttpError(400, 'invalid_answer', `Question ${id} takes a whole number from ${min} to ${max}, got ${JSON.stringify(answer)}`);
        }
      } else if (q.type === 'choice') {
        if (!(q.valid_answers as unknown[]).includes(answer)) {
          throw new HttpError(400, 'invalid_answer', `Question ${id} takes one of ${(q.valid_answers as unknown[]).map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(answer)}`);
        }
      } else if (typeof answer !== 'string' || answer.length > 2000) {
        throw new HttpError(400, 'invalid_answer', `Question ${id} takes text of at most 2000 characters`);
      }
      return [id, String(answer)];
    });
    await this.db.tx(async (q) => {
      for (const [id, answer] of checked) {
        await q.query(
          'insert into survey_answers (conversation_id, question_id, answer) values ($1, $2, $3) on conflict (conversation_id, question_id) do update set answer = excluded.answer',
          [c.id, Number(id), answer],
        );
      }
    });
    return { answered: checked.length };
  }

  /** Mails the transcript (SMTP_URL), or keeps it in the outbox that operators read. */
  async sendTranscript(session: Session, chatId: string, emails: string[]) {
    const bad = emails.filter((e) => !EMAIL.test(e));
    if (bad.length) throw new HttpError(400, 'invalid_email', `Not an email address: ${bad.map((e) => JSON.stringify(e)).join(', ')}`);
    const c = await this.chatFor(session, chatId);
    const w = await this.workspace(session.workspace_id);
    const messages = await this.chat.messagesOf(c.id, { after: 0, limit: 5000, internal: false });
    const body = messages
      .map((m) => `[${m.created_at.slice(0, 16).replace('T', ' ')} UTC] ${m.author === 'visitor' ? 'You' : m.author_name ?? m.author}: ${m.content}`)
      .join('\n');
    const subject = `Your conversation with ${w.name}`;
    let status: 'sent' | 'queued' | 'failed' = 'queued';
    let error: string | null = null;
    if (this.mailer) {
      try {
        await this.mailer.sendMail({ from: this.mailFrom, to: emails, subject, text: body });
        status = 'sent';
      } catch (e) {
        status = 'failed';
        error = (e as Error).message;
      }
    }
    const id = newId('trn');
    await this.db.query('insert into transcripts (id, workspace_id, conversation_id, recipients, subject, body, status, error) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
      id, session.workspace_id, c.id, emails, subject, body, status, error,
    ]);
    if (status === 'failed') throw new HttpError(502, 'mail_failed', `The transcript could not be mailed: ${error}`);
    return { id, status };
  }

  async createEmail(session: Session, input: { name?: string; email: string; content: string; menu_id: number | string; lang: string; file_ids?: string[] }) {
    if (!EMAIL.test(input.email)) throw new HttpError(400, 'invalid_email', `Not an email address: ${JSON.stringify(input.email)}`);
    const menu = await this.menu(session.workspace_id, input.menu_id);
    for (const id of input.file_ids ?? []) await this.file(id, { session });
    const id = newId('eml');
    await this.chat.write(async (q, emit) => {
      await q.query('insert into email_tickets (id, workspace_id, session_id, menu_id, lang, name, email, content, file_ids) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        id, session.workspace_id, session.id, menu.id, input.lang, input.name ?? null, input.email, input.content, input.file_ids ?? [],
      ]);
      emit({ workspace_id: session.workspace_id, session_id: null, contact_id: null, conversation_id: null, type: 'email.created', visitor: false, operator: true, payload: { email: { id, email: input.email, menu_id: Number(menu.id) } } });
    });
    return { id, status: 'open' };
  }

  /** The first enabled trigger whose page pattern, seconds on page and visit count match. */
  async trigger(workspaceId: string, page: { url: string; seconds: number; visits: number }, lang: string) {
    const rows = await this.db.query('select * from triggers where workspace_id = $1 and enabled order by position, id', [workspaceId]);
    const match = rows.find((t) => {
      const re = new RegExp(`^${t.url_pattern.split('*').map((p: string) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      return re.test(page.url) && page.seconds >= t.min_seconds_on_page && page.visits >= t.min_visits;
    });
    return match ? { id: String(match.id), name: match.name, message: pick(match.message, lang) ?? '', delay_seconds: match.min_seconds_on_page } : null;
  }
}
