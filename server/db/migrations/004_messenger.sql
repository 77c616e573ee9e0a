-- The full messenger: ticket forms and tickets, help-center reads, visitor data.

create table ticket_forms (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  key text not null,
  title jsonb not null,
  -- [{name, label: {lang: text}, type: text|textarea|email|number|select|checkbox, required, options?: [..], max?}]
  fields jsonb not null,
  position integer not null default 0,
  unique (workspace_id, key)
);

create table tickets (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text references sessions(id) on delete set null,
  contact_id text references contacts(id) on delete set null,
  conversation_id text references conversations(id) on delete set null,
  form_key text not null,
  fields jsonb not null,
  status text not null default 'open' check (status in ('open', 'pending', 'closed')),
  created_at timestamptz not null default now()
);
create index tickets_workspace on tickets (workspace_id, created_at desc);
