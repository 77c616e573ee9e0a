import type { Db } from '../db/db.js';
import { HttpError, notFound } from '../http/errors.js';
import { sha256 } from './identity.js';
import { pick, type Company } from './company.js';
import type { Conversations } from './conversations.js';
import type { Session } from './sessions.js';

/** What visitors think: a finished chat's rating and survey, and CSAT/NPS scores. */
export class Feedback {
  constructor(readonly db: Db, readonly conversations: Conversations, readonly company: Company) {}

  async rate(session: Session, chatId: string, rating: number, feedback?: string) {
    const c = await this.conversations.ofVisitor(session, chatId);
    if (c.chat_status !== 'finished') throw new HttpError(409, 'chat_not_finished', `Chat ${chatId} is ${c.chat_status}; rate it once it is finished`);
    await this.db.query('update conversations set rating = $2, feedback = $3 where id = $1', [c.id, rating, feedback ?? null]);
    return { rating, feedback: feedback ?? null };
  }

  async survey(workspaceId: string, lang: string) {
    const w = await this.company.workspace(workspaceId);
    const rows = await this.db.query('select * from survey_questions where workspace_id = $1 and not retired order by position, id', [workspaceId]);
    return {
      sign_off_display_text: pick(w.survey_sign_off, lang) ?? 'Thank you for your feedback!',
      questions: rows.map((q) => ({ id: Number(q.id), type: q.type, display_text: pick(q.display_text, lang) ?? '', ...(q.valid_answers ? { valid_answers: q.valid_answers } : {}) })),
    };
  }

  /** Checks every answer against its question, then stores them all, or none. */
  async answerSurvey(session: Session, chatId: string, answers: Record<string, unknown>) {
    const c = await this.conversations.ofVisitor(session, chatId);
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


  /** A CSAT (1-5) or NPS (0-10) score, of the current conversation or the one named (which must be it). */
  async score(session: Session, body: { type: 'csat' | 'nps'; score: number; comment?: string; conversation_id?: string }) {
    const [min, max] = body.type === 'csat' ? [1, 5] : [0, 10];
    if (body.score < min || body.score > max) {
      throw new HttpError(400, 'invalid_request', `body/score must be between ${min} and ${max} for a ${body.type.toUpperCase()} survey`);
    }
    let conversationId: string | null = null;
    if (body.conversation_id) {
      const current = await this.conversations.current(session);
      if (current?.id !== body.conversation_id) throw notFound(`Conversation ${body.conversation_id}`);
      conversationId = current.id;
    } else {
      conversationId = (await this.conversations.current(session))?.id ?? null;
    }
    const id = `srv_${sha256(`${session.id}:${Date.now()}:${Math.random()}`).slice(0, 24)}`;
    await this.db.query(
      'insert into survey_responses (id, workspace_id, session_id, conversation_id, kind, score, comment) values ($1, $2, $3, $4, $5, $6, $7)',
      [id, session.workspace_id, session.id, conversationId, body.type, body.score, body.comment ?? null],
    );
    return { id, type: body.type, score: body.score };
  }
}
