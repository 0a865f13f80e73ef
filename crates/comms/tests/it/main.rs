//! Integration tests of pmcoach-comms: the labelled corpus and the public API.

mod api;
mod corpus;
