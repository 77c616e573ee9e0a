import type { Db } from './db/db.js';
import { newId } from './domain/ids.js';
import { randomToken, sha256 } from './domain/identity.js';

export interface WorkspaceKeys {
  workspaceId: string;
  publicKey: string;
  operatorKey: string;
  identitySecret: string;
  agentId: string;
  agentName: string;
  botId: string;
  /** A widget key of the bot agent: conversations started with it are routed to the bot. */
  botKey: string;
}

export interface WorkspaceSeed {
  name?: string;
  publicKey?: string;
  operatorKey?: string;
  identitySecret?: string;
  requireVerification?: boolean;
  allowedOrigins?: string[];
  agentName?: string;
}

/** Creates a workspace with one operator, one bot, a widget key each and an operator key. */
export async function createWorkspace(db: Db, seed: WorkspaceSeed = {}): Promise<WorkspaceKeys> {
  const keys: WorkspaceKeys = {
    workspaceId: newId('ws'),
    publicKey: seed.publicKey ?? `pk_${randomToken(18)}`,
    operatorKey: seed.operatorKey ?? `sk_${randomToken(24)}`,
    identitySecret: seed.identitySecret ?? randomToken(32),
    agentId: newId('ag'),
    agentName: seed.agentName ?? 'Ada from Support',
    botId: newId('ag'),
    botKey: `pk_${randomToken(18)}`,
  };
  await db.tx(async (q) => {
    await q.query('insert into workspaces (id, name, identity_secret, require_verification, allowed_origins) values ($1, $2, $3, $4, $5)', [
      keys.workspaceId, seed.name ?? 'Demo workspace', keys.identitySecret, seed.requireVerification ?? false, seed.allowedOrigins ?? ['*'],
    ]);
    await q.query("insert into agents (id, workspace_id, name, kind, role) values ($1, $2, $3, 'person', 'admin'), ($4, $2, 'Helper bot', 'bot', 'agent')", [keys.agentId, keys.workspaceId, keys.agentName, keys.botId]);
    await q.query('insert into widget_keys (key, workspace_id, agent_id) values ($1, $2, null), ($3, $2, $4)', [keys.publicKey, keys.workspaceId, keys.botKey, keys.botId]);
    await q.query('insert into operator_keys (key_hash, workspace_id, agent_id) values ($1, $2, $3)', [sha256(keys.operatorKey), keys.workspaceId, keys.agentId]);
  });
  return keys;
}

/** What the demo workspace ships so that every feature can be tried at once: topics, help articles, a survey, a trigger. */
export async function seedDemoContent(db: Db, workspaceId: string): Promise<void> {
  await db.tx(async (q) => {
    // Two more faces for the messenger's home (they have no key: a demo of the team, not logins).
    await q.query(
      `insert into agents (id, workspace_id, name, kind) values ($2, $1, 'Ben Carter', 'person'), ($3, $1, 'Chloé Martin', 'person')`,
      [workspaceId, newId('ag'), newId('ag')],
    );
    await q.query(`update workspaces set subdomain = 'demo', support_email = 'support@demo.example', languages = array['en', 'fr', 'es', 'de', 'nl', 'ar'] where id = $1`, [workspaceId]);
    const [support] = await q.query(
      `insert into menus (workspace_id, position, key, names, channels) values ($1, 0, 'support', $2, array['chat', 'email']) returning id`,
      [workspaceId, JSON.stringify({ en: 'Product support', fr: 'Assistance produit', es: 'Soporte', de: 'Produktsupport', nl: 'Productondersteuning', ar: 'دعم المنتج' })],
    );
    await q.query(
      `insert into menus (workspace_id, position, parent_id, names, channels, deflection_enabled) values
         ($1, 0, $2, $3, array['chat', 'voice_call', 'email'], false), ($1, 1, $2, $4, array['chat', 'email'], true)`,
      [workspaceId, support!.id, JSON.stringify({ en: 'Billing', fr: 'Facturation' }), JSON.stringify({ en: 'Technical problem', fr: 'Problème technique' })],
    );
    await q.query(`insert into menus (workspace_id, position, key, names, channels) values ($1, 1, 'sales', $2, array['chat', 'email'])`, [
      workspaceId, JSON.stringify({ en: 'Talk to sales', fr: 'Parler aux ventes' }),
    ]);
    const articles = [
      ['reset-password', 'Resetting your password', 'Open Settings, choose Security, then Reset password. We email you a link that works for one hour.'],
      ['refunds', 'Refunds and returns', 'Return any item within 30 days. Refunds reach your card within five working days of our receiving it.'],
      ['shipping', 'Shipping times', 'Orders ship within one working day. Delivery takes two to four days in Europe and five to eight elsewhere.'],
      ['install-widget', 'Installing the chat widget', 'Add one script tag with your public key, or the two HTML tags. Everything else is optional.'],
    ];
    for (const [slug, title, body] of articles) {
      await q.query('insert into articles (workspace_id, locale, slug, title, body) values ($1, $2, $3, $4, $5)', [workspaceId, 'en', slug, title, body]);
    }
    await q.query(`insert into survey_questions (workspace_id, position, type, display_text, valid_answers) values
      ($1, 0, 'rating', '{"en": "How easy was it to get help?"}', '[1, 5]'),
      ($1, 1, 'choice', '{"en": "Was your problem solved?"}', '["yes", "no", "partly"]'),
      ($1, 2, 'text', '{"en": "Anything we could do better?"}', null)`, [workspaceId]);
    const forms = [
      ['bug_report', { en: 'Report a bug', fr: 'Signaler un bug' }, [
        { name: 'subject', label: { en: 'Subject', fr: 'Sujet' }, type: 'text', required: true, max: 200 },
        { name: 'description', label: { en: 'What happened?', fr: 'Que s’est-il passé ?' }, type: 'textarea', required: true },
        { name: 'priority_hint', label: { en: 'Priority', fr: 'Priorité' }, type: 'select', options: ['low', 'medium', 'high'] },
        { name: 'email', label: { en: 'Email for updates', fr: 'E-mail pour le suivi' }, type: 'email' },
      ]],
      ['feature_request', { en: 'Request a feature', fr: 'Proposer une fonctionnalité' }, [
        { name: 'title', label: { en: 'Feature', fr: 'Fonctionnalité' }, type: 'text', required: true, max: 200 },
        { name: 'details', label: { en: 'Why would it help?', fr: 'En quoi cela aiderait-il ?' }, type: 'textarea' },
      ]],
    ] as const;
    for (const [i, [key, title, fields]] of forms.entries()) {
      await q.query('insert into ticket_forms (workspace_id, key, title, fields, position) values ($1, $2, $3, $4, $5)', [workspaceId, key, JSON.stringify(title), JSON.stringify(fields), i]);
    }
    await q.query(`insert into meeting_types (workspace_id, name, duration_minutes, availability) values ($1, $2, 30, $3)`, [
      workspaceId, JSON.stringify({ en: 'Product demo', fr: 'Démonstration' }),
      JSON.stringify({ mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }),
    ]);
    await q.query(`insert into triggers (workspace_id, name, url_pattern, min_seconds_on_page, message) values ($1, 'Welcome', '*', 20, '{"en": "Hi! Questions about the demo? We are here."}')`, [workspaceId]);
  });
}

