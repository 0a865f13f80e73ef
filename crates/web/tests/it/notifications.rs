//! Notifications: issue 6 integration tests over HTTP.
