import type { Db } from '../../db/db.js';
import { embed, toVector } from './embed.js';
import { ModelError } from './model.js';
import type { AiSettings, EmbeddingConfig } from './settings.js';

/**
 * What the AI agent knows: the help center's chunks (migration 019), found by full text and, where
 * the workspace has an embedding model and the database has pgvector, by embedding too; the two
 * rankings merged by reciprocal rank fusion. A chunk is a source only when one of the two finds it
 * relevant enough (its full-text rank, or its similarity to the question): below that the agent
 * does not answer.
 *
 * Embeddings are kept by what was embedded (the article's title and the chunk, hashed), not by chunk:
 * an article edited re-chunks, and only the sections whose text changed are embedded again.
 */
export interface Source {
  n: number;
  title: string;
  locale: string;
  slug: string;
  heading: string | null;
  text: string;
  /** Full-text rank (ts_rank_cd, normalized), 0 when full text did not find it. */
  rank: number;
  /** Cosine similarity to the question, null when not ranked by embedding. */
  similarity: number | null;
}

export interface IndexReport {
  /** Whether this database can hold embeddings (pgvector). */
  vectors: boolean;
  model: string | null;
  chunks: number;
  embedded: number;
  /** Embedded by this call. */
  added: number;
}

/** The least full-text rank a chunk needs to be a source by full text. */
export const MIN_RANK = 0.02;
/** Reciprocal rank fusion's constant (Cormack et al.): a chunk's score is the sum of 1 / (K + its rank) in each ranking. */
const RRF_K = 60;
/** How deep each ranking goes before fusion. */
const DEPTH = 20;
/** What is embedded of a chunk, and its hash: the article's title, then the chunk (its heading is its first line). */
const EMBEDDED = `a.title || E'\\n' || c.body`;

type Row = Omit<Source, 'n' | 'similarity'> & { id: number; similarity?: number };

export class Knowledge {
  #vectors: Promise<boolean> | null = null;
  /** Indexing, one at a time per workspace: the last run asked for, and whether it has begun. */
  readonly #queue = new Map<string, { run: Promise<IndexReport>; begun: boolean }>();

  constructor(readonly db: Db, readonly settings: AiSettings) {}

