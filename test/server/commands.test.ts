import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsCommand, isCsCommand } from '../../src/protocol/cs-parser.js';
import { call, clockAt, startServer, visitor, type TestServer } from './helpers.js';

describe('the >cs parser', () => {
  it('parses every form of the web1on1 reference', () => {
    assert.deepEqual(parseCsCommand('>cs .location 61be87aeafdf672d381a9db4#61be87aeafdf672d381a9db5'), { kind: 'field', name: 'location', value: '61be87aeafdf672d381a9db4#61be87aeafdf672d381a9db5' });
    assert.deepEqual(parseCsCommand('>cs +6093490651a8b5629324ae4f'), { kind: 'form', formId: '6093490651a8b5629324ae4f' });
    assert.deepEqual(parseCsCommand('>cs .brand Toyota'), { kind: 'field', name: 'brand', value: 'Toyota' });
    assert.deepEqual(parseCsCommand('>cs /set @category Used Car'), { kind: 'category', value: 'Used Car' });
    assert.deepEqual(parseCsCommand('>cs /set isLead yes'), { kind: 'variable', name: 'isLead', value: 'yes' });
    assert.deepEqual(parseCsCommand('>cs /assign 62c6077ca980127f404b0301'), { kind: 'assign', id: '62c6077ca980127f404b0301' });
    assert.deepEqual(parseCsCommand('>cs /notify 605411853c68d83fd1ac7655'), { kind: 'notify', id: '605411853c68d83fd1ac7655' });
    assert.deepEqual(parseCsCommand('>cs /notify'), { kind: 'notify', id: null });
    assert.deepEqual(parseCsCommand('>cs @6248f0083ab5d5001e523146 Hello this is for you'), { kind: 'mention', id: '6248f0083ab5d5001e523146', text: 'Hello this is for you' });
    assert.equal(isCsCommand('>cs /notify'), true);
    assert.equal(isCsCommand('hello >cs'), false);
  });

  it('refuses malformed commands with a message that says what is wrong', () => {
    const bad: [string, RegExp][] = [
      ['>cs', /needs a command/],
      ['>cs .brand', /value is missing/],
      ['>cs . Toyota', /not a field name/],
      ['>cs +', /one form id/],
      ['>cs +abc def', /one form id/],
      ['>cs /set', /name is missing/],
      ['>cs /set isLead', /value is missing/],
      ['>cs /set @category', /value is missing/],
      ['>cs /assign', /one user or bot id/],
      ['>cs /assign a b', /one user or bot id/],
      ['>cs /notify a b', /one inbox id/],
      ['>cs @someone', /note is missing/],
      ['>cs /delete everything', /Unknown command "\/delete"/],
      ['>cs hello', /Unknown command "hello"/],
      ['hello', /starts with ">cs "/],
    ];
    for (const [text, message] of bad) assert.throws(() => parseCsCommand(text), message, text);
  });
});

describe('POST /api/widget/commands', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ now: clockAt('12:00'), sessionsPerMinute: 10_000 });
  });
  after(() => server.close());

  it('applies each command to the conversation, visible to operators, never a chat message', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const send = (command: string) => call(server.base, 'POST', '/api/widget/commands', { token: v.session.token, body: { command } });
    for (const command of [
      '>cs .location 61be87aeafdf672d381a9db4#61be87aeafdf672d381a9db5',
      '>cs .name Ada Lovelace',
      '>cs +6093490651a8b5629324ae4f',
      '>cs .brand Toyota',
      '>cs /set @category Used Car',
      '>cs /set isLead yes',
      `>cs /assign ${ws.agentId}`,
      '>cs /notify 605411853c68d83fd1ac7655',
      '>cs /notify',
      `>cs @${ws.agentId} Hello this is for you`,
    ]) {
      const res = await send(command);
      assert.equal(res.status, 200, `${command}: ${JSON.stringify(res.body)}`);
    }
    const [conv] = (await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations;
    const d = (await call(server.base, 'GET', `/api/agent/conversations/${conv.id}`, { token: ws.operatorKey })).body;
    assert.equal(d.contact.location, '61be87aeafdf672d381a9db4#61be87aeafdf672d381a9db5');
    assert.equal(d.contact.name, 'Ada Lovelace');
    assert.equal(d.form_id, '6093490651a8b5629324ae4f');
    assert.deepEqual(d.fields, { brand: 'Toyota' });
    assert.equal(d.category, 'Used Car');
    assert.deepEqual(d.variables, { isLead: 'yes' });
    assert.equal(d.assignee_id, ws.agentId);
    assert.deepEqual(d.notifications.map((n: { inbox: string | null }) => n.inbox), ['605411853c68d83fd1ac7655', null]);
    const notes = (await call(server.base, 'GET', `/api/agent/conversations/${conv.id}/messages`, { token: ws.operatorKey })).body.messages;
    assert.deepEqual(notes.map((m: { content: string; internal: boolean }) => [m.content, m.internal]), [[`@${ws.agentId} Hello this is for you`, true]]);
    // Nothing of it is chat text for the visitor.
    assert.deepEqual((await call(server.base, 'GET', '/api/widget/messages', { token: v.session.token })).body.messages, []);
  });

  it('refuses a malformed command or an unknown assignee with a clear error, and changes nothing', async () => {
    const ws = await server.workspace();
    const v = await visitor(server.base, ws.publicKey);
    const bad = await call(server.base, 'POST', '/api/widget/commands', { token: v.session.token, body: { command: '>cs /set isLead' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_command');
    assert.match(bad.body.error.message, /value is missing/);
    const unknown = await call(server.base, 'POST', '/api/widget/commands', { token: v.session.token, body: { command: '>cs /assign 62c6077ca980127f404b0301' } });
    assert.equal(unknown.status, 404);
    // Not even the conversation the command would have opened is left behind.
    assert.deepEqual((await call(server.base, 'GET', '/api/agent/conversations', { token: ws.operatorKey })).body.conversations, []);
  });
});
