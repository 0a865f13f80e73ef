//! Integration tests of pmcoach-comms.
