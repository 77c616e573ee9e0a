import { expect, waitUntil } from '@open-wc/testing';
import { ChatError } from '../../src/client/http.js';
import { MAX_SERVER_ATTEMPTS, Outbox, OutboxSender, type OutboxEntry } from '../../src/client/outbox.js';
import type { ChatMessage } from '../../src/client/types.js';

/** A storage of its own per test (the three methods of Web Storage). */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const entry = (clientId: string): OutboxEntry => ({ clientId, content: `text ${clientId}`, createdAt: '2026-01-01T00:00:00.000Z' });

/**
 * An outbox sender whose server is `answer`: it resolves (stored) or throws a ChatError per entry.
 * Records what was sent and shown, in order.
 */
function harness(answer: (entry: OutboxEntry, attempt: number) => void = () => {}) {
  const storage = memoryStorage();
  const sent: string[] = [];
  const shown: Pick<ChatMessage, 'clientId' | 'status'>[] = [];
  const errors: ChatError[] = [];
  let renewed = 0;
  const sender = new OutboxSender({
    send: async (e) => {
      sent.push(e.clientId);
      answer(e, sent.filter((id) => id === e.clientId).length);
      return Object.freeze({ id: `srv-${e.clientId}`, clientId: e.clientId, author: 'visitor', content: e.content, createdAt: e.createdAt, status: 'sent' });
    },
    show: (m) => shown.push({ clientId: m.clientId, status: m.status }),
    fail: (error) => errors.push(error),
    renew: () => void renewed++,
    settling: () => null,
    paused: () => false,
    stopped: () => false,
    backoff: () => 0,
  });
  const box = new Outbox(storage, 'outbox:s1');
  sender.open(() => box, false);
  return { storage, sender, box, sent, shown, errors, renewed: () => renewed };
}

const idle = (sender: OutboxSender, box: Outbox, pending: (e: OutboxEntry) => boolean = (e) => !e.failed) =>
  waitUntil(() => !box.entries.some(pending), 'the outbox did not settle', { timeout: 3000 }).then(() => sender.flush());

