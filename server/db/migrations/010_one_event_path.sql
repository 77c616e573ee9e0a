-- One writer of stream events (issue 13): visitor and operator messages are
-- written by server/domain/messages.ts in a transaction whose events are stored
-- and published by server/domain/stream.ts, like every other write; conversations
-- are opened only by server/domain/conversations.ts. The SQL functions that
-- created conversations and recorded events themselves (migrations 003, 008,
-- 009) are no longer called. chat_message_json (the message's JSON shape) stays.
drop function if exists chat_visitor_message(text, text, text, jsonb, text, text);
drop function if exists chat_operator_message(text, text, text, text, text, boolean);
drop function if exists chat_event(conversations, text, boolean, jsonb);
