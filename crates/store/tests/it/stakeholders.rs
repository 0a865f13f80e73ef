//! Stakeholders stories (issue 6), on SQLite and PostgreSQL.
