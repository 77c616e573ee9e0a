import { HttpError } from './errors.js';
import { DEFAULT_PAGE, MAX_MESSAGE_LENGTH, MAX_PAGE, PAGE_CURSOR } from '../../src/protocol/limits.js';
/** JSON schemas of the public boundary. Response schemas decide what leaves: a field not named here is never sent. */

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

/** A BCP 47 language tag (en, pt-BR). */
export const lang = { type: 'string', minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' } as const;
/** A menu (topic) id: a number, or its digits as a string. */
export const menuId = { type: ['integer', 'string'], pattern: '^[0-9]{1,15}$', minimum: 1 } as const;
/** Route parameters `:id` (a conversation, call, file... id). */
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;
/** A visitor route's query with only the language (and the token, for EventSource-style callers). */
export const langQuery = { type: 'object', additionalProperties: false, properties: { lang, token: { type: 'string' } } } as const;

/** A message as a visitor may see it: no internal flag, no author ids. */
export const widgetMessage = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    client_id: nullableString,
    conversation_id: { type: 'string' },
    author: { type: 'string', enum: ['visitor', 'agent', 'bot', 'system'] },
    author_name: nullableString,
    content: { type: 'string' },
    created_at: { type: 'string' },
    attachment: {
      type: ['object', 'null'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' }, size: { type: 'integer' } },
    },
    /** Structured content: the virtual agent's article suggestions. */
    data: {
      type: ['object', 'null'],
      properties: {
        articles: {
          type: 'array',
          items: { type: 'object', properties: { title: { type: 'string' }, slug: { type: 'string' }, locale: { type: 'string' }, excerpt: { type: 'string' } } },
        },
        escalate: { type: 'boolean' },
        /** The AI agent's answer: its id (the one its ai.* stream events carry), what it cites, how it ended. */
        ai: {
          type: 'object',
          properties: {
            answer_id: { type: 'string' },
            citations: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' }, title: { type: 'string' }, locale: { type: 'string' }, slug: { type: 'string' }, heading: { type: ['string', 'null'] } } } },
            ended: { type: 'string' },
            declined: { type: 'boolean' },
            limited: { type: 'boolean' },
          },
        },
      },
    },
  },
  required: ['id', 'author', 'content', 'created_at'],
} as const;

const source = { type: 'object', properties: { n: { type: 'integer' }, title: { type: 'string' }, locale: { type: 'string' }, slug: { type: 'string' }, heading: { type: ['string', 'null'] } } } as const;

/** A message as an operator sees it: with an AI answer's every source and the team's verdict on it. */
export const agentMessage = {
  type: 'object',
  properties: {
    ...widgetMessage.properties,
    data: {
      type: ['object', 'null'],
      properties: {
        ...widgetMessage.properties.data.properties,
        ai: {
          type: 'object',
          properties: {
            ...widgetMessage.properties.data.properties.ai.properties,
            sources: { type: 'array', items: source },
            verdict: { type: ['string', 'null'] },
            verdict_by: { type: ['string', 'null'] },
            handover: { type: 'boolean' },
          },
        },
      },
    },
    author_id: nullableString,
    internal: { type: 'boolean' },
    seq: { type: 'integer' },
  },
  required: widgetMessage.required,
} as const;

/** What a visitor may see of their own contact record. */
export const widgetContact = {
  type: ['object', 'null'],
  properties: {
    external_id: nullableString,
    email: nullableString,
    name: nullableString,
    phone: nullableString,
    company: nullableString,
    avatar_url: nullableString,
    custom_data: { type: 'object', additionalProperties: true },
    verified: { type: 'boolean' },
  },
} as const;

export const agentContact = {
  type: ['object', 'null'],
  // email_verified: the email itself was proven (email_hash, a user_hash of the email, a JWT's email);
  // `verified` with email_verified false proves the external id only.
  properties: { id: { type: 'string' }, location: { type: ['string', 'null'] }, ...widgetContact.properties, email_verified: { type: 'boolean' } },
} as const;

export const MAX_CONTENT = MAX_MESSAGE_LENGTH;
export const content = { type: 'string', minLength: 1, maxLength: MAX_CONTENT } as const;
export const clientId = { type: 'string', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const;
export const cursor = { type: 'string', pattern: PAGE_CURSOR.source } as const;

/**
 * A page of a conversation's messages: the newest `limit` by default, those before or after a
 * cursor (a message's position, as the previous page's `earlier` or `cursor` said).
 */
export const pageQuery = { before: cursor, after: cursor, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } } as const;
/** What a page answers beside its messages. */
export const pageAnswer = {
  /** The position of the last message (the `after` of the next newer page; the one asked for when empty). */
  cursor: { type: 'string' },
  /** The `before` of the next older page; null: this page starts at the conversation's first message. */
  earlier: { type: ['string', 'null'] },
  /** The `after` of the next newer page; null: this page ends at the newest message. */
  later: { type: ['string', 'null'] },
} as const;

export type PageParams = { before?: string; after?: string; limit?: string };

export interface Page {
  before?: number;
  after?: number;
  limit: number;
}

/**
 * The page a query asks for. A limit over the maximum gets the maximum (widgets of earlier versions
 * ask for 500 and page on); 0, or both directions at once, are a 400 that says so.
 */
export function pageOf(q: PageParams): Page {
  const limit = Math.min(q.limit === undefined ? DEFAULT_PAGE : Number(q.limit), MAX_PAGE);
  if (limit < 1) throw new HttpError(400, 'invalid_request', `querystring/limit must be at least 1, got ${q.limit}`);
  if (q.before !== undefined && q.after !== undefined) throw new HttpError(400, 'invalid_request', 'querystring: before and after cannot be used together');
  return { limit, ...(q.before !== undefined ? { before: Number(q.before) } : {}), ...(q.after !== undefined ? { after: Number(q.after) } : {}) };
}

/** Opening hours: {"mon": [["09:00", "17:00"]], ...} in the workspace's time zone. */
export const openingHours = {
  type: 'object',
  additionalProperties: false,
  patternProperties: {
    '^(mon|tue|wed|thu|fri|sat|sun)$': { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' } } },
  },
} as const;

/** What operators see of a conversation in the list and in its detail. */
export const conversationSummary = {
  id: { type: 'string' },
  status: { type: 'string' },
  chat_status: { type: 'string' },
  menu_id: { type: ['integer', 'null'] },
  category: { type: ['string', 'null'] },
  assignee_id: { type: ['string', 'null'] },
  agent_id: { type: ['string', 'null'] },
  created_at: { type: 'string' },
  updated_at: { type: 'string' },
} as const;
