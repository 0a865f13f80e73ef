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
    /// Sessions signed in before this moment are refused: set when the
    /// password changes, so that a stolen session dies with the old password.
    pub sessions_valid_after: Millis,
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

/// A stored session: opaque JSON data with an expiry, and the person it is
/// signed in as (kept beside the data so one query finds both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub data: String,
    pub expires_at: Millis,
    pub user_id: Option<UserId>,
}

/// A number every write to the data moves (see migration 0010): what a
/// server read at one version is still true while the version stays.
/// Sessions and an API token's last use do not move it.
pub type DataVersion = i64;

/// What a page request needs before anything else, read in one query: the
/// session, its person (none when signed out or gone), their unread
/// notifications and the data version at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedSession {
    pub record: SessionRecord,
    pub user: Option<User>,
    pub unread: i64,
    pub data_version: DataVersion,
}

// ---- assessments (issue 5)

pub use pmcoach_core::assessment::{Answer, Comment, Cycle, CycleState, RaterResponse, SelfRating};
pub use pmcoach_core::framework::model::Observer;

/// Ids of cycles and rater invitations are BIGINT on both backends.
pub type CycleId = i64;
pub type RaterInviteId = i64;

/// An assessment cycle as stored: whose it is, what was frozen into it when
/// it opened (skills, threshold, role context) and when it opened and closed.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCycle {
    pub id: CycleId,
    pub user_id: UserId,
    /// The frozen cycle; its state is the stored one.
    pub cycle: Cycle,
    /// The role context the targets were computed from.
    pub context: pmcoach_core::context::RoleContext,
    pub opened_at: Millis,
    pub closed_at: Option<Millis>,
}

impl StoredCycle {
    pub fn is_open(&self) -> bool {
        self.cycle.state() == CycleState::Open
    }
}

/// A rater invitation as its link finds it. The secret itself is never
/// stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaterInvite {
    pub id: RaterInviteId,
    pub cycle_id: CycleId,
    pub group: Observer,
    /// None when the person copied the link instead of having it e-mailed.
    pub email: Option<Email>,
    pub created_at: Millis,
    pub expires_at: Millis,
    /// When the rater submitted; until then they may save and come back.
    pub answered_at: Option<Millis>,
    pub last_reminded_at: Option<Millis>,
}

impl RaterInvite {
    pub fn is_expired(&self, now: Millis) -> bool {
        self.expires_at <= now
    }

    pub fn is_submitted(&self) -> bool {
        self.answered_at.is_some()
    }
}

/// An invitation as its cycle's owner sees it: who was asked and whether
/// they answered, never what or when they answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteSummary {
    pub id: RaterInviteId,
    pub group: Observer,
    pub email: Option<Email>,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub answered: bool,
    pub last_reminded_at: Option<Millis>,
}

impl InviteSummary {
    /// The invitation as [`pmcoach_core::assessment::progress`] counts it.
    pub fn invitation(&self) -> pmcoach_core::assessment::Invitation {
        pmcoach_core::assessment::Invitation { group: self.group, answered: self.answered }
    }
}

/// What a rater has saved so far (or submitted): an answer per skill and
/// their comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RaterDraft {
    pub answers: std::collections::BTreeMap<pmcoach_core::ids::SkillId, Answer>,
    pub comments: Vec<Comment>,
}

/// Everything [`pmcoach_core::assessment::results`] needs for one cycle:
/// the cycle, the person's self ratings and one response per *submitted*
/// invitation, keyed by an opaque [`pmcoach_core::assessment::RaterKey`].
/// No e-mail address, time or invitation id travels with the answers.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleAnswers {
    pub cycle: StoredCycle,
    pub self_ratings: std::collections::BTreeMap<pmcoach_core::ids::SkillId, SelfRating>,
    pub responses: Vec<RaterResponse>,
}

/// One cycle's line in the admins' completion view: counts only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleCompletion {
    pub cycle_id: CycleId,
    pub user_id: UserId,
    pub user_name: String,
    pub state: CycleState,
    pub opened_at: Millis,
    pub closed_at: Option<Millis>,
    pub invited: i64,
    pub answered: i64,
}

impl CycleCompletion {
    /// The counts as core's completion summary takes them.
    pub fn progress(&self) -> pmcoach_core::assessment::Progress {
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        pmcoach_core::assessment::Progress {
            invited: count(self.invited),
            answered: count(self.answered),
            groups: vec![],
        }
    }
}

/// An invitation claimed for a reminder: whom to e-mail, about whose cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub invite_id: RaterInviteId,
    pub cycle_id: CycleId,
    pub group: Observer,
    pub email: Email,
    pub expires_at: Millis,
    /// The person the feedback is for.
    pub subject_name: String,
}
