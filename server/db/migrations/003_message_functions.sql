-- The hot paths in one call each. chat_visitor_message stores a visitor
-- message once per client id (in the named chat, refused once finished or
-- dismissed, or in the visitor's current conversation, opened when needed),
-- moves the read cursor and records the realtime events; chat_operator_message
-- stores a reply or an internal note, and the first reply of a person moves a
-- waiting chat to assigned. Both return {message, events, ...}; the caller
-- publishes the events after commit.

create function chat_message_json(m messages) returns jsonb language sql stable as $$
  select jsonb_build_object(
    'seq', m.seq, 'id', m.id, 'client_id', m.client_id, 'conversation_id', m.conversation_id,
    'author', m.author, 'author_id', m.author_id, 'author_name', m.author_name, 'content', m.content,
    'internal', m.internal, 'data', m.data,
    'attachment', (select jsonb_build_object('id', f.id, 'name', f.name, 'mime', f.mime, 'size', f.size) from files f where f.id = m.file_id),
    'created_at', to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$$;

-- Records one realtime event of a conversation: for operators, or for the
-- conversation's visitor. Returns the stored row as JSON, for publishing.
create function chat_event(c conversations, p_type text, p_for_visitor boolean, p_payload jsonb)
returns jsonb language sql as $$
  insert into stream_events (workspace_id, session_id, contact_id, conversation_id, type, visitor, operator, payload)
  values (c.workspace_id,
          case when p_for_visitor then c.session_id end,
          case when p_for_visitor then c.contact_id end,
          c.id, p_type, p_for_visitor, not p_for_visitor, p_payload)
  returning to_jsonb(stream_events.*)
$$;

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

create function chat_operator_message(p_workspace text, p_conversation text, p_author_id text, p_author_name text, p_content text, p_internal boolean)
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
