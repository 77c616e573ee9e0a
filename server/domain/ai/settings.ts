import type { Db, Row } from '../../db/db.js';
import { HttpError, notFound } from '../../http/errors.js';
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
}

const view = (r: Row): AiModelView => ({
  provider: r.provider, base_url: r.base_url, model: r.model, key_set: !!r.api_key, enabled: r.enabled,
  max_answer_tokens: r.max_answer_tokens, visitor_requests_per_hour: r.visitor_requests_per_hour, workspace_tokens_per_day: r.workspace_tokens_per_day,
});

/** A base URL the server may call: http or https, no credentials in it (the key has its own field). */
function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(400, 'invalid_request', `body/base_url "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError(400, 'invalid_request', 'body/base_url must be an http or https URL');
  if (url.username || url.password) throw new HttpError(400, 'invalid_request', 'body/base_url must not hold credentials: give the key as api_key');
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
    const [r] = await this.db.query(
      `insert into ai_models (workspace_id, provider, base_url, model, api_key, enabled, max_answer_tokens, visitor_requests_per_hour, workspace_tokens_per_day)
       values ($1, $2, $3, $4, $5, coalesce($6, true), coalesce($7, 600), coalesce($8, 30), coalesce($9, 200000))
       on conflict (workspace_id) do update set provider = excluded.provider, base_url = excluded.base_url, model = excluded.model,
         api_key = case when $10 then excluded.api_key else ai_models.api_key end,
         enabled = coalesce($6, ai_models.enabled), max_answer_tokens = coalesce($7, ai_models.max_answer_tokens),
         visitor_requests_per_hour = coalesce($8, ai_models.visitor_requests_per_hour), workspace_tokens_per_day = coalesce($9, ai_models.workspace_tokens_per_day),
         updated_at = now()
       returning *`,
      [workspaceId, input.provider, baseUrl, input.model, input.api_key ?? null, input.enabled ?? null, input.max_answer_tokens ?? null, input.visitor_requests_per_hour ?? null, input.workspace_tokens_per_day ?? null, 'api_key' in input],
    );
    return view(r!);
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
