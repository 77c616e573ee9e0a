import { ModelError } from './model.js';

/**
 * Embeddings from an OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, vLLM, llama.cpp's
 * server, LM Studio all have one; Anthropic has none). Called from the server only, like the model.
 */
export interface EmbedConfig {
  /** The API root that has /embeddings. */
  baseUrl: string;
  model: string;
  key: string | null;
}

/** How many texts go in one request. */
const BATCH = 32;

/** One vector per text, in order; a ModelError when the endpoint fails, times out or answers something else. */
export async function embed(config: EmbedConfig, texts: string[], options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += BATCH) out.push(...(await batch(config, texts.slice(i, i + BATCH), options)));
  return out;
}

async function batch(config: EmbedConfig, input: string[], options: { signal?: AbortSignal; timeoutMs?: number }): Promise<number[][]> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]);
  let res: Response;
  try {
    res = await fetch(`${config.baseUrl.replace(/\/+$/, '')}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
      body: JSON.stringify({ model: config.model, input }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new ModelError('model_timeout', `The embeddings endpoint did not answer within ${timeoutMs / 1000} s`);
    throw new ModelError('model_unreachable', `The embeddings endpoint at ${config.baseUrl} could not be reached: ${(error as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelError('model_error', `The embeddings endpoint answered ${res.status}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) throw new ModelError('model_error', `The embeddings endpoint answered ${res.status}: ${json?.error?.message ?? text.slice(0, 200)}`);
  const data: { index?: number; embedding?: unknown }[] = Array.isArray(json?.data) ? json.data : [];
  const vectors = data
    .map((d, i) => ({ index: typeof d.index === 'number' ? d.index : i, embedding: d.embedding }))
    .sort((a, b) => a.index - b.index)
    .map((d) => d.embedding);
  const width = Array.isArray(vectors[0]) ? vectors[0].length : 0;
  if (vectors.length !== input.length || !width || !vectors.every((v) => Array.isArray(v) && v.length === width && v.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    throw new ModelError('model_error', `The embeddings endpoint answered ${vectors.length} vectors for ${input.length} texts, or vectors that are not lists of numbers of one length`);
  }
  return vectors as number[][];
}

/** A vector as pgvector reads it. */
export const toVector = (v: number[]) => `[${v.join(',')}]`;
