// The AI agent's evaluation (issue 19, test/server/evaluation.ts): 100 questions over the help center
// the tests ship, the stub model, and a real embedder run in-process (Universal Sentence Encoder
// lite, deterministic on the CPU). Checked: every answer cites a source it was given; no unanswerable
// question is answered, nothing of a declined answer is streamed; the hybrid ranking finds more than
// full text alone. The figures (recall@5 of each; issue 19's target is +10 points) are printed here
// and by `npm run bench:ai-eval`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './helpers.js';
import { startStubModel, type StubModel } from './stub-model.js';
import { describe as describeFigures, evaluate, helpCenter, SETS } from './evaluation.js';

let server: TestServer;
let stub: StubModel;
before(async () => {
  [server, stub] = await Promise.all([startServer({ sessionsPerMinute: 10_000, messagesPerMinute: 10_000 }), startStubModel()]);
});
after(async () => {
  await server.close();
  await stub.close();
});

describe('the AI agent\'s evaluation sets', () => {
  for (const set of SETS) {
    it(`${set}: finds the right article more often by hybrid ranking, answers nothing it should not, and cites only what it retrieved`, async (t) => {
      const ws = await server.workspace();
      const figures = await evaluate({ base: server.base, workspace: ws, stubUrl: stub.url, requests: stub.requests, set }, { answers: true });
      for (const line of describeFigures(figures).split('\n')) t.diagnostic(line);
      const answers = figures.answers!;
      assert.equal(answers.asked, helpCenter(set).questions.length);
      assert.equal(answers.citedOutside, 0, 'every citation is a retrieved source');
      assert.equal(answers.cited, answers.answered);
      assert.equal(answers.unanswerableAnswered, 0, 'no unanswerable question answered');
      assert.equal(answers.unanswerableStreamed, 0, 'nothing of a declined answer reaches the visitor');
      assert.ok(answers.answered >= figures.answerable - figures.missed.hybrid.length, 'every question with its article among the sources is answered');
      if (!figures.vectors) {
        // A PostgreSQL without pgvector: both rankings are full text.
        assert.equal(figures.recall.hybrid, figures.recall.fulltext);
        t.diagnostic('no pgvector in this database: hybrid is full text alone here');
        return;
      }
      // The figures are README's and the bench's (npm run bench:ai-eval); here, that the fusion helps.
      assert.ok(figures.recall.hybrid > figures.recall.fulltext, describeFigures(figures));
      assert.ok(figures.ranking.hybrid >= figures.recall.hybrid);
    });
  }
});
