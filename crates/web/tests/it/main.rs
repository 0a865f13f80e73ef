//! Integration tests of the web app: each test spawns the real app on port
//! 0 against its own fresh database and talks HTTP to it.

mod accounts;
mod api;
mod assessment;
mod bad_input;
mod browser;
mod browser_growth;
mod browser_scenarios;
mod browser_stakeholders;
mod coach;
mod growth;
mod harness;
mod notifications;
mod page_cache;
mod pages;
mod results;
mod rules;
mod scenarios;
mod security;
mod smtp;
mod stakeholders;

pub use harness::{Client, TestApp};
