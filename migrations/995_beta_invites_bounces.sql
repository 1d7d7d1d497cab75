-- 995_beta_invites_bounces.sql
-- Delivery failures reported back to the envelope sender (DSNs, RFC 3464), recorded by
-- `beta-invites bounces`. One row per bounce message: its Message-ID is unique, so reading
-- the same mailbox again records nothing twice.
--
-- kind follows the RFC 3463 class of status: 5.x.x is hard (the address will not work),
-- 4.x.x is soft (it may work later), and a report without a readable status is unknown
-- (never guessed). `report` counts invites with a hard bounce; `send` skips the addresses
-- of those invites.
CREATE TABLE IF NOT EXISTS public.beta_invites_bounces (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  invite_id UUID NOT NULL REFERENCES public.beta_invites(id) ON DELETE CASCADE,
  -- The RFC 3463 enhanced status, e.g. 5.1.1; NULL when the report carried none.
  status TEXT CHECK (status ~ '^[45]\.[0-9]{1,3}\.[0-9]{1,3}$'),
  kind TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'unknown')),
  -- The reporting server's own words (Diagnostic-Code), for support.
  diagnostic TEXT,
  -- The address that failed, as the report names it (Final-Recipient).
  recipient TEXT,
  -- The report's Action: failed, delayed (soft reports are often delay warnings).
  action TEXT,
  -- When the bounce arrived in the mailbox (IMAP internal date, else its Date header).
  received_at TIMESTAMPTZ NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT beta_invites_bounces_kind_status CHECK (
    (kind = 'unknown') = (status IS NULL)
    AND (kind <> 'hard' OR status LIKE '5.%')
    AND (kind <> 'soft' OR status LIKE '4.%'))
);
COMMENT ON TABLE public.beta_invites_bounces IS
  'Delivery status notifications (bounces) of sent invitations, one row per bounce message (beta-invites bounces).';
COMMENT ON COLUMN public.beta_invites_bounces.kind IS
  'hard (status 5.x.x), soft (4.x.x) or unknown (no readable status).';
-- show lists an invite's bounces; report and send look for hard bounces per invite.
CREATE INDEX IF NOT EXISTS idx_beta_invites_bounces_invite
  ON public.beta_invites_bounces (invite_id, received_at);
CREATE INDEX IF NOT EXISTS idx_beta_invites_bounces_hard
  ON public.beta_invites_bounces (invite_id)
  WHERE kind = 'hard';
