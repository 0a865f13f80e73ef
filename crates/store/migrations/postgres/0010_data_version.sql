-- Issue 8: pages read a whole page's data once and reuse it until the data
-- changes, which takes two things from the database.
--
-- 1. A session names its person in a column of its own, so one query reads
--    the session, the person and their unread notifications.
ALTER TABLE sessions ADD COLUMN user_id BIGINT;

-- 2. The data version: one number that every write to any table moves
--    (the same transaction, so a reader never sees new rows with an old
--    version). Not moved by sessions, nor by an API token's last use, which
--    no cached page shows. A new table needs its three triggers too: the
--    store test `every_table_moves_the_data_version` fails without them.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);

-- Statement triggers that run BEFORE the statement: a writing transaction
-- takes the version's row lock at its first write, before any row lock of
-- its own, so two writers queue on it and cannot deadlock over it.
CREATE FUNCTION move_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE data_version SET version = version + 1; RETURN NULL; END $$;

CREATE TRIGGER organisations_version BEFORE INSERT OR UPDATE OR DELETE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER users_version BEFORE INSERT OR UPDATE OR DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER memberships_version BEFORE INSERT OR UPDATE OR DELETE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER api_tokens_version BEFORE INSERT OR UPDATE OF user_id, name, token_hash, created_at, revoked_at OR DELETE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER invitations_version BEFORE INSERT OR UPDATE OR DELETE ON invitations FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER role_contexts_version BEFORE INSERT OR UPDATE OR DELETE ON role_contexts FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER cycles_version BEFORE INSERT OR UPDATE OR DELETE ON cycles FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER self_ratings_version BEFORE INSERT OR UPDATE OR DELETE ON self_ratings FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER rater_invites_version BEFORE INSERT OR UPDATE OR DELETE ON rater_invites FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER rater_answers_version BEFORE INSERT OR UPDATE OR DELETE ON rater_answers FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER rater_comments_version BEFORE INSERT OR UPDATE OR DELETE ON rater_comments FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER plans_version BEFORE INSERT OR UPDATE OR DELETE ON plans FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER plan_skills_version BEFORE INSERT OR UPDATE OR DELETE ON plan_skills FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER plan_activities_version BEFORE INSERT OR UPDATE OR DELETE ON plan_activities FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER practice_entries_version BEFORE INSERT OR UPDATE OR DELETE ON practice_entries FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER check_ins_version BEFORE INSERT OR UPDATE OR DELETE ON check_ins FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER check_in_answers_version BEFORE INSERT OR UPDATE OR DELETE ON check_in_answers FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER stakeholders_version BEFORE INSERT OR UPDATE OR DELETE ON stakeholders FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER meetings_version BEFORE INSERT OR UPDATE OR DELETE ON meetings FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER notifications_version BEFORE INSERT OR UPDATE OR DELETE ON notifications FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER scenario_attempts_version BEFORE INSERT OR UPDATE OR DELETE ON scenario_attempts FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
