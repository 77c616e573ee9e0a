-- The messenger's home shows the team (issue 15): an operator's picture, set by
-- the operator (PATCH /api/agent/me); without one the messenger shows initials.
alter table agents add column avatar_url text;
