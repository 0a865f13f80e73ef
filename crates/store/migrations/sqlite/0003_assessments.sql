-- Assessment cycles, self ratings and 360 feedback (issue 5).
-- A cycle's skills, threshold and role context are frozen into `frozen` as
-- JSON when it opens. A person has at most one open cycle. Rater invitations
-- keep only the SHA-256 of their link's secret. Answers and comments carry no
-- timestamps of their own, so nothing stored orders them by who answered when.
CREATE TABLE cycles (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    frozen TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    CHECK ((state = 'open' AND closed_at IS NULL) OR (state = 'closed' AND closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX cycles_one_open_per_user ON cycles (user_id) WHERE state = 'open';
CREATE INDEX cycles_user ON cycles (user_id, opened_at);

CREATE TABLE self_ratings (
    cycle_id BIGINT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    evidence TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, skill)
);

CREATE TABLE rater_invites (
    id INTEGER PRIMARY KEY,
    cycle_id BIGINT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    rater_group TEXT NOT NULL,
    email TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answered_at BIGINT,
    last_reminded_at BIGINT,
    UNIQUE (cycle_id, email)
);
CREATE INDEX rater_invites_cycle ON rater_invites (cycle_id);
CREATE INDEX rater_invites_unanswered ON rater_invites (expires_at) WHERE answered_at IS NULL;

CREATE TABLE rater_answers (
    invite_id BIGINT NOT NULL REFERENCES rater_invites (id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    level BIGINT CHECK (level IS NULL OR level BETWEEN 1 AND 5),
    PRIMARY KEY (invite_id, skill)
);

CREATE TABLE rater_comments (
    id INTEGER PRIMARY KEY,
    invite_id BIGINT NOT NULL REFERENCES rater_invites (id) ON DELETE CASCADE,
    skill TEXT,
    body TEXT NOT NULL
);
CREATE INDEX rater_comments_invite ON rater_comments (invite_id);