/**
 * The demo workspace (`DEMO=1`, which `npm start` sets): created and seeded on the first such start, found
 * again afterwards. Its secrets are returned once, at creation, for the start to print; only its public
 * key and ids are kept (demo_settings), never a secret. DEMO_PUBLIC_KEY and DEMO_OPERATOR_KEY fix its keys.
 */
export async function demoWorkspace(
  db: Db,
  env: NodeJS.ProcessEnv,
): Promise<{ publicKey: string; agentId: string; created: boolean; operatorKey?: string; identitySecret?: string }> {
  await db.exec('create table if not exists demo_settings (name text primary key, value jsonb not null)');
  const [saved] = await db.query("select value from demo_settings where name = 'keys'");
  if (saved) {
    const kept = saved.value as { workspaceId: string; publicKey: string; agentId: string; operatorKey?: string };
    if (env.DEMO_PUBLIC_KEY && env.DEMO_PUBLIC_KEY !== kept.publicKey) {
      await db.query('update widget_keys set key = $1 where key = $2', [env.DEMO_PUBLIC_KEY, kept.publicKey]);
      kept.publicKey = env.DEMO_PUBLIC_KEY;
    }
    if (env.DEMO_OPERATOR_KEY) {
      await db.query('update operator_keys set key_hash = $1 where workspace_id = $2 and agent_id = $3', [sha256(env.DEMO_OPERATOR_KEY), kept.workspaceId, kept.agentId]);
    }
    // Earlier versions kept the secrets here too: no more.
    const value = { workspaceId: kept.workspaceId, publicKey: kept.publicKey, agentId: kept.agentId };
    await db.query("update demo_settings set value = $1 where name = 'keys'", [JSON.stringify(value)]);
    return { publicKey: kept.publicKey, agentId: kept.agentId, created: false };
  }
  const keys = await createWorkspace(db, {
    name: 'Demo workspace',
    publicKey: env.DEMO_PUBLIC_KEY || undefined,
    operatorKey: env.DEMO_OPERATOR_KEY || undefined,
    identitySecret: env.DEMO_IDENTITY_SECRET || undefined,
  });
  await seedDemoContent(db, keys.workspaceId);
  await db.query("insert into demo_settings (name, value) values ('keys', $1)", [JSON.stringify({ workspaceId: keys.workspaceId, publicKey: keys.publicKey, agentId: keys.agentId })]);
  return { publicKey: keys.publicKey, agentId: keys.agentId, created: true, operatorKey: keys.operatorKey, identitySecret: keys.identitySecret };
}
