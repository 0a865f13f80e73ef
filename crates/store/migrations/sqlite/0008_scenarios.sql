-- Scenario practice (issue 7, module M7): every answer a person gives to a
-- situational-judgement scenario, in practice or assessment mode. The
-- answer is kept as given (ratings as '4,2,5,1' in option order, or the
-- 0-based best and worst options) with its score in 0..1, so statistics
-- can be recomputed. `blind` marks a person's first attempt at a scenario,
-- made before they saw its key: only blind attempts count towards their
-- scenario signal, and the unique index keeps it to one per scenario.
CREATE TABLE scenario_attempts (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scenario TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('rating', 'best-worst')),
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    ratings TEXT,
    best BIGINT,
    worst BIGINT,
    score DOUBLE PRECISION NOT NULL CHECK (score >= 0 AND score <= 1),
    blind BOOLEAN NOT NULL,
    cycle_id BIGINT REFERENCES cycles (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    CHECK ((format = 'rating' AND ratings IS NOT NULL AND best IS NULL AND worst IS NULL)
        OR (format = 'best-worst' AND ratings IS NULL AND best IS NOT NULL AND worst IS NOT NULL AND best <> worst))
);
CREATE INDEX scenario_attempts_user ON scenario_attempts (user_id, created_at);
CREATE INDEX scenario_attempts_scenario ON scenario_attempts (scenario);
CREATE UNIQUE INDEX scenario_attempts_one_blind ON scenario_attempts (user_id, scenario) WHERE blind;
