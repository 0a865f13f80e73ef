//! Notifications stories (issue 6), on SQLite and PostgreSQL.
