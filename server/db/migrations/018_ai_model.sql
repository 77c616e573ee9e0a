-- An AI agent with the site owner's own model (issue 19): which model a
-- workspace's agent uses, reached from the server only. The key never leaves
-- the server (no response carries it); without a row, the full-text virtual
-- agent answers as before.
create table ai_models (
  workspace_id text primary key references workspaces(id) on delete cascade,
  provider text not null check (provider in ('openai', 'anthropic')),
  base_url text not null,
  model text not null,
  api_key text,
  enabled boolean not null default true,
  max_answer_tokens integer not null default 600 check (max_answer_tokens between 16 and 8192),
  visitor_requests_per_hour integer not null default 30 check (visitor_requests_per_hour between 1 and 10000),
  workspace_tokens_per_day integer not null default 200000 check (workspace_tokens_per_day between 1000 and 100000000),
  updated_at timestamptz not null default now()
);
