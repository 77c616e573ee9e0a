-- Identity switches in place (issue 12).
--
-- contacts.email_verified: the contact's email itself was proven (an email_hash,
-- a user_hash of the email, a JWT's email claim). `verified` alone says some
-- proof was checked: a user_hash of the external id proves that id only, and an
-- email sent beside it is kept as an unproven detail (email_verified false).
-- Existing contacts: only those verified by email alone (no external id) count
-- as having a proven email.
alter table contacts add column email_verified boolean not null default false;
update contacts set email_verified = true where verified and external_id is null and email is not null;

-- Which conversations a session may reach (a contact's conversations go to whoever the session
-- holds NOW; only an anonymous one goes by session) is written in server/domain/conversations.ts
-- (visitorOwns); the message SQL function of 003/008 is dropped by 010.
