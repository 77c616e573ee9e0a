/** The client's transport: JSON requests and multipart uploads to the widget API, and the errors they raise. */

/** An error from the server or the network: `code` says what kind, `message` what is wrong. */
export class ChatError extends Error {
  constructor(readonly code: string, message: string, readonly status = 0, readonly fields?: Record<string, string>) {
    super(message);
    this.name = 'ChatError';
  }
}

/** Any error as a ChatError (`unexpected` when it was something else). */
export const toChatError = (error: unknown): ChatError =>
  error instanceof ChatError ? error : new ChatError('unexpected', String((error as Error)?.message ?? error));

const parse = (text: string): any => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

/** Requests to the widget API at `api` (no trailing slash), with the session's `token` when there is one. */
export class Http {
  token: string | null = null;

  constructor(readonly api: string) {}

  /** The server could not be reached. */
  protected offline(): void {}

  async request<T = any>(method: string, path: string, body?: unknown, auth = true, keepalive = false): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(this.api + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout?.(15_000),
        cache: 'no-store',
        // A last batch sent as the page goes away must outlive it.
        ...(keepalive ? { keepalive: true } : {}),
      });
    } catch {
      this.offline();
      throw new ChatError('network', `Could not reach ${this.api}; will retry when the connection is back`);
    }
    const json = parse(await res.text());
    if (!res.ok) {
      const error = new ChatError(json?.error?.code ?? 'http_error', json?.error?.message ?? `The server answered ${res.status}`, res.status, json?.error?.fields);
      if (Array.isArray(json?.error?.next_slots)) Object.assign(error, { next_slots: json.error.next_slots as string[] });
      throw error;
    }
    return json as T;
  }

  /** A multipart upload with progress (XMLHttpRequest: fetch reports no upload progress). */
  upload<T>(path: string, file: Blob, name: string, progress: (loaded: number, total: number) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.api + path);
      xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.upload.onprogress = (e) => progress(e.loaded, e.total || file.size);
      xhr.onerror = () => reject(new ChatError('network', `Could not reach ${this.api}; the file was not sent`));
      xhr.onload = () => {
        const json = parse(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
        else reject(new ChatError(json?.error?.code ?? 'http_error', json?.error?.message ?? `The server answered ${xhr.status}`, xhr.status));
      };
      const form = new FormData();
      form.append('file', file, name);
      xhr.send(form);
    });
  }
}
