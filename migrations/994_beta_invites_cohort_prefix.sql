-- 994_beta_invites_cohort_prefix.sql
-- `beta-invites report --cohort creator` selects cohorts by prefix (LIKE 'creator%').
-- The cohort index of 990 uses the database's collation, which serves LIKE prefixes only
-- under the C collation; this one serves them under any collation.
CREATE INDEX IF NOT EXISTS idx_beta_invites_cohort_prefix
  ON public.beta_invites (cohort text_pattern_ops);
