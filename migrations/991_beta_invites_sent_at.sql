-- 991_beta_invites_sent_at.sql
-- When `beta-invites send` handed the invitation to the mail transport. NULL until then.
-- With DIR/sent.jsonl it is the exactly-once ledger: a rerun skips invites already sent.
ALTER TABLE public.beta_invites
  ADD COLUMN IF NOT EXISTS sent_at TIMESTAMPTZ;

COMMENT ON COLUMN public.beta_invites.sent_at IS
  'When the invitation was accepted by the mail transport (beta-invites send). NULL means not sent yet.';
