-- 996_beta_invites_code_index.sql
-- beta-invites: no-transaction
-- 990 declares `code … UNIQUE`, which builds a unique index for the constraint
-- beta_invites_code_key, and then builds idx_beta_invites_code, a second unique index on
-- the same column: every insert (render, the signup path) maintained both for nothing.
-- The constraint's index stays: it serves the lookup by code and names a duplicate code.
-- Dropped CONCURRENTLY, so outside a transaction: a plain DROP INDEX holds an exclusive
-- lock on the table, and the signup path's reads queue behind it.
DROP INDEX CONCURRENTLY IF EXISTS public.idx_beta_invites_code;
