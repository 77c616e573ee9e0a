import { readEventStream } from '../../src/client/sse.js';

export type Assignee = 'me' | 'unassigned' | 'all';
export type StatusFilter = 'open' | 'pending' | 'closed' | 'all';

export interface InboxConversation {
  id: string;
  name: string;
  status: string;
  chat_status: string;
  unread_count: number;
  updated_at: string;
  created_at: string;
  assignee_id: string | null;
  assignee_name: string | null;
  topic: string | null;
  page_url: string | null;
  rating: number | null;
  match: string | null;
  last_message: { content: string; author: string; author_name: string | null; internal: boolean; attachment: string | null; created_at: string } | null;
  contact: { name: string | null; email: string | null; verified: boolean; email_verified?: boolean; location: string | null } | null;
}

export interface Attachment {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export interface InboxMessage {
  id: string;
  seq: number;
  author: string;
  author_id: string | null;
  author_name: string | null;
  content: string;
  internal: boolean;
  attachment: Attachment | null;
  created_at: string;
  /** An AI answer's sources, what it cites, how it ended and the team's verdict on it. */
  data?: { ai?: { answer_id?: string; sources?: { n: number; title: string; heading: string | null }[]; citations?: { n: number }[]; ended?: string; declined?: boolean; verdict?: 'good' | 'wrong' | null; verdict_by?: string | null; handover?: boolean } } | null;
}

export interface Operator {
  id: string;
  name: string;
  avatar_url: string | null;
  role: string;
  online: boolean;
}

export interface CannedReply {
  id: string;
  shortcut: string;
  content: string;
}

export interface Me {
  workspace_id: string;
  agent: { id: string; name: string } | null;
}

/** An answer of the operator API that is not a success: its `{error: {code, message}}`. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The operator API, for the inbox page: fetch lives here, not in the elements. */
export class InboxClient {
  #stream: AbortController | null = null;
  #files = new Map<string, Promise<string>>();

  constructor(readonly key: string, readonly base = '/api/agent') {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? `The server answered ${res.status}`);
    return json as T;
  }

  me = () => this.call<Me>('GET', '/me');
  team = () => this.call<{ operators: Operator[] }>('GET', '/team').then((r) => r.operators);
  conversations = (filter: { assignee: Assignee; status: StatusFilter; q: string }) => {
    const query = new URLSearchParams({ assignee: filter.assignee, status: filter.status, limit: '200' });
    if (filter.q.trim()) query.set('q', filter.q.trim());
    return this.call<{ conversations: InboxConversation[] }>('GET', `/conversations?${query}`).then((r) => r.conversations);
  };
  conversation = (id: string) => this.call<Record<string, any>>('GET', `/conversations/${id}`);
  /** A conversation's newest messages (a page of up to 200), oldest first, and the cursor of the page before. */
  messages = (id: string, before?: string | null) =>
    this.call<{ messages: InboxMessage[]; earlier: string | null }>('GET', `/conversations/${id}/messages?limit=200${before ? `&before=${before}` : ''}`);
  reply = (id: string, content: string, internal: boolean) => this.call<{ message: InboxMessage }>('POST', `/conversations/${id}/messages`, { content, internal }).then((r) => r.message);
  setStatus = (id: string, status: string) => this.call('POST', `/conversations/${id}/status`, { status });
  assign = (id: string, assignee_id: string | null) => this.call('POST', `/conversations/${id}/assign`, { assignee_id });
  read = (id: string) => this.call('POST', `/conversations/${id}/read`);
  typing = (id: string, typing: boolean) => this.call('POST', `/conversations/${id}/typing`, { typing });
  canned = () => this.call<{ canned_replies: CannedReply[] }>('GET', '/canned-replies').then((r) => r.canned_replies);

  /** A file of a conversation as a blob: URL of this page (the file route needs the key, which a plain link cannot send). */
  file(id: string): Promise<string> {
    let url = this.#files.get(id);
    if (!url) {
      url = fetch(`${this.base}/files/${id}`, { headers: { authorization: `Bearer ${this.key}` } }).then(async (res) => {
        if (!res.ok) throw new ApiError(res.status, 'file', `The file could not be loaded (${res.status})`);
        return URL.createObjectURL(await res.blob());
      });
      url.catch(() => this.#files.delete(id));
      this.#files.set(id, url);
    }
    return url;
  }

  /** Live events of the workspace; reconnects with Last-Event-ID until `close()`. */
  listen(onEvent: (type: string, data: any) => void, onState: (online: boolean) => void): void {
    const controller = new AbortController();
    this.#stream = controller;
    let last = '';
    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          const res = await fetch(`${this.base}/stream`, {
            headers: { authorization: `Bearer ${this.key}`, ...(last ? { 'last-event-id': last } : {}) },
            signal: controller.signal,
          });
          if (!res.ok || !res.body) throw new Error(String(res.status));
          onState(true);
          await readEventStream(res.body, (e) => {
            if (e.id) last = e.id;
            onEvent(e.event, JSON.parse(e.data));
          });
        } catch {
          /* retried below */
        }
        if (controller.signal.aborted) return;
        onState(false);
        await new Promise((r) => setTimeout(r, 2000));
      }
    };
    void run();
  }

  close(): void {
    this.#stream?.abort();
    for (const url of this.#files.values()) void url.then(URL.revokeObjectURL, () => {});
    this.#files.clear();
  }
}
