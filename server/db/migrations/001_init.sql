-- The reference server's model. The same SQL runs on PGlite and PostgreSQL.
create table workspaces (
  id text primary key,
  name text not null,
  identity_secret text not null,
  require_verification boolean not null default false,
  allowed_origins text[] not null default array['*'],
  created_at timestamptz not null default now()
);

-- Operators and bots. An agent may have its own widget key: conversations
-- started with it are routed to that agent.
create table agents (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name text not null,
  kind text not null check (kind in ('person', 'bot')),
  last_seen_at timestamptz,
  created_at timestamptz not null default now()
);

create table widget_keys (
  key text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  agent_id text references agents(id) on delete cascade
);

-- Secret keys, stored as SHA-256 hashes.
create table operator_keys (
  key_hash text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  agent_id text references agents(id) on delete set null,
  created_at timestamptz not null default now()
);

create table contacts (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  external_id text,
  email text,
  name text,
  phone text,
  company text,
  avatar_url text,
  custom_data jsonb not null default '{}',
  verified boolean not null default false,
  created_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);

create table sessions (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  token_hash text not null unique,
  agent_id text references agents(id) on delete set null,
  contact_id text references contacts(id) on delete set null,
  data jsonb not null default '{}',
  segments text[] not null default '{}',
  locale text,
  last_seen_at timestamptz not null default now(),
  page_url text,
  created_at timestamptz not null default now()
);
create index sessions_workspace on sessions (workspace_id, last_seen_at desc);

create table conversations (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text not null references sessions(id) on delete cascade,
  contact_id text references contacts(id) on delete set null,
  agent_id text references agents(id) on delete set null,
  assignee_id text references agents(id) on delete set null,
  status text not null default 'open' check (status in ('open', 'pending', 'closed')),
  category text,
  variables jsonb not null default '{}',
  fields jsonb not null default '{}',
  form_id text,
  visitor_read_seq bigint not null default 0,
  operator_read_seq bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversations_workspace on conversations (workspace_id, updated_at desc);
create index conversations_session on conversations (session_id, updated_at desc);
create index conversations_contact on conversations (contact_id, updated_at desc);

-- author: visitor, agent, bot, system; internal notes are operator-only.
create table messages (
  seq bigint generated always as identity primary key,
  id text not null unique,
  workspace_id text not null references workspaces(id) on delete cascade,
  conversation_id text not null references conversations(id) on delete cascade,
  author text not null check (author in ('visitor', 'agent', 'bot', 'system')),
  author_id text,
  author_name text,
  content text not null,
  internal boolean not null default false,
  client_id text,
  created_at timestamptz not null default now(),
  unique (workspace_id, client_id)
);
create index messages_conversation on messages (conversation_id, seq);

create table widget_events (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text not null references sessions(id) on delete cascade,
  name text not null,
  data jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table survey_responses (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text not null references sessions(id) on delete cascade,
  conversation_id text references conversations(id) on delete set null,
  kind text not null check (kind in ('csat', 'nps')),
  score integer not null,
  comment text,
  created_at timestamptz not null default now()
);

-- Every realtime event, kept so that a stream can resume from Last-Event-ID.
-- visitor/operator say who may see it; session_id/contact_id target visitors
-- (both null: every visitor of the workspace).
create table stream_events (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text,
  contact_id text,
  conversation_id text,
  type text not null,
  visitor boolean not null,
  operator boolean not null,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index stream_events_workspace on stream_events (workspace_id, id);
