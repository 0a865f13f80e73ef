-- The stakeholder map, 1:1 cadence and meeting notes (issue 6, module M6).
-- A stakeholder belongs to one person and is seen by nobody else. Lists
-- (goals, pressures, needs) are kept as text, one entry per line, as typed.
-- `function_id` is the id of a function template (content/stakeholders/).
-- Meeting days are stored as the Millis of midnight UTC that day, so that
-- the next 1:1 is due at last_met_at + cadence_days days, or, before any
-- meeting, at created_at + cadence_days days.
CREATE TABLE stakeholders (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    function_id TEXT NOT NULL,
    title TEXT,
    goals TEXT NOT NULL,
    pressures TEXT NOT NULL,
    needs TEXT NOT NULL,
    channel TEXT NOT NULL,
    style TEXT NOT NULL,
    influence BIGINT NOT NULL CHECK (influence BETWEEN 1 AND 5),
    interest BIGINT NOT NULL CHECK (interest BETWEEN 1 AND 5),
    health BIGINT NOT NULL CHECK (health BETWEEN 1 AND 5),
    cadence_days BIGINT CHECK (cadence_days BETWEEN 1 AND 365),
    last_met_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    archived_at BIGINT
);
CREATE INDEX stakeholders_user ON stakeholders (user_id, name);
CREATE INDEX stakeholders_due ON stakeholders (cadence_days) WHERE archived_at IS NULL AND cadence_days IS NOT NULL;

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    stakeholder_id BIGINT NOT NULL REFERENCES stakeholders (id) ON DELETE CASCADE,
    met_at BIGINT NOT NULL,
    notes TEXT NOT NULL,
    decisions TEXT NOT NULL,
    follow_ups TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_stakeholder ON meetings (stakeholder_id, met_at);