describe('Outbox and its flush policy', () => {
  it('sends one message at a time, in order, and forgets each once the server has it', async () => {
    const h = harness();
    h.sender.add(entry('a'));
    h.sender.add(entry('b'));
    h.sender.add(entry('c'));
    await idle(h.sender, h.box);
    expect(h.sent).to.deep.equal(['a', 'b', 'c']);
    expect(h.shown).to.deep.equal([
      { clientId: 'a', status: 'sent' },
      { clientId: 'b', status: 'sent' },
      { clientId: 'c', status: 'sent' },
    ]);
    expect(h.box.entries).to.deep.equal([]);
    expect(h.storage.items.size, 'an empty outbox leaves nothing in storage').to.equal(0);
  });

  it('keeps messages written before a session, and adds them to its outbox in order', async () => {
    const storage = memoryStorage();
    const sent: string[] = [];
    const sender = new OutboxSender({
      send: async (e) => (sent.push(e.clientId), { id: e.clientId, author: 'visitor', content: e.content, createdAt: e.createdAt, status: 'sent' }),
      show: () => {},
      fail: () => {},
      renew: () => {},
      settling: () => null,
      paused: () => false,
      stopped: () => false,
      backoff: () => 0,
    });
    expect(sender.add(entry('a')), 'no session yet').to.equal(false);
    expect(sender.add(entry('b'))).to.equal(false);
    const box = new Outbox(storage, 'outbox:s1');
    sender.open(() => box, false);
    expect(box.entries.map((e) => e.clientId)).to.deep.equal(['a', 'b']);
    await sender.flush();
    expect(sent).to.deep.equal(['a', 'b']);
  });

  it('a 4xx marks the message failed (kept, not sent again) and the next one goes on', async () => {
    const h = harness((e) => {
      if (e.clientId === 'b') throw new ChatError('invalid_message', 'Refused', 422);
    });
    h.sender.add(entry('a'));
    h.sender.add(entry('b'));
    h.sender.add(entry('c'));
    await idle(h.sender, h.box);
    expect(h.sent).to.deep.equal(['a', 'b', 'c']);
    expect(h.shown).to.deep.include({ clientId: 'b', status: 'failed' });
    expect(h.errors.map((e) => e.code)).to.deep.equal(['invalid_message']);
    expect(h.box.entries).to.have.length(1);
    expect(h.box.entries[0]).to.include({ clientId: 'b', attempts: 1 });
    expect(h.box.entries[0]!.failed).to.deep.equal({ code: 'invalid_message', message: 'Refused' });
    await h.sender.flush();
    expect(h.sent, 'a failed message is not sent again until retried').to.deep.equal(['a', 'b', 'c']);
  });

  it('a 5xx moves the message behind the others, and after the bound it is failed', async () => {
    const h = harness((e) => {
      if (e.clientId === 'a') throw new ChatError('internal', 'Broken', 500);
    });
    h.sender.add(entry('a'));
    h.sender.add(entry('b'));
    h.sender.add(entry('c'));
    await waitUntil(() => h.box.entries.length === 1 && h.box.entries[0]!.failed, 'a never failed', { timeout: 3000 });
    expect(h.sent.slice(0, 3), 'the others go first').to.deep.equal(['a', 'b', 'c']);
    expect(h.sent.filter((id) => id === 'a')).to.have.length(MAX_SERVER_ATTEMPTS);
    expect(h.box.entries[0]).to.include({ clientId: 'a', attempts: MAX_SERVER_ATTEMPTS });
    expect(h.shown.at(-1)).to.deep.equal({ clientId: 'a', status: 'failed' });
    expect(h.errors.map((e) => e.status)).to.deep.equal([500]);
  });

  it('a network error or a 429 holds everything until the next try; a 401 renews the session', async () => {
    let down = true;
    const h = harness((e) => {
      if (down) throw e.clientId === 'a' ? new ChatError('network', 'Offline') : new ChatError('busy', 'Too many', 429);
    });
    h.sender.add(entry('a'));
    h.sender.add(entry('b'));
    await waitUntil(() => h.sent.length >= 2, 'no retry', { timeout: 3000 });
    expect(h.sent.slice(0, 2), 'b waits behind a').to.deep.equal(['a', 'a']);
    expect(h.box.entries.map((e) => [e.clientId, e.attempts, e.failed])).to.deep.equal([['a', undefined, undefined], ['b', undefined, undefined]]);
    down = false;
    await idle(h.sender, h.box);
    expect(h.errors, 'nothing failed').to.deep.equal([]);

    const r = harness((_e, attempt) => {
      if (attempt === 1) throw new ChatError('unauthorized', 'Expired', 401);
    });
    r.sender.add(entry('x'));
    await idle(r.sender, r.box);
    expect(r.renewed()).to.equal(1);
    expect(r.sent).to.deep.equal(['x', 'x']);
  });

  it('is persisted: a new Outbox on the same storage finds the entries, failed ones included', async () => {
    const h = harness((e) => {
      if (e.clientId === 'b') throw new ChatError('invalid_message', 'Refused', 422);
    });
    h.box.add(entry('a'));
    h.box.add(entry('b'));
    h.box.update('a', (x) => ({ ...x, conversationFields: { topic: 'billing' } }));
    const again = new Outbox(h.storage, 'outbox:s1');
    expect(again.entries).to.deep.equal(h.box.entries);
    expect(new Outbox(h.storage, 'outbox:other').entries, 'per session').to.deep.equal([]);
    await h.sender.flush();
    expect(new Outbox(h.storage, 'outbox:s1').entries.map((e) => [e.clientId, !!e.failed])).to.deep.equal([['b', true]]);
    h.box.add(entry('b'));
    expect(h.box.entries, 'a client id is added once').to.have.length(1);
    h.storage.setItem('outbox:broken', '{not json');
    expect(new Outbox(h.storage, 'outbox:broken').entries).to.deep.equal([]);
  });

  it('two instances on one key (two tabs, or a removed widget whose request was in flight) never write over each other', () => {
    const storage = memoryStorage();
    const mine = new Outbox(storage, 'outbox:s1');
    mine.add(entry('a'));
    const other = new Outbox(storage, 'outbox:s1');
    other.add(entry('b'));
    // `mine` learns that `a` is stored and forgets it: `b`, written meanwhile by the other, stays.
    mine.remove('a');
    expect(new Outbox(storage, 'outbox:s1').entries.map((e) => e.clientId)).to.deep.equal(['b']);
    mine.update('b', (x) => ({ ...x, attempts: 1 })); // not in this instance: nothing changes
    mine.add(entry('c'));
    mine.clear(); // only its own entries
    expect(new Outbox(storage, 'outbox:s1').entries.map((e) => [e.clientId, e.attempts])).to.deep.equal([['b', undefined]]);
    other.update('b', (x) => ({ ...x, attempts: 2 }));
    other.remove('b');
    expect(storage.items.has('outbox:s1')).to.equal(false);
  });

  it('Retry sends a failed message again; Discard forgets it; neither touches other messages', async () => {
    let refuse = true;
    const h = harness((e) => {
      if (refuse && e.clientId !== 'ok') throw new ChatError('invalid_message', 'Refused', 422);
    });
    h.sender.add(entry('a'));
    h.sender.add(entry('b'));
    await idle(h.sender, h.box);
    expect(h.box.entries.map((e) => e.clientId)).to.deep.equal(['a', 'b']);
    expect(h.sender.retry('nope')).to.equal(false);
    expect(h.sender.discard('nope')).to.equal(false);

    refuse = false;
    expect(h.sender.retry('a')).to.equal(true);
    expect(h.shown).to.deep.include({ clientId: 'a', status: 'pending' });
    await idle(h.sender, h.box, (e) => e.clientId === 'a');
    expect(h.shown.at(-1)).to.deep.equal({ clientId: 'a', status: 'sent' });
    expect(h.box.entries.map((e) => e.clientId)).to.deep.equal(['b']);

    expect(h.sender.discard('b')).to.equal(true);
    expect(h.box.entries).to.deep.equal([]);
    expect(h.storage.items.size).to.equal(0);
    expect(h.sent.filter((id) => id === 'b'), 'a discarded message is not sent').to.have.length(1);
  });

  it('a session switched away drops what was not sent; a session changed carries it without its chat', () => {
    const h = harness();
    h.box.add({ ...entry('a'), chatId: 'chat-1' });
    h.sender.carryOut();
    expect(h.sender.box).to.equal(null);
    expect(h.sender.early).to.deep.equal([entry('a')]);
    const next = new Outbox(h.storage, 'outbox:s2');
    h.sender.open(() => next, false);
    expect(next.entries).to.deep.equal([entry('a')]);
    h.sender.drop();
    expect(next.entries).to.deep.equal([]);
    expect(h.sender.early).to.deep.equal([]);
  });
});