  /** Whether embeddings can be stored here: pgvector enabled (once per process; false, and full text alone, where it cannot be). */
  vectors(): Promise<boolean> {
    this.#vectors ??= (async () => {
      try {
        await this.db.exec('create extension if not exists vector');
        await this.db.exec(`create table if not exists chunk_embeddings (
          workspace_id text not null references workspaces(id) on delete cascade,
          model text not null,
          hash text not null,
          embedding vector not null,
          created_at timestamptz not null default now(),
          primary key (workspace_id, model, hash))`);
        return true;
      } catch (error) {
        // Another process may have made it at the same moment: what counts is whether it is there now.
        const [row] = await this.db.query(`select to_regclass('chunk_embeddings') is not null as ok`).catch(() => [{ ok: false }]);
        if (!row?.ok) console.warn(`AI agent: no pgvector here (${(error as Error).message}); retrieval is by full text alone`);
        return !!row?.ok;
      }
    })();
    return this.#vectors;
  }

  /**
   * Embeds the workspace's chunks that have no embedding for its model yet, and forgets the
   * embeddings of text no chunk holds any more. A ModelError when the embedding endpoint fails.
   */
  index(workspaceId: string): Promise<IndexReport> {
    const previous = this.#queue.get(workspaceId);
    const entry = { run: null as unknown as Promise<IndexReport>, begun: false };
    entry.run = (previous?.run ?? Promise.resolve(null))
      .catch(() => null)
      .then(() => {
        entry.begun = true;
        return this.#index(workspaceId);
      })
      .finally(() => {
        if (this.#queue.get(workspaceId) === entry) this.#queue.delete(workspaceId);
      });
    this.#queue.set(workspaceId, entry);
    return entry.run;
  }

  async #index(workspaceId: string): Promise<IndexReport> {
    const config = await this.settings.embedding(workspaceId);
    if (config && (await this.vectors())) {
      const missing = await this.db.query<{ hash: string; text: string }>(
        `select distinct md5(${EMBEDDED}) as hash, ${EMBEDDED} as text
           from article_chunks c join articles a on a.id = c.article_id
          where c.workspace_id = $1
            and not exists (select 1 from chunk_embeddings e where e.workspace_id = $1 and e.model = $2 and e.hash = md5(${EMBEDDED}))`,
        [workspaceId, config.model],
      );
      const found = missing.length ? await embed(config, missing.map((m) => m.text)) : [];
      for (let i = 0; i < missing.length; i += 100) {
        const part = missing.slice(i, i + 100);
        await this.db.query(
          `insert into chunk_embeddings (workspace_id, model, hash, embedding)
           select $1, $2, h, v::vector from unnest($3::text[], $4::text[]) as x(h, v) on conflict do nothing`,
          [workspaceId, config.model, part.map((m) => m.hash), part.map((_, j) => toVector(found[i + j]!))],
        );
      }
      await this.db.query(
        `delete from chunk_embeddings e where e.workspace_id = $1
            and not exists (select 1 from article_chunks c join articles a on a.id = c.article_id where c.workspace_id = $1 and md5(${EMBEDDED}) = e.hash)`,
        [workspaceId],
      );
      return { ...(await this.status(workspaceId)), added: missing.length };
    }
    return this.status(workspaceId);
  }

  /** How much of the help center has an embedding for the workspace's model. */
  async status(workspaceId: string): Promise<IndexReport> {
    const config = await this.settings.embedding(workspaceId);
    const vectors = await this.vectors();
    const embeddedHere = vectors && config
      ? `count(*) filter (where exists (select 1 from chunk_embeddings e where e.workspace_id = $1 and e.model = $2 and e.hash = md5(${EMBEDDED})))::int`
      : '0';
    const [row] = await this.db.query<{ chunks: number; embedded: number }>(
      `select count(*)::int as chunks, ${embeddedHere} as embedded from article_chunks c join articles a on a.id = c.article_id where c.workspace_id = $1`,
      vectors && config ? [workspaceId, config.model] : [workspaceId],
    );
    return { vectors, model: config?.model ?? null, chunks: row!.chunks, embedded: row!.embedded, added: 0 };
  }

  /** Indexes the workspace in the background (after its articles or its model change); failures are logged, not thrown. */
  schedule(workspaceId: string): void {
    // A run asked for and not begun yet will see these changes too.
    if (this.#queue.get(workspaceId)?.begun === false) return;
    this.index(workspaceId).catch((error) => console.warn(`AI agent: indexing workspace ${workspaceId} failed: ${(error as Error).message}`));
  }

  /** Resolves when no indexing runs (before the database closes). */
  async idle(): Promise<void> {
    while (this.#queue.size) await Promise.allSettled([...this.#queue.values()].map((j) => j.run));
  }

  /**
   * The chunks that answer `question` best, in the chat's language: by full text, and by embedding
   * where there are some, fused. When nothing in the chat's language is relevant (a help center
   * written in English only, a visitor in French), the other languages' chunks are ranked (the model
   * still answers in the chat's language). `mode: 'fulltext'` ranks by full text alone (the
   * evaluation's baseline); `unfiltered` keeps what is below the relevance thresholds (the ranking
   * alone, for the evaluation).
   */
  async retrieve(workspaceId: string, question: string, lang: string, options: { limit?: number; mode?: 'hybrid' | 'fulltext'; unfiltered?: boolean } = {}): Promise<Source[]> {
    const config = options.mode === 'fulltext' ? null : await this.settings.embedding(workspaceId);
    const vector = config && (await this.vectors()) ? await this.#embedQuestion(config, question) : null;
    const own = await this.#rank(workspaceId, question, lang, vector, config, options);
    return own.length ? own : this.#rank(workspaceId, question, null, vector, config, options);
  }

  /** Both rankings fused, in `lang` (its chunks' own language, or any when null). */
  async #rank(workspaceId: string, question: string, lang: string | null, vector: number[] | null, config: EmbeddingConfig | null, options: { limit?: number; unfiltered?: boolean }): Promise<Source[]> {
    const inLanguage = (p: string) => `(${p}::text is null or c.locale = ${p} or c.locale = split_part(${p}, '-', 1))`;
    // The question read as each chunk's language reads it (stemming, stop words).
    const byText = await this.db.query<Row>(
      `select c.id, a.title, a.locale, a.slug, c.heading, c.body as text, ts_rank_cd(c.search, q.q, 32) as rank
         from article_chunks c join articles a on a.id = c.article_id,
              lateral (select nullif(replace(plainto_tsquery(help_config(coalesce($3, c.locale)), $2)::text, ' & ', ' | '), '')::tsquery as q) q
        where c.workspace_id = $1 and q.q is not null and c.search @@ q.q and ${inLanguage('$3')}
        order by rank desc, c.id limit $4`,
      [workspaceId, question, lang, DEPTH],
    );
    const byMeaning = vector && config
      ? (
          await this.db.query<Row>(
            `select c.id, a.title, a.locale, a.slug, c.heading, c.body as text, 1 - (e.embedding <=> $5::vector) as similarity
               from article_chunks c join articles a on a.id = c.article_id
               join chunk_embeddings e on e.workspace_id = c.workspace_id and e.model = $6 and e.hash = md5(${EMBEDDED})
              where c.workspace_id = $1 and ${inLanguage('$2')} and vector_dims(e.embedding) = $4
              order by e.embedding <=> $5::vector, c.id limit $3`,
            [workspaceId, lang, DEPTH, vector.length, toVector(vector), config.model],
          )
        ).map((r) => ({ ...r, similarity: Number(r.similarity) }))
      : [];
    const score = new Map<number, { row: Row; score: number; rank: number; similarity: number | null }>();
    byText.forEach((row, i) => score.set(row.id, { row, score: 1 / (RRF_K + i + 1), rank: Number(row.rank), similarity: null }));
    byMeaning.forEach((row, i) => {
      const seen = score.get(row.id);
      if (seen) {
        seen.score += 1 / (RRF_K + i + 1);
        seen.similarity = row.similarity!;
      } else score.set(row.id, { row, score: 1 / (RRF_K + i + 1), rank: 0, similarity: row.similarity! });
    });
    const minSimilarity = config?.minSimilarity ?? 1;
    return [...score.values()]
      .filter((s) => options.unfiltered || s.rank >= MIN_RANK || (s.similarity ?? 0) >= minSimilarity)
      .sort((a, b) => b.score - a.score || a.row.id - b.row.id)
      .slice(0, options.limit ?? 5)
      .map((s, i) => ({ n: i + 1, title: s.row.title, locale: s.row.locale, slug: s.row.slug, heading: s.row.heading, text: s.row.text, rank: s.rank, similarity: s.similarity }));
  }

  /** The question's embedding; null when the endpoint fails (then full text alone). */
  async #embedQuestion(config: EmbeddingConfig, question: string): Promise<number[] | null> {
    try {
      return (await embed(config, [question], { timeoutMs: 5_000 }))[0]!;
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      console.warn(`AI agent: the question could not be embedded (${error.message}); full text alone`);
      return null;
    }
  }
}
