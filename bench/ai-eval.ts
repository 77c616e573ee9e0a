// npm run bench:ai-eval: the AI agent's evaluation (test/server/evaluation.ts) on the reference
// server with PGlite (pgvector) and the stub model: recall@5 of full text alone and of the hybrid
// ranking over the questions of test/fixtures/help-center's two sets, with a real embedder run in-process
// (Universal Sentence Encoder lite) and then with the stub's lexical one; refusals of the
// unanswerable questions; with VERBOSE=1, what each ranking missed. Writes bench-results/ai-eval.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { referenceServer } from '../scripts/reference.js';
import { createWorkspace } from '../server/seed.js';
import { startStubModel } from '../test/server/stub-model.js';
import { describe, evaluate, SETS } from '../test/server/evaluation.js';

const server = await referenceServer({ pages: false, logger: false, sessionsPerMinute: 1_000_000, messagesPerMinute: 1_000_000 });
const stub = await startStubModel();
try {
  const results: Record<string, unknown> = {};
  for (const set of SETS) for (const embedder of ['sentence-encoder', 'stub-embed'] as const) {
    const ws = await createWorkspace(server.db, {});
    const figures = await evaluate(
      { base: server.base, workspace: ws, stubUrl: stub.url, requests: stub.requests, embedder, set },
      { answers: embedder === 'sentence-encoder' && !process.env.RETRIEVAL_ONLY },
    );
    console.log(`\n${embedder === 'sentence-encoder' ? 'Universal Sentence Encoder (lite)' : 'the stub\'s lexical embedder'}:\n${describe(figures)}`);
    if (process.env.VERBOSE) {
      console.log('missed by full text:\n  ' + figures.missed.fulltext.join('\n  '));
      console.log('missed by hybrid:\n  ' + figures.missed.hybrid.join('\n  '));
      console.log('unanswerable with a source:\n  ' + figures.leaked.join('\n  '));
    }
    results[`${set} ${embedder}`] = figures;
  }
  if (!existsSync('bench-results')) mkdirSync('bench-results');
  writeFileSync('bench-results/ai-eval.json', `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await stub.close();
  await server.close();
}
