-- Organisations, people, sessions, API tokens, invitations, role contexts.
-- Timestamps are UTC milliseconds since the Unix epoch on both backends.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    anonymity_threshold BIGINT NOT NULL DEFAULT 3 CHECK (anonymity_threshold >= 2),
    check_in_days BIGINT NOT NULL DEFAULT 14 CHECK (check_in_days >= 1),
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'manager', 'admin')),
    manager_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK (manager_id IS NULL OR manager_id <> user_id)
);
CREATE INDEX memberships_org ON memberships (org_id);
CREATE INDEX memberships_manager ON memberships (manager_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'manager', 'admin')),
    manager_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);

CREATE TABLE role_contexts (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    level TEXT NOT NULL,
    stage TEXT NOT NULL,
    industry TEXT,
    technicality TEXT NOT NULL,
    team_maturity TEXT NOT NULL,
    ambiguity TEXT NOT NULL,
    data_driven TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX role_contexts_user ON role_contexts (user_id, id);
