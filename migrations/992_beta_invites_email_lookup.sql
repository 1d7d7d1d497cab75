-- 992_beta_invites_email_lookup.sql
-- `beta-invites render` reuses a recipient's pending invite instead of creating a second
-- one, and `show`/`revoke` find invites by address: both look up lower(email). Without
-- this index each lookup scans the table, which makes a large cohort quadratic.
CREATE INDEX IF NOT EXISTS idx_beta_invites_email_lower
  ON public.beta_invites (lower(email));
