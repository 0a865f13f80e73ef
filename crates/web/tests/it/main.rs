//! Integration tests of the web app: each test spawns the real app on port
//! 0 against its own fresh database and talks HTTP to it.

mod accounts;
mod api;
mod assessment;
mod browser;
mod coach;
mod harness;
mod pages;
mod results;
mod rules;

pub use harness::{Client, TestApp};
