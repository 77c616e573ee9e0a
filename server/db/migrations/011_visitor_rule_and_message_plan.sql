-- The conversations a visitor's session may reach, written once (issue 13's "one
-- visibility rule"), and the hot path of a visitor's message as one planned
-- statement (issue 17's throughput).
--
-- visitor_conversations(session): a contact's conversations belong to whoever the
-- session holds NOW (read from its row, not from a cached look-up); only an
-- anonymous conversation (no contact) goes by session. The session's *current*
-- conversation is one of them of the same kind as the session now: its contact's
-- once it holds one, else an anonymous one (visitor_current_conversation).
-- server/domain/conversations.ts
-- reads the current conversation, a named chat and the ongoing chat through it, and
-- so does visitor_message below. A SQL function, inlined by the planner: the
-- indexes on conversations (contact_id, session_id) are used as before.
create function visitor_conversations(p_session text) returns setof conversations language sql stable as $$
  select c.* from conversations c join sessions s on s.id = p_session
   where c.workspace_id = s.workspace_id and c.contact_id = s.contact_id
  union all
  select c.* from conversations c
   where c.session_id = p_session and c.contact_id is null
$$;

create function visitor_current_conversation(p_session text) returns setof conversations language sql stable as $$
  select c.* from visitor_conversations(p_session) c
   where (c.contact_id is null) = ((select contact_id from sessions where id = p_session) is null)
   order by c.created_at desc limit 1
$$;

-- A visitor's message, stored once per client id of the session, into the chat
-- named or else the current conversation. PL/pgSQL keeps its statements' plans
-- for the connection: on PGlite, planning the same statements sent from
-- TypeScript each time took most of a message's time (about 5 of 7 ms).
-- It opens no conversation and records no stream event: when one must be opened it
-- answers {open: true} and server/domain/messages.ts opens it (the one creator,
-- server/domain/conversations.ts) and calls again naming it; the events are emitted
-- by messages.ts through the one event path (server/domain/stream.ts).
-- Answers one of: {stored, chat_status} (this client id was stored before),
-- {missing: true}, {finished: chat_status}, {open: true, session}, {message, conversation}.
create function visitor_message(p_session text, p_client_id text, p_content text, p_conversation text, p_file text, p_id text)
returns jsonb language plpgsql as $$
declare
  s sessions;
  m messages;
  c conversations;
begin
  select * into m from messages where session_id = p_session and client_id = p_client_id;
  if found then
    return jsonb_build_object('stored', chat_message_json(m), 'chat_status', (select chat_status from conversations where id = m.conversation_id));
  end if;
  if p_conversation is not null then
    select * into c from visitor_conversations(p_session) where id = p_conversation;
    if not found then
      return jsonb_build_object('missing', true);
    end if;
    if c.chat_status in ('finished', 'dismissed') then
      return jsonb_build_object('finished', c.chat_status);
    end if;
  else
    select * into c from visitor_current_conversation(p_session);
    if not found or c.status = 'closed' or c.chat_status in ('finished', 'dismissed') then
      select * into s from sessions where id = p_session;
      return jsonb_build_object('open', true, 'session', to_jsonb(s));
    end if;
  end if;
  insert into messages (id, workspace_id, conversation_id, author, content, client_id, session_id, file_id)
  values (p_id, c.workspace_id, c.id, 'visitor', p_content, p_client_id, p_session, p_file)
  returning * into m;
  update conversations set updated_at = now(), visitor_read_seq = m.seq,
         status = case when status = 'pending' then 'open' else status end
   where id = c.id;
  return jsonb_build_object('message', chat_message_json(m), 'conversation', to_jsonb(c));
end
$$;

-- The events of one write, stored in the order emitted (server/domain/stream.ts
-- composes them; this only keeps the insert's plan, as above).
create function stream_append(p_events jsonb) returns setof stream_events language plpgsql as $$
begin
  return query
    with ins as (
      insert into stream_events (workspace_id, session_id, contact_id, conversation_id, type, visitor, operator, payload)
      select e->>'workspace_id', e->>'session_id', e->>'contact_id', e->>'conversation_id', e->>'type',
             (e->>'visitor')::boolean, (e->>'operator')::boolean, e->'payload'
        from jsonb_array_elements(p_events) with ordinality as x(e, n)
       order by n
      returning *)
    select * from ins;
end
$$;
