-- "Was this helpful?" under a help article (issue 15): one answer per visitor
-- session and article; answering again replaces it. Operators read the counts per
-- article and the recent comments (server/domain/content-editor.ts). The answers go
-- with their article, and with their session.
create table article_feedback (
  workspace_id text not null references workspaces(id) on delete cascade,
  article_id bigint not null references articles(id) on delete cascade,
  session_id text not null references sessions(id) on delete cascade,
  helpful boolean not null,
  comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (article_id, session_id)
);
create index article_feedback_recent on article_feedback (article_id, updated_at desc);
