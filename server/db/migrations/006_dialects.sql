-- web1on1 >cs commands: a contact's location, and inbox notifications of a conversation.
alter table contacts add column location text;
alter table conversations add column notifications jsonb not null default '[]';
