-- The headless SDK's model: company settings, business hours, menus, help
-- articles (full-text search), the chat lifecycle on conversations, files,
-- surveys, transcripts, email tickets and proactive triggers.

alter table workspaces
  add column subdomain text,
  add column support_email text,
  add column languages text[] not null default array['en'],
  add column flags jsonb not null default '{"action_tracking": false, "email_transcripts": true, "message_preview": true, "email_enhancement": false}',
  add column time_zone text not null default 'UTC',
  -- {"mon": [["09:00", "17:00"]], ...}; an empty object means always open.
  add column business_hours jsonb not null default '{}',
  add column after_hours_message jsonb not null default '{}',
  add column max_file_bytes integer not null default 10485760,
  add column prohibited_file_types text[] not null default array['exe', 'bat', 'cmd', 'com', 'msi', 'scr', 'vbs', 'js', 'jar', 'ps1', 'sh', 'dll'],
  add column survey_sign_off jsonb not null default '{}';

create table menus (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  parent_id bigint references menus(id) on delete cascade,
  position integer not null default 0,
  -- A direct key opens this topic without the picker.
  key text,
  names jsonb not null default '{}',
  enabled boolean not null default true,
  channels text[] not null default array['chat'],
  deflection_enabled boolean not null default false,
  deflection_threshold real not null default 0.05,
  keep_waiting boolean not null default true,
  redirection jsonb,
  unique (workspace_id, key)
);

create table articles (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  locale text not null,
  slug text not null,
  title text not null,
  body text not null,
  search tsvector generated always as (
    to_tsvector(
      case locale
        when 'en' then 'english'::regconfig when 'fr' then 'french'::regconfig when 'es' then 'spanish'::regconfig
        when 'de' then 'german'::regconfig when 'nl' then 'dutch'::regconfig else 'simple'::regconfig
      end,
      title || ' ' || title || ' ' || body)
  ) stored,
  unique (workspace_id, locale, slug)
);
create index articles_search on articles using gin (search);

-- A chat is a conversation with a lifecycle:
-- va_assigned (the virtual agent answers) -> queued -> assigned -> finished; dismissed by the visitor.
alter table conversations
  add column menu_id bigint references menus(id) on delete set null,
  add column lang text,
  add column chat_status text not null default 'queued' check (chat_status in ('va_assigned', 'queued', 'assigned', 'finished', 'dismissed')),
  add column previous_chat_status text,
  add column trigger_id bigint,
  add column ticket_id text,
  add column email text,
  add column cobrowsable boolean not null default false,
  add column custom_data jsonb not null default '{}',
  add column escalated_at timestamptz,
  add column assigned_at timestamptz,
  add column finished_at timestamptz,
  add column rating integer,
  add column feedback text;
create index conversations_queue on conversations (workspace_id, chat_status, created_at);

create table files (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  conversation_id text references conversations(id) on delete cascade,
  session_id text references sessions(id) on delete set null,
  name text not null,
  mime text not null,
  size integer not null,
  bytes bytea not null,
  created_at timestamptz not null default now()
);

alter table messages add column file_id text references files(id) on delete set null;
alter table messages add column data jsonb;

create table survey_questions (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  position integer not null default 0,
  -- rating: an integer in valid_answers [min, max]; choice: one of valid_answers; text: free text.
  type text not null check (type in ('rating', 'choice', 'text')),
  display_text jsonb not null,
  valid_answers jsonb
);

create table survey_answers (
  conversation_id text not null references conversations(id) on delete cascade,
  question_id bigint not null references survey_questions(id) on delete cascade,
  answer text not null,
  created_at timestamptz not null default now(),
  primary key (conversation_id, question_id)
);

create table transcripts (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  conversation_id text not null references conversations(id) on delete cascade,
  recipients text[] not null,
  subject text not null,
  body text not null,
  status text not null check (status in ('sent', 'queued', 'failed')),
  error text,
  created_at timestamptz not null default now()
);

create table email_tickets (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text references sessions(id) on delete set null,
  menu_id bigint references menus(id) on delete set null,
  lang text not null,
  name text,
  email text not null,
  content text not null,
  file_ids text[] not null default '{}',
  status text not null default 'open',
  created_at timestamptz not null default now()
);

create table triggers (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name text not null,
  -- A page address pattern: * matches any run of characters.
  url_pattern text not null default '*',
  min_seconds_on_page integer not null default 0,
  min_visits integer not null default 1,
  message jsonb not null,
  enabled boolean not null default true,
  position integer not null default 0
);
