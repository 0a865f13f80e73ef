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

CREATE TRIGGER organisations_version_insert AFTER INSERT ON organisations BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER organisations_version_update AFTER UPDATE ON organisations BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER organisations_version_delete AFTER DELETE ON organisations BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER users_version_insert AFTER INSERT ON users BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER users_version_update AFTER UPDATE ON users BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER users_version_delete AFTER DELETE ON users BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER memberships_version_insert AFTER INSERT ON memberships BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER memberships_version_update AFTER UPDATE ON memberships BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER memberships_version_delete AFTER DELETE ON memberships BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER api_tokens_version_insert AFTER INSERT ON api_tokens BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER api_tokens_version_update AFTER UPDATE OF user_id, name, token_hash, created_at, revoked_at ON api_tokens BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER api_tokens_version_delete AFTER DELETE ON api_tokens BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER invitations_version_insert AFTER INSERT ON invitations BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER invitations_version_update AFTER UPDATE ON invitations BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER invitations_version_delete AFTER DELETE ON invitations BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER role_contexts_version_insert AFTER INSERT ON role_contexts BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER role_contexts_version_update AFTER UPDATE ON role_contexts BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER role_contexts_version_delete AFTER DELETE ON role_contexts BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER cycles_version_insert AFTER INSERT ON cycles BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER cycles_version_update AFTER UPDATE ON cycles BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER cycles_version_delete AFTER DELETE ON cycles BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER self_ratings_version_insert AFTER INSERT ON self_ratings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER self_ratings_version_update AFTER UPDATE ON self_ratings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER self_ratings_version_delete AFTER DELETE ON self_ratings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_invites_version_insert AFTER INSERT ON rater_invites BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_invites_version_update AFTER UPDATE ON rater_invites BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_invites_version_delete AFTER DELETE ON rater_invites BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_answers_version_insert AFTER INSERT ON rater_answers BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_answers_version_update AFTER UPDATE ON rater_answers BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_answers_version_delete AFTER DELETE ON rater_answers BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_comments_version_insert AFTER INSERT ON rater_comments BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_comments_version_update AFTER UPDATE ON rater_comments BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER rater_comments_version_delete AFTER DELETE ON rater_comments BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plans_version_insert AFTER INSERT ON plans BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plans_version_update AFTER UPDATE ON plans BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plans_version_delete AFTER DELETE ON plans BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_skills_version_insert AFTER INSERT ON plan_skills BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_skills_version_update AFTER UPDATE ON plan_skills BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_skills_version_delete AFTER DELETE ON plan_skills BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_activities_version_insert AFTER INSERT ON plan_activities BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_activities_version_update AFTER UPDATE ON plan_activities BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_activities_version_delete AFTER DELETE ON plan_activities BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER practice_entries_version_insert AFTER INSERT ON practice_entries BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER practice_entries_version_update AFTER UPDATE ON practice_entries BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER practice_entries_version_delete AFTER DELETE ON practice_entries BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER check_ins_version_insert AFTER INSERT ON check_ins BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER check_ins_version_update AFTER UPDATE ON check_ins BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER check_ins_version_delete AFTER DELETE ON check_ins BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER check_in_answers_version_insert AFTER INSERT ON check_in_answers BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER check_in_answers_version_update AFTER UPDATE ON check_in_answers BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER check_in_answers_version_delete AFTER DELETE ON check_in_answers BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER stakeholders_version_insert AFTER INSERT ON stakeholders BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER stakeholders_version_update AFTER UPDATE ON stakeholders BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER stakeholders_version_delete AFTER DELETE ON stakeholders BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER meetings_version_insert AFTER INSERT ON meetings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER meetings_version_update AFTER UPDATE ON meetings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER meetings_version_delete AFTER DELETE ON meetings BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER notifications_version_insert AFTER INSERT ON notifications BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER notifications_version_update AFTER UPDATE ON notifications BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER notifications_version_delete AFTER DELETE ON notifications BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER scenario_attempts_version_insert AFTER INSERT ON scenario_attempts BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER scenario_attempts_version_update AFTER UPDATE ON scenario_attempts BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER scenario_attempts_version_delete AFTER DELETE ON scenario_attempts BEGIN UPDATE data_version SET version = version + 1; END;
