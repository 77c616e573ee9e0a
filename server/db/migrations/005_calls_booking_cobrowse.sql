-- Calls and callbacks, meeting bookings, co-browsing.

alter table workspaces add column slot_minutes integer not null default 15;

create table calls (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text references sessions(id) on delete set null,
  menu_id bigint references menus(id) on delete set null,
  lang text not null,
  phone_number text not null,
  scheduled_at timestamptz,
  ticket_id text,
  email text,
  recording_permission boolean not null default false,
  status text not null check (status in ('queued', 'scheduled', 'done', 'cancelled')),
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index calls_workspace on calls (workspace_id, status, scheduled_at);

create table meeting_types (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name jsonb not null,
  duration_minutes integer not null check (duration_minutes between 5 and 480),
  -- Like business hours ({"mon": [["09:00", "17:00"]]}); null: the workspace's hours.
  availability jsonb,
  position integer not null default 0
);

create table bookings (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  meeting_type_id bigint not null references meeting_types(id) on delete cascade,
  session_id text references sessions(id) on delete set null,
  conversation_id text references conversations(id) on delete set null,
  name text not null,
  email text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'confirmed' check (status in ('confirmed', 'cancelled')),
  created_at timestamptz not null default now()
);
create index bookings_workspace on bookings (workspace_id, starts_at);

create table cobrowse_sessions (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text not null references sessions(id) on delete cascade,
  conversation_id text references conversations(id) on delete set null,
  code text,
  code_expires_at timestamptz,
  status text not null check (status in ('waiting', 'live', 'ended')),
  started_at timestamptz,
  ended_at timestamptz,
  created_at timestamptz not null default now()
);
create index cobrowse_code on cobrowse_sessions (workspace_id, code);

create table cobrowse_events (
  id bigint generated always as identity primary key,
  cobrowse_id text not null references cobrowse_sessions(id) on delete cascade,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index cobrowse_events_session on cobrowse_events (cobrowse_id, id);
