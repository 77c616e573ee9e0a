/**
 * What the widget API answers (snake_case, as the server writes it), and its one conversion into the
 * client's shape (`toMessage`). The reference server has its own copy of these shapes in its schemas.
 */
import type { ChatStatus } from '../protocol/index.js';
import type { ChatMessage } from './types.js';

export interface ClientContact {
  external_id?: string | null;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  company?: string | null;
  avatar_url?: string | null;
  custom_data?: Record<string, unknown>;
  verified?: boolean;
}

/** A chat of the headless SDK: a conversation with a lifecycle. */
export interface Chat {
  id: string;
  status: ChatStatus;
  menu_id: number | null;
  lang: string | null;
  created_at: string;
  assigned_at: string | null;
  finished_at: string | null;
  agent: { id: string; name: string } | null;
  rating: number | null;
}

export interface MenuItem {
  id: number;
  name?: string;
  enabled: boolean;
  redirection?: { option: string; data: string };
  children?: MenuItem[];
  channels: { type: 'chat' | 'voice_call' | 'email'; enabled: boolean }[];
  deflection?: { enabled: boolean; type: string };
}

export interface ChatRequest {
  menu_id: number | string;
  lang: string;
  trigger_id?: string;
  ticket_id?: string;
  email?: string;
  greeting?: string;
  cobrowsable?: boolean;
}

export interface EmailRequest {
  name?: string;
  email: string;
  content: string;
  menu_id: number | string;
  lang: string;
  files?: File[] | FileList;
  recaptcha?: string;
}

export interface Call {
  id: string;
  status: 'queued' | 'scheduled' | 'done' | 'cancelled';
  menu_id: number | null;
  lang: string;
  phone_number: string;
  scheduled_at: string | null;
  recording_permission: boolean;
  created_at: string;
}

export interface CallRequest {
  menu_id: number | string;
  lang: string;
  phone_number: string;
  scheduled_at?: string;
  ticket_id?: string;
  email?: string;
  recording_permission?: boolean;
}

export interface TicketForm {
  key: string;
  title: string;
  fields: { name: string; label: string; type: 'text' | 'textarea' | 'email' | 'number' | 'select' | 'checkbox'; required: boolean; options?: string[]; max?: number }[];
}

export interface ArticleSummary {
  locale: string;
  slug: string;
  title: string;
  excerpt?: string;
}

export interface ServerMessage {
  id: string;
  /** Its position (the cursor of pages); the stream's messages carry it too. */
  seq?: number;
  conversation_id?: string;
  client_id?: string | null;
  author: ChatMessage['author'];
  author_name?: string | null;
  content: string;
  created_at: string;
  attachment?: { id: string; name: string; mime: string; size: number } | null;
  data?: ChatMessage['data'] | null;
}

export const toMessage = (m: ServerMessage, api: string, token: string | null): ChatMessage =>
  Object.freeze({
    id: m.id,
    ...(m.client_id ? { clientId: m.client_id } : {}),
    author: m.author,
    ...(m.author_name ? { authorName: m.author_name } : {}),
    content: m.content,
    createdAt: m.created_at,
    status: 'sent',
    ...(m.attachment ? { attachment: { ...m.attachment, url: `${api}/files/${m.attachment.id}?token=${encodeURIComponent(token ?? '')}` } } : {}),
    ...(m.data ? { data: m.data } : {}),
  });

/** `GET /messages`, `GET /chats/:id/messages`: a page of messages and where the pages beside it start. */
export interface ServerPage {
  messages: ServerMessage[];
  cursor: string;
  earlier: string | null;
  later: string | null;
}

/** The workspace's choice of brand colour, side and greeting (per language). */
export interface WireAppearance {
  brand_color?: string | null;
  position?: 'right' | 'left' | null;
  greeting?: Record<string, string>;
}

/** `POST /sessions`: the session created or resumed. */
export interface SessionAnswer {
  session: { id: string; token: string };
  stream_cursor: number;
  unread_count: number;
  available: boolean;
  /** Up to three operators for the messenger's home (those online first). */
  team?: { name: string; avatar_url: string | null }[];
  /** The workspace has meetings to book. */
  booking?: boolean;
  /** The widget's look as the workspace set it in the inbox (the page's own settings win). */
  appearance?: WireAppearance;
  resumed: boolean;
  contact: ClientContact | null;
}
