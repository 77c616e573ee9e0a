-- Group commit of visitors' messages (issue 17's throughput): the messages that
-- arrive while the database is busy go in together, one statement and one
-- transaction for all of them (server/domain/messages.ts, Messages.visitor). Each
-- item is visitor_message (migration 011), in the items' order; the results come
-- back in that order. No subtransaction per item (it cost a fifth of the time): a
-- unique-key race on a client id with another process fails the whole batch, and
-- the caller then sends each item again by itself.
create function visitor_messages(p_items jsonb) returns jsonb language sql as $$
  select coalesce(jsonb_agg(visitor_message(e->>'session', e->>'client_id', e->>'content', e->>'conversation', e->>'file', e->>'id') order by n), '[]'::jsonb)
    from jsonb_array_elements(p_items) with ordinality as x(e, n)
$$;
