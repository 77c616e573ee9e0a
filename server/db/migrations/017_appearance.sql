-- The widget's appearance set from the inbox (issue 18): brand colour, side of
-- the page, greeting per language. The site's own attributes and configure()
-- win over it; the widget reads it from its session.
alter table workspaces add column appearance jsonb not null default '{}';
