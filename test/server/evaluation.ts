import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { call, openSse, uuid, visitor } from './helpers.js';

/**
 * The AI agent's evaluation (issue 19), over the HTTP API of a running server with the stub model:
 * the help center the tests ship (test/fixtures/help-center/nordlicht.json: 24 articles of a
 * made-up outdoor shop, 100 questions as visitors type them, each labelled with the article that
 * answers it, or none), put into a fresh workspace, embedded by the stub's deterministic embedder.
 * - retrieval: recall@5 (the labelled article among the five sources) by full text alone and by the
 *   hybrid ranking (POST /api/agent/ai/search), and how many unanswerable questions find no source;
 * - answers: every question asked in a chat the agent holds; each answer must cite a source it was
 *   given (ai.start's). Retrieval alone cannot tell an unanswerable question (it finds words in
 *   common, a near-enough meaning): the model is the judge, told to reply NO_ANSWER when the sources
 *   do not answer. The stub plays a model that does so (`no-answer`) for the unanswerable ones, and
 *   what is checked is the agent's side: nothing of it reaches the visitor (no piece streamed, no
 *   citation), who gets "not in our help center" and a person.
 * Shared by test/server/ai-evaluation.test.ts (which holds the targets) and bench/ai-eval.ts (which prints).
 */
export interface HelpCenter {
  articles: { slug: string; title: string; body: string }[];
  questions: { q: string; article: string | null }[];
}

/**
 * The two sets: `nordlicht` (25 articles, 103 questions) written by the session that built the
 * retrieval, and `nordlicht-b` (24 articles, 100 questions) written apart, by a helper told only
 * what a help center and its visitors' questions are like: a check that the figures are not the
 * questions' author's.
 */
export const SETS = ['nordlicht', 'nordlicht-b'] as const;
export type SetName = (typeof SETS)[number];

