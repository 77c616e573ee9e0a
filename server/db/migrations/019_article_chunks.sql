-- What the AI agent answers from (issue 19): help articles in chunks, one per
-- Markdown heading (a section), each with its full-text vector (the title
-- counts twice, the heading once more). Kept in step with the articles by a
-- trigger; what exists is chunked now.
create function help_config(locale text) returns regconfig language sql immutable as $$
  select case split_part(locale, '-', 1)
    when 'en' then 'english'::regconfig when 'fr' then 'french'::regconfig when 'es' then 'spanish'::regconfig
    when 'de' then 'german'::regconfig when 'nl' then 'dutch'::regconfig else 'simple'::regconfig end
$$;

create table article_chunks (
  id bigint generated always as identity primary key,
  article_id bigint not null references articles(id) on delete cascade,
  workspace_id text not null references workspaces(id) on delete cascade,
  locale text not null,
  position integer not null,
  heading text,
  body text not null,
  search tsvector not null
);
create index article_chunks_search on article_chunks using gin (search);
create index article_chunks_article on article_chunks (article_id, position);

create function chunk_article(a articles) returns void language sql as $$
  delete from article_chunks where article_id = a.id;
  insert into article_chunks (article_id, workspace_id, locale, position, heading, body, search)
  select a.id, a.workspace_id, a.locale, n,
         case when part ~ '^#{1,6} ' then regexp_replace(split_part(part, E'\n', 1), '^#{1,6} +', '') end,
         btrim(part, E'\n '),
         to_tsvector(help_config(a.locale), a.title || ' ' || a.title || ' ' ||
           coalesce(case when part ~ '^#{1,6} ' then regexp_replace(split_part(part, E'\n', 1), '^#{1,6} +', '') end, '') || ' ' || part)
    from regexp_split_to_table(a.body, E'\n(?=#{1,6} )') with ordinality as s(part, n)
   where btrim(part, E'\n ') <> '';
$$;

create function article_chunks_refresh() returns trigger language plpgsql as $$
begin
  perform chunk_article(new);
  return new;
end
$$;
create trigger article_chunks_refresh after insert or update of title, body, locale on articles
  for each row execute function article_chunks_refresh();

select chunk_article(a) from articles a;

-- What the AI agent spent, per answer: the limits per visitor (requests an
-- hour) and per workspace (tokens a day) are counted from it.
create table ai_usage (
  id bigint generated always as identity primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  session_id text references sessions(id) on delete set null,
  conversation_id text references conversations(id) on delete set null,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  created_at timestamptz not null default now()
);
create index ai_usage_session on ai_usage (session_id, created_at);
create index ai_usage_workspace on ai_usage (workspace_id, created_at);
