//! The records the store keeps about organisations and people.

use pmcoach_core::ids::Email;
pub use pmcoach_core::people::OrgRole;

/// Milliseconds since the Unix epoch, UTC. Stored as BIGINT on both
/// backends so that every query is the same SQL.
pub type Millis = i64;

/// The current time in [`Millis`].
pub fn now_millis() -> Millis {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Ids are BIGINT on both backends.
pub type UserId = i64;
pub type OrgId = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    pub anonymity_threshold: i64,
    pub check_in_days: i64,
}

/// A signed-up person with their membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: String,
    pub org_id: OrgId,
    pub role: OrgRole,
    pub manager_id: Option<UserId>,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == OrgRole::Admin
    }
}

/// What it takes to create an account; the password arrives already hashed.
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub password_hash: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser").field("email", &self.email).field("name", &self.name).finish_non_exhaustive()
    }
}

/// An API token as listed in settings; the secret itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

/// An invitation for a new member to join by link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub org_id: OrgId,
    pub email: Email,
    pub role: OrgRole,
    pub manager_id: Option<UserId>,
    pub created_by: UserId,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub accepted_at: Option<Millis>,
}

/// A stored session: opaque JSON data with an expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub data: String,
    pub expires_at: Millis,
}
