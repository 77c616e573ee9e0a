/**
 * A small team's morning, through the real APIs (as the widget and the inbox send them): two
 * operators, visitors on several pages (named, anonymous, one sending a picture), replies, a note,
 * a finished chat rated and surveyed, canned replies and a help article. For the inbox's
 * screenshots (npm run screenshots:inbox); the tests build their own smaller cases.
 */
export interface Scenario {
  ada: { key: string; id: string };
  ben: { key: string; id: string };
  conversations: Record<string, string>;
}

async function call(base: string, method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function teamMorning(base: string, ws: { publicKey: string; operatorKey: string; agentId: string }, picture: Buffer): Promise<Scenario> {
  const ada = { key: ws.operatorKey, id: ws.agentId };
  const added = await call(base, 'POST', '/api/agent/operators', ada.key, { name: 'Ben Carter', email: 'ben@acme.example', role: 'agent' });
  const ben = { key: added.key as string, id: added.operator.id as string };
  await call(base, 'PATCH', '/api/agent/me', ada.key, { name: 'Ada Lovelace' });
  for (const [shortcut, content] of [
    ['refund', 'Refunds reach your card within 5 working days of our receiving the parcel. I have started yours now.'],
    ['hello', 'Hi! Thanks for reaching out. How can I help today?'],
    ['tracking', 'You can follow your parcel at https://acme.example/track with the number in your confirmation email.'],
  ]) await call(base, 'POST', '/api/agent/canned-replies', ada.key, { shortcut, content });
  await call(base, 'POST', '/api/agent/articles', ada.key, {
    locale: 'en', slug: 'returns', title: 'Returning an order',
    body: 'You can return anything within **30 days**.\n\n1. Open *My orders*\n2. Choose **Return**\n3. Print the label\n\nQuestions? Write to `returns@acme.example` or see https://acme.example/returns',
  });

  const conversations: Record<string, string> = {};
  const visitor = async (page: string, name: string, identity?: Record<string, string>) => {
    const s = (await call(base, 'POST', '/api/widget/sessions', '', { public_key: ws.publicKey, page_url: `https://acme.example${page}` })).session.token as string;
    if (identity) await call(base, 'POST', '/api/widget/identify', s, identity);
    let id = '';
    const say = async (content: string) => {
      const r = await call(base, 'POST', '/api/widget/messages', s, { client_id: crypto.randomUUID(), content });
      id = r.message.conversation_id;
      conversations[name] = id;
    };
    return { s, say, id: () => id };
  };
  const reply = (key: string, content: string, internal = false) => call(base, 'POST', `/api/agent/conversations/${conversations.current}/messages`, key, { content, internal });

  // A finished chat from yesterday's customer, rated.
  const old = await visitor('/orders/1182', 'marta', { name: 'Marta Nowak', email: 'marta@example.com' });
  await old.say('Did my order ship?');
  conversations.current = old.id();
  await reply(ada.key, 'Yes! It left our warehouse this morning; tracking is in your email.');
  await call(base, 'POST', `/api/agent/conversations/${old.id()}/status`, ada.key, { status: 'closed' });

  // Sofia, identified, on the pricing page: Ada answers, Ben leaves a note.
  const sofia = await visitor('/pricing', 'sofia', { name: 'Sofia Alvarez', email: 'sofia@northwind.example' });
  await sofia.say('Hello! Does the Team plan include SSO?');
  conversations.current = sofia.id();
  await call(base, 'POST', `/api/agent/conversations/${sofia.id()}/assign`, ada.key, { assignee_id: ada.id });
  await reply(ada.key, 'Hi Sofia! SSO comes with the **Business** plan; the Team plan has Google sign-in.');
  await sofia.say('We have 40 people, is there a discount for a yearly plan?');
  await reply(ben.key, 'Northwind asked for a quote last month too: check the CRM before quoting.', true);

  // An anonymous visitor at checkout sends a picture of the error.
  const anon = await visitor('/checkout/payment', 'anon');
  await anon.say('My card is refused at checkout, here is what I see');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(picture)], { type: 'image/png' }), 'card-error.png');
  const up = await fetch(`${base}/api/widget/chats/${anon.id()}/files`, { method: 'POST', headers: { authorization: `Bearer ${anon.s}` }, body: form });
  if (!up.ok) throw new Error(`upload: ${up.status} ${await up.text()}`);

  // Another anonymous visitor, not yet answered, on a product page.
  const other = await visitor('/products/trail-runner-2', 'other');
  await other.say('Do these run large? I am usually a 42.');
  await other.say('Or should I take a 42.5?');

  // A returning customer about a refund, assigned to Ben.
  const liam = await visitor('/account/returns', 'liam', { name: 'Liam O’Brien', email: 'liam@example.org' });
  await liam.say('I sent my parcel back last week, when do I get my refund?');
  conversations.current = liam.id();
  await call(base, 'POST', `/api/agent/conversations/${liam.id()}/assign`, ada.key, { assignee_id: ben.id });
  await call(base, 'POST', `/api/agent/conversations/${liam.id()}/status`, ada.key, { status: 'pending' });
  delete conversations.current;
  return { ada, ben, conversations };
}
