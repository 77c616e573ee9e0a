-- Message idempotency keys belong to the session that sent the message, not
-- to the workspace: a visitor who posts with another visitor's client_id gets
-- their own message stored, and never sees the other's message or chat.
-- messages.session_id is the sending session of a visitor message (null for
-- operators' and system messages); existing visitor messages take their
-- conversation's session.

alter table messages add column session_id text references sessions (id) on delete set null;

update messages m set session_id = c.session_id
  from conversations c
 where c.id = m.conversation_id and m.client_id is not null;

alter table messages drop constraint if exists messages_workspace_id_client_id_key;
create unique index messages_session_client_id on messages (session_id, client_id) where client_id is not null;

-- The lookup by (session_id, client_id) is in server/domain/messages.ts (the message SQL function
-- of 003 is dropped by 010).
