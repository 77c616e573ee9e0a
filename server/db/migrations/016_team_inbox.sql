-- An inbox a team works in (issue 18): what each operator has read, the
-- workspace's canned replies, and message text searchable by full text.

-- How far each operator has read each conversation: unread is per operator (a
-- workspace key with no agent keeps using conversations.operator_read_seq).
create table conversation_reads (
  conversation_id text not null references conversations(id) on delete cascade,
  agent_id text not null references agents(id) on delete cascade,
  seq bigint not null,
  primary key (conversation_id, agent_id)
);

-- Replies saved per workspace, inserted in the inbox with "/shortcut" or a picker.
create table canned_replies (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  content text not null,
  created_at timestamptz not null default now(),
  unique (workspace_id, shortcut)
);

-- Search over message text: the 'simple' configuration (no stemming, any
-- language), prefix matches from the inbox's search box.
create index messages_text_search on messages using gin (to_tsvector('simple', content));
create index conversations_assignee on conversations (workspace_id, assignee_id, updated_at desc);
