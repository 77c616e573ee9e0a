-- Identity switches in place (issue 12).
--
-- contacts.email_verified: the contact's email itself was proven (an email_hash,
-- a user_hash of the email, a JWT's email claim). `verified` alone says some
-- proof was checked: a user_hash of the external id proves that id only, and an
-- email sent beside it is kept as an unproven detail (email_verified false).
-- Existing contacts: only those verified by email alone (no external id) count
-- as having a proven email.
alter table contacts add column email_verified boolean not null default false;
update contacts set email_verified = true where verified and external_id is null and email is not null;

-- Which conversations a session may reach: a conversation of a contact belongs
-- to whoever the session holds NOW (contact_id equal); only an anonymous one
-- (no contact) goes by session. Once a session has switched from visitor A to
-- B, A's conversations no longer match by their old session_id.
-- chat_visitor_message as in 008 (idempotency by the sending session), with that rule for a named chat.
create or replace function chat_visitor_message(p_session text, p_client_id text, p_content text, p_fields jsonb, p_conversation text default null, p_file text default null)
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
  select * into m from messages where session_id = s.id and client_id = p_client_id;
  if found then
    return jsonb_build_object('created', false, 'message', chat_message_json(m), 'events', events,
      'chat_status', (select chat_status from conversations where id = m.conversation_id));
  end if;
  if p_conversation is not null then
    select * into c from conversations
     where id = p_conversation and workspace_id = s.workspace_id
       and ((contact_id is not null and contact_id = s.contact_id) or (contact_id is null and session_id = s.id));
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
  insert into messages (id, workspace_id, conversation_id, author, content, client_id, session_id, file_id)
  values ('msg_' || replace(gen_random_uuid()::text, '-', ''), s.workspace_id, c.id, 'visitor', p_content, p_client_id, s.id, p_file)
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
