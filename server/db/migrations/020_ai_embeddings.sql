-- Embeddings for the AI agent's retrieval (issue 19): a workspace may name an
-- embedding model (an OpenAI-compatible /embeddings endpoint: the chat model's
-- own server by default, or another one, since Anthropic has none). The
-- vectors themselves live in chunk_embeddings, made at run time where pgvector
-- can be enabled (PGlite always; PostgreSQL when CREATE EXTENSION vector
-- works), so that a database without pgvector still migrates: its agent ranks
-- by full text alone.
alter table ai_models
  add column embedding_model text,
  add column embedding_base_url text,
  add column embedding_api_key text,
  add column min_similarity real not null default 0.5 check (min_similarity > 0 and min_similarity < 1);
