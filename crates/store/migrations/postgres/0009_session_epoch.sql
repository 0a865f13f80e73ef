-- Changing a password signs out every other session: sessions signed in
-- before this moment are no longer accepted (issue 8).
ALTER TABLE users ADD COLUMN sessions_valid_after BIGINT NOT NULL DEFAULT 0;
