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

-- The message functions again, for the lifecycle: a visitor message may name
-- its chat (refused once finished or dismissed), and the first reply of a
-- person moves a waiting chat to assigned.
drop function chat_visitor_message(text, text, text, jsonb);
create function chat_visitor_message(p_session text, p_client_id text, p_content text, p_fields jsonb, p_conversation text default null, p_file text default null)
returns jsonb language plpgsql as $$
declare
  s sessions;
  c conversations;
  m messages;
  msg jsonb;
  events jsonb := '[]'::jsonb;
begin
  select * into s from sessions where id = p_session;
  if not found then
    raise exception 'unknown session %', p_session using errcode = 'P0002';
  end if;
  select * into m from messages where workspace_id = s.workspace_id and client_id = p_client_id;
  if found then
    return jsonb_build_object('created', false, 'message', chat_message_json(m), 'events', events,
      'chat_status', (select chat_status from conversations where id = m.conversation_id));
  end if;
  if p_conversation is not null then
    select * into c from conversations
     where id = p_conversation and workspace_id = s.workspace_id
       and (session_id = s.id or (s.contact_id is not null and contact_id = s.contact_id));
    if not found then
      raise exception 'unknown chat %', p_conversation using errcode = 'P0002';
    end if;
    if c.chat_status in ('finished', 'dismissed') then
      raise exception 'chat % is %', c.id, c.chat_status using errcode = 'P0001';
    end if;
  else
    if s.contact_id is not null then
      select * into c from conversations where workspace_id = s.workspace_id and contact_id = s.contact_id order by created_at desc limit 1;
    else
      select * into c from conversations where session_id = s.id and contact_id is null order by created_at desc limit 1;
    end if;
    if not found or c.status = 'closed' or c.chat_status in ('finished', 'dismissed') then
      insert into conversations (id, workspace_id, session_id, contact_id, agent_id, assignee_id, fields)
      values ('cnv_' || replace(gen_random_uuid()::text, '-', ''), s.workspace_id, s.id, s.contact_id, s.agent_id, s.agent_id, coalesce(p_fields, '{}'::jsonb))
      returning * into c;
      events := events || chat_event(c, 'conversation.created', false, jsonb_build_object('conversation', jsonb_build_object('id', c.id, 'status', c.status)));
    end if;
  end if;
  insert into messages (id, workspace_id, conversation_id, author, content, client_id, file_id)
  values ('msg_' || replace(gen_random_uuid()::text, '-', ''), s.workspace_id, c.id, 'visitor', p_content, p_client_id, p_file)
  returning * into m;
  update conversations
     set updated_at = now(), visitor_read_seq = m.seq,
         status = case when status = 'pending' then 'open' else status end
   where id = c.id;
  msg := chat_message_json(m);
  events := events || chat_event(c, 'message', false, jsonb_build_object('message', msg));
  events := events || chat_event(c, 'message', true, jsonb_build_object('message', msg));
  return jsonb_build_object('created', true, 'message', msg, 'events', events, 'chat_status', c.chat_status);
end
$$;

create or replace function chat_operator_message(p_workspace text, p_conversation text, p_author_id text, p_author_name text, p_content text, p_internal boolean)
returns jsonb language plpgsql as $$
declare
  c conversations;
  m messages;
  msg jsonb;
  events jsonb := '[]'::jsonb;
  is_person boolean;
begin
  select * into c from conversations where id = p_conversation and workspace_id = p_workspace;
  if not found then
    return null;
  end if;
  insert into messages (id, workspace_id, conversation_id, author, author_id, author_name, content, internal)
  values ('msg_' || replace(gen_random_uuid()::text, '-', ''), p_workspace, c.id, 'agent', p_author_id, p_author_name, p_content, p_internal)
  returning * into m;
  update conversations set updated_at = now(), operator_read_seq = m.seq where id = c.id;
  msg := chat_message_json(m);
  events := events || chat_event(c, 'message', false, jsonb_build_object('message', msg));
  if not p_internal then
    events := events || chat_event(c, 'message', true, jsonb_build_object('message', msg));
    select kind = 'person' into is_person from agents where id = p_author_id;
    if coalesce(is_person, true) and c.chat_status in ('queued', 'va_assigned') then
      update conversations set chat_status = 'assigned', assigned_at = now(), assignee_id = coalesce(assignee_id, p_author_id)
       where id = c.id returning * into c;
      events := events || chat_event(c, 'chat.member_joined', true, jsonb_build_object('chat_id', c.id, 'member', jsonb_build_object('id', p_author_id, 'name', p_author_name, 'type', 'agent')));
      events := events || chat_event(c, 'chat.updated', true, jsonb_build_object('chat_id', c.id, 'status', c.chat_status));
      events := events || chat_event(c, 'conversation.updated', false, jsonb_build_object('conversation', jsonb_build_object('id', c.id, 'status', c.status, 'chat_status', c.chat_status, 'assignee_id', c.assignee_id)));
    end if;
  end if;
  return jsonb_build_object('message', msg, 'events', events);
end
$$;

create or replace function chat_message_json(m messages) returns jsonb language sql stable as $$
  select jsonb_build_object(
    'seq', m.seq, 'id', m.id, 'client_id', m.client_id, 'conversation_id', m.conversation_id,
    'author', m.author, 'author_id', m.author_id, 'author_name', m.author_name, 'content', m.content,
    'internal', m.internal, 'data', m.data,
    'attachment', (select jsonb_build_object('id', f.id, 'name', f.name, 'mime', f.mime, 'size', f.size) from files f where f.id = m.file_id),
    'created_at', to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$$;
