-- A survey question that visitors answered is retired instead of deleted: it leaves the
-- survey, and the answers stay.
alter table survey_questions add column retired boolean not null default false;
