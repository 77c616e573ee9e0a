import type { Db, Row } from '../../db/db.js';
import { HttpError, notFound } from '../../http/errors.js';
import type { EmbedConfig } from './embed.js';
import { ModelError, streamAnswer, type ModelConfig, type Provider } from './model.js';

/** What an admin sets (PUT /api/agent/ai, the CLI's `ai set`); `api_key` omitted keeps the one stored, null removes it. */
export interface AiModelInput {
  provider: Provider;
  base_url: string;
  model: string;
  api_key?: string | null;
  enabled?: boolean;
  max_answer_tokens?: number;
  visitor_requests_per_hour?: number;
  workspace_tokens_per_day?: number;
  /** An OpenAI-compatible embedding model (omitted keeps the one stored, null removes it: full text alone). */
  embedding_model?: string | null;
  /** Where it is served; null (the default) is the chat model's own base URL, with its key. */
  embedding_base_url?: string | null;
  /** The key for `embedding_base_url` when it is another server; omitted keeps it, null removes it. */
  embedding_api_key?: string | null;
  /** The least cosine similarity that makes a chunk a source by its embedding alone (0 to 1, default 0.5). */
  min_similarity?: number;
}

/** What leaves the server about a workspace's model: never its key, only whether one is set. */
export interface AiModelView {
  provider: Provider;
  base_url: string;
  model: string;
  key_set: boolean;
  enabled: boolean;
  max_answer_tokens: number;
  visitor_requests_per_hour: number;
  workspace_tokens_per_day: number;
  embedding_model: string | null;
  embedding_base_url: string | null;
  embedding_key_set: boolean;
  min_similarity: number;
}

const view = (r: Row): AiModelView => ({
  provider: r.provider, base_url: r.base_url, model: r.model, key_set: !!r.api_key, enabled: r.enabled,
  max_answer_tokens: r.max_answer_tokens, visitor_requests_per_hour: r.visitor_requests_per_hour, workspace_tokens_per_day: r.workspace_tokens_per_day,
  embedding_model: r.embedding_model, embedding_base_url: r.embedding_base_url, embedding_key_set: !!r.embedding_api_key,
  min_similarity: Math.round(Number(r.min_similarity) * 1000) / 1000,
});

/** What the agent embeds with: the embedding model, where, with which key; and the similarity a source needs. */
export interface EmbeddingConfig extends EmbedConfig {
  minSimilarity: number;
}

