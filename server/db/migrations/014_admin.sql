-- Workspaces and operators managed without SQL (issue 16): an operator has an
-- email and a role (admins manage the workspace and its operators); the
-- identity secret can be rotated with a grace period in which the previous one
-- still verifies, so signed-in visitors are not logged out.
alter table agents add column email text;
alter table agents add column role text not null default 'agent' check (role in ('admin', 'agent'));
-- Whoever holds an operator key today is the workspace's operator: an admin.
update agents set role = 'admin' where id in (select agent_id from operator_keys where agent_id is not null);
create unique index agents_email on agents (workspace_id, lower(email)) where email is not null;

alter table workspaces add column previous_identity_secret text;
alter table workspaces add column previous_identity_secret_until timestamptz;
