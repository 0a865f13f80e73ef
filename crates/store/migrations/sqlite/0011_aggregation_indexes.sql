-- Issue 8: the organisation-wide admin views at 100,000 people
-- (bench/scale.sh, docs/benchmarks.md). The completion view reads each
-- cycle's state and dates and counts its invitations, answered or not:
-- both now come from an index alone. On SQLite a cycle's row holds its
-- frozen JSON (several kilobytes, in overflow pages) before its dates, so
-- reading the dates from the row read the whole cycle. Each new index
-- starts with the columns of the one it replaces, so every query that used
-- the old one can use the new one.
CREATE INDEX cycles_user_state ON cycles (user_id, opened_at, state, closed_at);
DROP INDEX cycles_user;
CREATE INDEX rater_invites_cycle_answered ON rater_invites (cycle_id, answered_at);
DROP INDEX rater_invites_cycle;
