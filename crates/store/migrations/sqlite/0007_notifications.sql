-- In-app notifications and the e-mails that go with them (issue 6, reminders).
-- `dedupe_key` names the reminder and its due period ("check-in:12:1732…"),
-- so that a reminder is created once however many servers look for it at
-- the same time. An e-mail goes out only after a server claims it by moving
-- `email_state` from 'pending' to 'sending' in one UPDATE … RETURNING, and a
-- claim older than a few minutes (a server died mid-send) may be taken again.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    email_state TEXT NOT NULL CHECK (email_state IN ('none', 'pending', 'sending', 'sent', 'failed')),
    email_claimed_at BIGINT,
    email_attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_email ON notifications (email_state, id) WHERE email_state IN ('pending', 'sending');

-- People choose whether reminders also reach them by e-mail (when the server
-- has SMTP configured at all).
ALTER TABLE users ADD COLUMN email_reminders BOOLEAN NOT NULL DEFAULT TRUE;
