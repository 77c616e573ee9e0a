import { readEventStream } from '../../src/client/sse.js';

export interface InboxConversation {
  id: string;
  status: string;
  chat_status: string;
  unread_count: number;
  updated_at: string;
  assignee_id: string | null;
  last_message: { content: string; author: string; internal: boolean } | null;
  contact: { name: string | null; email: string | null; verified: boolean; email_verified?: boolean } | null;
}

export interface InboxMessage {
  id: string;
  seq: number;
  author: string;
  author_name: string | null;
  content: string;
  internal: boolean;
  created_at: string;
}

/** The operator API, for the inbox page: fetch lives here, not in the element. */
export class InboxClient {
  #stream: AbortController | null = null;

  constructor(readonly key: string, readonly base = '/api/agent') {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(json?.error?.message ?? `The server answered ${res.status}`);
    return json as T;
  }

  me = () => this.call<{ workspace_id: string; agent: { id: string; name: string } | null }>('GET', '/me');
  conversations = () => this.call<{ conversations: InboxConversation[] }>('GET', '/conversations').then((r) => r.conversations);
  conversation = (id: string) => this.call<Record<string, any>>('GET', `/conversations/${id}`);
  /** A conversation's messages, oldest first: its pages from the newest back, up to 5,000 (the inbox has no paging of its own yet). */
  messages = async (id: string) => {
    const pages: InboxMessage[][] = [];
    let before: string | null = null;
    for (let i = 0; i < 25; i++) {
      const page: { messages: InboxMessage[]; earlier: string | null } = await this.call('GET', `/conversations/${id}/messages?limit=200${before ? `&before=${before}` : ''}`);
      pages.unshift(page.messages);
      before = page.earlier;
      if (!before) break;
    }
    return pages.flat();
  };
  reply = (id: string, content: string, internal: boolean) => this.call('POST', `/conversations/${id}/messages`, { content, internal });
  setStatus = (id: string, status: string) => this.call('POST', `/conversations/${id}/status`, { status });
  assign = (id: string, assignee_id: string | null) => this.call('POST', `/conversations/${id}/assign`, { assignee_id });
  read = (id: string) => this.call('POST', `/conversations/${id}/read`);
  typing = (id: string, typing: boolean) => this.call('POST', `/conversations/${id}/typing`, { typing });
  emails = () => this.call<{ emails: { id: string; name: string | null; email: string; content: string; created_at: string }[] }>('GET', '/emails').then((r) => r.emails);

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
  }
}
