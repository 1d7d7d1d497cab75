-- 993_beta_invites_revocation.sql
-- Launch-day support and the privacy sweep.
--
-- `beta-invites revoke` ends a pending invite by setting expires_at = now() (so the signup
-- path and `render`'s reuse see it as expired at once) and records when and why here.
-- A redeemed invite is never revoked.
--
-- `beta-invites sweep` replaces the email of invites never redeemed whose expiry is older
-- than its window with a random, non-identifying address (the privacy promise of 990's
-- header); anonymized_at records that it happened, so a second sweep skips the row.
ALTER TABLE public.beta_invites
  ADD COLUMN IF NOT EXISTS revoked_at TIMESTAMPTZ,
  ADD COLUMN IF NOT EXISTS revoke_reason TEXT,
  ADD COLUMN IF NOT EXISTS anonymized_at TIMESTAMPTZ;

COMMENT ON COLUMN public.beta_invites.revoked_at IS
  'When beta-invites revoke ended this pending invite (expires_at was set to the same instant). NULL if never revoked.';
COMMENT ON COLUMN public.beta_invites.revoke_reason IS
  'The operator''s reason given to beta-invites revoke --reason (free text, may be NULL).';
COMMENT ON COLUMN public.beta_invites.anonymized_at IS
  'When beta-invites sweep replaced the email of this never-redeemed, long-expired invite. NULL if the email is the original.';
