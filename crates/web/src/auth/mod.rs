//! Accounts and sessions: password hashing, secrets, the session store and
//! CSRF tokens.

pub mod csrf;
pub mod password;
pub mod secret;
pub mod session_store;
