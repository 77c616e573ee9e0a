import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * A language model the site owner runs or rents, reached from the server only (its key never goes to
 * a browser): OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp's server, LM
 * Studio...) or Anthropic Messages, both streamed. `streamAnswer` yields the text as it comes and
 * the usage when the provider tells it; anything that is not a whole answer (an HTTP error, an error
 * event, a timeout, a stream that stops before its end) is a ModelError, never a half answer taken
 * for a whole one.
 */
export type Provider = 'openai' | 'anthropic';

export interface ModelConfig {
  provider: Provider;
  /** OpenAI-compatible: the API root that has /chat/completions (https://api.openai.com/v1, http://localhost:11434/v1). Anthropic: https://api.anthropic.com. */
  baseUrl: string;
  model: string;
  /** Sent as a bearer token (OpenAI-compatible) or x-api-key (Anthropic); none for a local model. */
  key: string | null;
}

export interface Turn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type StreamPart = { type: 'delta'; text: string } | { type: 'usage'; input: number; output: number };

export type ModelErrorCode = 'model_unreachable' | 'model_error' | 'model_timeout' | 'model_interrupted';

export class ModelError extends Error {
  constructor(readonly code: ModelErrorCode, message: string) {
    super(message);
  }
}

export interface StreamOptions {
  signal?: AbortSignal;
  maxTokens?: number;
  /** No first token after this long: a timeout (default 20 s). */
  firstTokenMs?: number;
  /** The whole answer within this long (default 60 s). */
  totalMs?: number;
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

/** The model's answer to `turns`, as it streams. */
export async function* streamAnswer(config: ModelConfig, turns: Turn[], options: StreamOptions = {}): AsyncGenerator<StreamPart> {
  const controller = new AbortController();
  let reason: ModelError | null = null;
  const stop = (error: ModelError) => {
    reason ??= error;
    controller.abort();
  };
  const onAbort = () => stop(new ModelError('model_interrupted', 'The answer was stopped'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let first = setTimeout(() => stop(new ModelError('model_timeout', `The model sent nothing for ${(options.firstTokenMs ?? 20_000) / 1000} s`)), options.firstTokenMs ?? 20_000);
  const total = setTimeout(() => stop(new ModelError('model_timeout', `The model did not finish within ${(options.totalMs ?? 60_000) / 1000} s`)), options.totalMs ?? 60_000);
  const request = config.provider === 'anthropic' ? anthropicRequest(config, turns, options) : openAIRequest(config, turns, options);
  try {
    let res: Response;
    try {
      res = await fetch(request.url, { method: 'POST', headers: request.headers, body: JSON.stringify(request.body), signal: controller.signal });
    } catch (error) {
      throw reason ?? new ModelError('model_unreachable', `The model at ${config.baseUrl} could not be reached: ${(error as Error).message}`);
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let detail = text.slice(0, 300);
      try {
        const json = JSON.parse(text);
        detail = json?.error?.message ?? json?.message ?? detail;
      } catch {
        /* not JSON: the text as it is */
      }
      throw new ModelError('model_error', `The model answered ${res.status}${detail ? `: ${detail}` : ''}`);
    }
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    const read = request.read();
    // Bytes to text across chunk boundaries (a character split between two chunks is decoded whole).
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw reason ?? new ModelError('model_interrupted', `The model's stream broke off: ${(error as Error).message}`);
      }
      if (chunk.done) break;
      parser.feed(chunk.value);
      for (const event of events.splice(0)) {
        for (const part of read.event(event)) {
          if (part.type === 'delta') {
            if (!part.text) continue;
            clearTimeout(first);
            first = undefined as unknown as ReturnType<typeof setTimeout>;
          }
          yield part;
        }
        if (read.done()) return;
      }
    }
    if (reason) throw reason;
    if (!read.done()) throw new ModelError('model_interrupted', 'The model stopped before the end of its answer');
  } finally {
    clearTimeout(first);
    clearTimeout(total);
    options.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

interface Request {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Reads the provider's events: the parts each one holds, and whether the answer is complete. */
  read(): { event(e: EventSourceMessage): StreamPart[]; done(): boolean };
}

function openAIRequest(config: ModelConfig, turns: Turn[], options: StreamOptions): Request {
  return {
    url: join(config.baseUrl, '/chat/completions'),
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
    body: { model: config.model, messages: turns, stream: true, stream_options: { include_usage: true }, ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}) },
    read() {
      let done = false;
      return {
        done: () => done,
        event(e) {
          if (e.data.trim() === '[DONE]') {
            done = true;
            return [];
          }
          let json: any;
          try {
            json = JSON.parse(e.data);
          } catch {
            throw new ModelError('model_error', `The model sent something that is not JSON: ${e.data.slice(0, 100)}`);
          }
          if (json.error) throw new ModelError('model_error', `The model failed: ${json.error.message ?? JSON.stringify(json.error)}`);
          const parts: StreamPart[] = [];
          const text = json.choices?.[0]?.delta?.content;
          if (typeof text === 'string') parts.push({ type: 'delta', text });
          if (json.usage) parts.push({ type: 'usage', input: json.usage.prompt_tokens ?? 0, output: json.usage.completion_tokens ?? 0 });
          return parts;
        },
      };
    },
  };
}

function anthropicRequest(config: ModelConfig, turns: Turn[], options: StreamOptions): Request {
  const system = turns.filter((t) => t.role === 'system').map((t) => t.content).join('\n\n');
  return {
    url: join(config.baseUrl, '/v1/messages'),
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'anthropic-version': '2023-06-01', ...(config.key ? { 'x-api-key': config.key } : {}) },
    body: {
      model: config.model,
      max_tokens: options.maxTokens ?? 1024,
      stream: true,
      ...(system ? { system } : {}),
      messages: turns.filter((t) => t.role !== 'system').map((t) => ({ role: t.role, content: t.content })),
    },
    read() {
      let done = false;
      let input = 0;
      return {
        done: () => done,
        event(e) {
          let json: any;
          try {
            json = JSON.parse(e.data);
          } catch {
            throw new ModelError('model_error', `The model sent something that is not JSON: ${e.data.slice(0, 100)}`);
          }
          switch (json.type) {
            case 'error':
              throw new ModelError('model_error', `The model failed: ${json.error?.message ?? json.error?.type ?? 'an error'}`);
            case 'message_start':
              input = json.message?.usage?.input_tokens ?? 0;
              return [];
            case 'content_block_delta':
              return json.delta?.type === 'text_delta' && typeof json.delta.text === 'string' ? [{ type: 'delta', text: json.delta.text }] : [];
            case 'message_delta':
              return json.usage ? [{ type: 'usage', input, output: json.usage.output_tokens ?? 0 }] : [];
            case 'message_stop':
              done = true;
              return [];
            default:
              return [];
          }
        },
      };
    },
  };
}