export const helpCenter = (name: SetName): HelpCenter =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/help-center/${name}.json`, import.meta.url)), 'utf8'));

export interface Figures {
  set: SetName;
  articles: number;
  answerable: number;
  unanswerable: number;
  vectors: boolean;
  /** Share of answerable questions whose article is among the five sources the model gets (0 to 1). */
  recall: { fulltext: number; hybrid: number };
  /** The same for the ranking alone, before the relevance thresholds. */
  ranking: { fulltext: number; hybrid: number };
  /** Share of unanswerable questions with no source at all, so no model call (0 to 1). */
  refused: { fulltext: number; hybrid: number };
  /** The answerable questions each ranking missed. */
  missed: { fulltext: string[]; hybrid: string[] };
  /** The unanswerable questions that found a source anyway. */
  leaked: string[];
  answers?: { asked: number; answered: number; cited: number; citedOutside: number; unanswerableAnswered: number; unanswerableStreamed: number; unanswerableRefusedByRetrieval: number };
}

export interface EvaluationSetup {
  base: string;
  workspace: { operatorKey: string; publicKey: string };
  stubUrl: string;
  /** The stub's requests, to count model calls. */
  requests: { path: string }[];
  /** Which help center and questions (default `nordlicht`). */
  set?: SetName;
  /** The stub's embedding model: `sentence-encoder` (a real one, the default) or `stub-embed` (lexical). */
  embedder?: 'sentence-encoder' | 'stub-embed';
  minSimilarity?: number;
}

/** Puts the help center into the workspace, with the stub as its model and embedder, embedded. */
export async function loadHelpCenter(setup: EvaluationSetup): Promise<{ vectors: boolean; menuId: number }> {
  const HELP_CENTER = helpCenter(setup.set ?? 'nordlicht');
  const api = (method: string, path: string, body?: unknown) => call(setup.base, method, `/api/agent${path}`, { token: setup.workspace.operatorKey, body });
  for (const a of HELP_CENTER.articles) {
    const made = await api('POST', '/articles', { locale: 'en', slug: a.slug, title: a.title, body: a.body });
    if (made.status !== 201) throw new Error(`article ${a.slug}: ${JSON.stringify(made.body)}`);
  }
  const menu = await api('POST', '/menus', { names: { en: 'Help' }, channels: ['chat'], deflection_enabled: true });
  const set = await api('PUT', '/ai', {
    provider: 'openai', base_url: `${setup.stubUrl}/v1`, model: 'cite', embedding_model: setup.embedder ?? 'sentence-encoder',
    min_similarity: setup.minSimilarity ?? 0.5, visitor_requests_per_hour: 10_000, workspace_tokens_per_day: 100_000_000,
  });
  if (set.status !== 200) throw new Error(JSON.stringify(set.body));
  // Embedding every section on this machine's CPU (the sentence encoder runs in the test process) takes seconds.
  const index = await call(setup.base, 'POST', '/api/agent/ai/index', { token: setup.workspace.operatorKey, timeoutMs: 180_000 });
  if (index.status !== 200) throw new Error(JSON.stringify(index.body));
  return { vectors: index.body.index.vectors, menuId: menu.body.menu.id };
}

/** Recall@5 and refusals of both rankings; with `answers`, every question asked in a chat too. */
export async function evaluate(setup: EvaluationSetup, options: { answers?: boolean } = {}): Promise<Figures> {
  const HELP_CENTER = helpCenter(setup.set ?? 'nordlicht');
  const { vectors, menuId } = await loadHelpCenter(setup);
  const search = async (q: string, mode: 'hybrid' | 'fulltext', unfiltered = false) => {
    const res = await call(setup.base, 'POST', '/api/agent/ai/search', { token: setup.workspace.operatorKey, body: { q, mode, limit: 5, unfiltered } });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return (res.body.sources as { slug: string }[]).map((s) => s.slug);
  };
  const answerable = HELP_CENTER.questions.filter((q) => q.article);
  const unanswerable = HELP_CENTER.questions.filter((q) => !q.article);
  const missed = { fulltext: [] as string[], hybrid: [] as string[] };
  const refusedCount = { fulltext: 0, hybrid: 0 };
  const leaked: string[] = [];
  const ranked = { fulltext: 0, hybrid: 0 };
  for (const mode of ['fulltext', 'hybrid'] as const) {
    for (const q of answerable) {
      if (!(await search(q.q, mode)).includes(q.article!)) missed[mode].push(q.q);
      if ((await search(q.q, mode, true)).includes(q.article!)) ranked[mode]++;
    }
    for (const q of unanswerable) {
      if (!(await search(q.q, mode)).length) refusedCount[mode]++;
      else if (mode === 'hybrid') leaked.push(q.q);
    }
  }
  const figures: Figures = {
    set: setup.set ?? 'nordlicht',
    articles: HELP_CENTER.articles.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    vectors,
    recall: { fulltext: 1 - missed.fulltext.length / answerable.length, hybrid: 1 - missed.hybrid.length / answerable.length },
    ranking: { fulltext: ranked.fulltext / answerable.length, hybrid: ranked.hybrid / answerable.length },
    refused: { fulltext: refusedCount.fulltext / unanswerable.length, hybrid: refusedCount.hybrid / unanswerable.length },
    missed,
    leaked,
  };
  if (options.answers) figures.answers = await askAll(setup, menuId, HELP_CENTER);
  return figures;
}

/** Every question asked in one chat the agent holds; what it answered and cited. */
async function askAll(setup: EvaluationSetup, menuId: number, HELP_CENTER: HelpCenter): Promise<NonNullable<Figures['answers']>> {
  const v = await visitor(setup.base, setup.workspace.publicKey);
  const chat = await call(setup.base, 'POST', '/api/widget/chats', { token: v.session.token, body: { menu_id: menuId, lang: 'en' } });
  if (chat.status !== 201) throw new Error(JSON.stringify(chat.body));
  const stream = await openSse(`${setup.base}/api/widget/stream`, { authorization: `Bearer ${v.session.token}` });
  await stream.next('ready');
  const result = { asked: 0, answered: 0, cited: 0, citedOutside: 0, unanswerableAnswered: 0, unanswerableStreamed: 0, unanswerableRefusedByRetrieval: 0 };
  let model = 'cite';
  try {
    for (const q of HELP_CENTER.questions) {
      const wanted = q.article ? 'cite' : 'no-answer';
      if (wanted !== model) {
        const set = await call(setup.base, 'PUT', '/api/agent/ai', { token: setup.workspace.operatorKey, body: { provider: 'openai', base_url: `${setup.stubUrl}/v1`, model: wanted } });
        if (set.status !== 200) throw new Error(JSON.stringify(set.body));
        model = wanted;
      }
      const calls = setup.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
      const sent = await call(setup.base, 'POST', `/api/widget/chats/${chat.body.id}/messages`, { token: v.session.token, body: { client_id: uuid(), content: q.q } });
      if (sent.status !== 201) throw new Error(JSON.stringify(sent.body));
      result.asked++;
      let sources: string[] = [];
      let streamed = 0;
      let message: { content: string; data: { ai?: { citations?: { slug: string }[] } } } | null = null;
      while (!message) {
        const e = await stream.next(undefined, 10_000);
        if (e.event === 'ai.start') sources = e.data.sources.map((s: { slug: string }) => s.slug);
        if (e.event === 'ai.delta') streamed++;
        if (e.event === 'message' && e.data.message.author === 'bot') message = e.data.message;
      }
      const citations = (message.data.ai?.citations ?? []).map((c) => c.slug);
      const modelCalls = setup.requests.filter((r) => r.path.endsWith('/chat/completions')).length - calls;
      if (citations.length) {
        result.answered++;
        if (citations.every((slug) => sources.includes(slug))) result.cited++;
        else result.citedOutside++;
      }
      if (!q.article) {
        if (citations.length || !/could not find this in our help center/.test(message.content)) result.unanswerableAnswered++;
        if (streamed) result.unanswerableStreamed++;
        if (!modelCalls) result.unanswerableRefusedByRetrieval++;
      }
      // The answer's end, before the next question.
      if (sources.length) while ((await stream.next(undefined, 10_000)).event !== 'ai.end');
    }
  } finally {
    stream.close();
  }
  return result;
}

/** The figures as a few lines for a person. */
export function describe(f: Figures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `help center ${f.set}: ${f.articles} articles; ${f.answerable} answerable questions, ${f.unanswerable} unanswerable; pgvector: ${f.vectors ? 'yes' : 'no'}`,
    `recall@5 of the sources   full text ${pct(f.recall.fulltext)}   hybrid ${pct(f.recall.hybrid)}   (+${((f.recall.hybrid - f.recall.fulltext) * 100).toFixed(1)} points)`,
    `recall@5 of the ranking before thresholds   full text ${pct(f.ranking.fulltext)}   hybrid ${pct(f.ranking.hybrid)}   (+${((f.ranking.hybrid - f.ranking.fulltext) * 100).toFixed(1)} points)`,
    `no source for an unanswerable question   full text ${pct(f.refused.fulltext)}   hybrid ${pct(f.refused.hybrid)}`,
    ...(f.answers
      ? [
          `answers: ${f.answers.asked} asked, ${f.answers.answered} answered, ${f.answers.cited} citing a source they were given, ${f.answers.citedOutside} citing anything else`,
          `unanswerable: ${f.answers.unanswerableAnswered} answered, ${f.answers.unanswerableStreamed} with anything streamed to the visitor; ${f.answers.unanswerableRefusedByRetrieval} refused before any model call, the rest declined by the model`,
        ]
      : []),
  ].join('\n');
}
