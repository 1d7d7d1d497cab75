-- 997_beta_invites_report_collect.sql
-- `beta-invites report` gathers each cohort's sent→redeemed delays to take their median.
-- PostgreSQL's array_agg cannot be split over parallel workers before version 16, so the
-- whole report ran on one process; this aggregate does the same with a combine step
-- (array_cat), and the report's scan of the table is shared by the parallel workers like
-- a bare GROUP BY. The order of the values is not kept: the report sorts them.
CREATE OR REPLACE AGGREGATE public.beta_invites_collect(double precision) (
  SFUNC = array_append,
  STYPE = double precision[],
  COMBINEFUNC = array_cat,
  PARALLEL = SAFE
);