/** A base URL the server may call: http or https, no credentials in it (the key has its own field). */
function checkBaseUrl(value: string, field = 'base_url'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(400, 'invalid_request', `body/${field} "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError(400, 'invalid_request', `body/${field} must be an http or https URL`);
  if (url.username || url.password) throw new HttpError(400, 'invalid_request', `body/${field} must not hold credentials: give the key as ${field === 'base_url' ? 'api_key' : 'embedding_api_key'}`);
  return value.replace(/\/+$/, '');
}

/** Which model each workspace's AI agent uses (migration 018). */
export class AiSettings {
  constructor(readonly db: Db) {}

  /** The model as the server uses it, with its key; null when the workspace has none (or it is off). */
  async config(workspaceId: string): Promise<(ModelConfig & { limits: Pick<AiModelView, 'max_answer_tokens' | 'visitor_requests_per_hour' | 'workspace_tokens_per_day'> }) | null> {
    const [r] = await this.db.query('select * from ai_models where workspace_id = $1 and enabled', [workspaceId]);
    if (!r) return null;
    return {
      provider: r.provider, baseUrl: r.base_url, model: r.model, key: r.api_key ?? null,
      limits: { max_answer_tokens: r.max_answer_tokens, visitor_requests_per_hour: r.visitor_requests_per_hour, workspace_tokens_per_day: r.workspace_tokens_per_day },
    };
  }

  async get(workspaceId: string): Promise<AiModelView | null> {
    const [r] = await this.db.query('select * from ai_models where workspace_id = $1', [workspaceId]);
    return r ? view(r) : null;
  }

  async set(workspaceId: string, input: AiModelInput): Promise<AiModelView> {
    const baseUrl = checkBaseUrl(input.base_url);
    const [old] = await this.db.query('select * from ai_models where workspace_id = $1', [workspaceId]);
    // What is left out is kept as it is stored (or its default).
    const keep = <K extends keyof AiModelInput>(field: K, fallback: unknown) => (field in input ? input[field] : (old?.[field] ?? fallback));
    const embeddingModel = keep('embedding_model', null) as string | null;
    const embeddingBaseUrl = keep('embedding_base_url', null) as string | null;
    if (embeddingModel && !embeddingBaseUrl && input.provider === 'anthropic') {
      throw new HttpError(400, 'invalid_request', 'Anthropic has no embeddings endpoint: give body/embedding_base_url, an OpenAI-compatible server (Ollama\'s http://localhost:11434/v1, OpenAI\'s...), or no embedding_model');
    }
    const [r] = await this.db.query(
      `insert into ai_models (workspace_id, provider, base_url, model, api_key, enabled, max_answer_tokens, visitor_requests_per_hour, workspace_tokens_per_day,
                              embedding_model, embedding_base_url, embedding_api_key, min_similarity)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       on conflict (workspace_id) do update set provider = excluded.provider, base_url = excluded.base_url, model = excluded.model, api_key = excluded.api_key,
         enabled = excluded.enabled, max_answer_tokens = excluded.max_answer_tokens, visitor_requests_per_hour = excluded.visitor_requests_per_hour,
         workspace_tokens_per_day = excluded.workspace_tokens_per_day, embedding_model = excluded.embedding_model, embedding_base_url = excluded.embedding_base_url,
         embedding_api_key = excluded.embedding_api_key, min_similarity = excluded.min_similarity, updated_at = now()
       returning *`,
      [
        workspaceId, input.provider, baseUrl, input.model, keep('api_key', null), keep('enabled', true), keep('max_answer_tokens', 600),
        keep('visitor_requests_per_hour', 30), keep('workspace_tokens_per_day', 200000), embeddingModel,
        embeddingBaseUrl && checkBaseUrl(embeddingBaseUrl, 'embedding_base_url'), keep('embedding_api_key', null), keep('min_similarity', 0.5),
      ],
    );
    return view(r!);
  }

  /** The workspace's embedding model, where it is served and with which key; null when it has none (or its model is off). */
  async embedding(workspaceId: string): Promise<EmbeddingConfig | null> {
    const [r] = await this.db.query('select * from ai_models where workspace_id = $1 and enabled and embedding_model is not null', [workspaceId]);
    if (!r) return null;
    const own = !r.embedding_base_url;
    return { baseUrl: own ? r.base_url : r.embedding_base_url, model: r.embedding_model, key: own ? r.api_key : r.embedding_api_key, minSimilarity: Number(r.min_similarity) };
  }

  async remove(workspaceId: string): Promise<void> {
    const rows = await this.db.query('delete from ai_models where workspace_id = $1 returning workspace_id', [workspaceId]);
    if (!rows.length) throw notFound('The workspace\'s AI model');
  }

  /**
   * Asks the model for a word, as the agent will: whether it answers, what, and how soon its first
   * token came. A model that fails is an answer here (ok: false and why), not an error of the request.
   */
  async test(workspaceId: string): Promise<{ ok: true; sample: string; first_token_ms: number } | { ok: false; error: { code: string; message: string } }> {
    const config = await this.config(workspaceId);
    if (!config) throw new HttpError(409, 'no_ai_model', 'This workspace has no AI model set (or it is off): PUT /api/agent/ai first');
    const start = performance.now();
    let first = 0;
    let sample = '';
    try {
      for await (const part of streamAnswer(config, [{ role: 'user', content: 'Reply with the single word: ready' }], { maxTokens: 16, firstTokenMs: 15_000, totalMs: 30_000 })) {
        if (part.type !== 'delta') continue;
        first ||= performance.now() - start;
        sample += part.text;
      }
      return { ok: true, sample: sample.slice(0, 200), first_token_ms: Math.round(first) };
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      return { ok: false, error: { code: error.code, message: error.message } };
    }
  }
}
