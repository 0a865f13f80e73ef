-- Growth plans, check-ins and the practice log (issue 6, module M4).
-- A person has one plan (created with their first focus skill) holding
-- their own check-in interval (NULL: the organisation's) and whether their
-- manager may see it. Finished or removed focus skills keep their row, so
-- the plan's history stays. Practice days are TEXT 'YYYY-MM-DD' (UTC),
-- which sorts and compares as dates on both backends.
CREATE TABLE plans (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    check_in_days BIGINT CHECK (check_in_days IS NULL OR check_in_days BETWEEN 7 AND 90),
    shared_with_manager BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE plan_skills (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES plans (user_id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    goal TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    ended_at BIGINT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('finished', 'removed')),
    CHECK ((ended_at IS NULL AND outcome IS NULL) OR (ended_at IS NOT NULL AND outcome IS NOT NULL))
);
CREATE UNIQUE INDEX plan_skills_one_active ON plan_skills (user_id, skill) WHERE ended_at IS NULL;
CREATE INDEX plan_skills_user ON plan_skills (user_id, added_at);

CREATE TABLE plan_activities (
    id INTEGER PRIMARY KEY,
    plan_skill_id BIGINT NOT NULL REFERENCES plan_skills (id) ON DELETE CASCADE,
    activity TEXT,
    title TEXT NOT NULL,
    cadence TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
CREATE INDEX plan_activities_skill ON plan_activities (plan_skill_id);

CREATE TABLE practice_entries (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    plan_activity_id BIGINT REFERENCES plan_activities (id) ON DELETE SET NULL,
    day TEXT NOT NULL,
    did TEXT NOT NULL,
    happened TEXT NOT NULL DEFAULT '',
    learned TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX practice_entries_user_day ON practice_entries (user_id, day);

CREATE TABLE check_ins (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES plans (user_id) ON DELETE CASCADE,
    at BIGINT NOT NULL
);
CREATE INDEX check_ins_user ON check_ins (user_id, at);

CREATE TABLE check_in_answers (
    check_in_id BIGINT NOT NULL REFERENCES check_ins (id) ON DELETE CASCADE,
    plan_skill_id BIGINT NOT NULL REFERENCES plan_skills (id) ON DELETE CASCADE,
    feeling TEXT NOT NULL,
    confidence BIGINT NOT NULL CHECK (confidence BETWEEN 1 AND 5),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (check_in_id, plan_skill_id)
);
