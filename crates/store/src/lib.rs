//! pmcoach's persistence: one [`Store`] trait with two typed backends,
//! [`SqliteStore`] (embedded, the default) and [`PgStore`] (for several app
//! servers sharing one database). Both run the same SQL, written once in
//! `backend.rs`, with their own migrations under `migrations/`.
//!
//! The backend is picked once, at start, from the URL scheme: see [`open`].

mod backend;
pub mod backup;
mod error;
pub mod growth;
mod migrate;
pub mod model;
pub mod notifications;
pub mod org;
pub mod scenarios;
pub mod stakeholders;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use pmcoach_core::context::RoleContext;
use pmcoach_core::ids::{Email, SkillId};

pub use backend::{PgStore, SqliteStore};
pub use backup::BackupStore;
pub use error::StoreError;
pub use growth::{DueCheckIn, DueReassessment, GrowthStore};
pub use model::*;
pub use notifications::{
    ClaimedEmail, EmailState, NewNotification, Notification, NotificationId, NotificationKind, NotificationStore,
    WaitingRaters,
};
pub use org::{BlindScore, OrgStore};
pub use scenarios::{AttemptMode, NewAttempt, ScenarioStore, StoredAttempt};
pub use stakeholders::{OverdueOneOnOne, StakeholderStore};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything pmcoach keeps. Every method is one transaction. Each area
/// after assessments has a trait of its own in its own module (growth plans,
/// stakeholders, notifications, scenarios, organisation-wide reads), so that areas do not edit each other's
/// code; bring the area's trait into scope to call its methods.
#[async_trait]
pub trait Store:
    GrowthStore
    + StakeholderStore
    + NotificationStore
    + ScenarioStore
    + OrgStore
    + BackupStore
    + Send
    + Sync
    + std::fmt::Debug
{
    /// "sqlite" or "postgres", for logs and the health check.
    fn backend(&self) -> &'static str;

    /// Answers when the database is reachable.
    async fn ping(&self) -> Result<()>;

    // ---- organisations and people

    /// Whether anybody has signed up yet (no one: the first run shows /setup).
    async fn has_users(&self) -> Result<bool>;
    /// Creates the organisation and its first admin in one transaction; fails
    /// with [`StoreError::Conflict`] once any user exists.
    async fn create_organisation(&self, name: &str, admin: &NewUser) -> Result<(Organisation, User)>;
    async fn organisation(&self, id: OrgId) -> Result<Organisation>;
    /// Sets how many raters of a group must answer before the group is shown
    /// (never below 2). Cycles keep the threshold they were opened with.
    async fn set_anonymity_threshold(&self, org: OrgId, threshold: i64) -> Result<()>;
    /// The oldest organisation: the one a single-organisation install has.
    async fn first_organisation(&self) -> Result<Option<Organisation>>;
    async fn create_user(&self, org: OrgId, user: &NewUser, role: OrgRole, manager: Option<UserId>) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<User>;
    /// The user and their password hash, for signing in.
    async fn user_with_password(&self, email: &Email) -> Result<Option<(User, String)>>;
    async fn members(&self, org: OrgId) -> Result<Vec<User>>;
    async fn reports(&self, manager: UserId) -> Result<Vec<User>>;
    async fn set_role(&self, user: UserId, role: OrgRole) -> Result<()>;
    /// Sets or clears a reporting line; refuses cycles.
    async fn set_manager(&self, user: UserId, manager: Option<UserId>) -> Result<()>;
    /// Sets a new password hash and signs out every session signed in before now.
    async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()>;

    // ---- sessions

    async fn session_create(&self, record: &SessionRecord) -> Result<()>;
    async fn session_save(&self, record: &SessionRecord) -> Result<()>;
    /// The live session with this id, with its person, their unread count
    /// and the data version, in one query.
    async fn session_load(&self, id: &str, now: Millis) -> Result<Option<LoadedSession>>;
    async fn session_delete(&self, id: &str) -> Result<()>;
    /// Deletes every session that expired before `now`; returns how many.
    async fn sessions_purge(&self, now: Millis) -> Result<u64>;
    /// The data version now (see [`DataVersion`]).
    async fn data_version(&self) -> Result<DataVersion>;

    // ---- API tokens (stored hashed)

    async fn create_api_token(&self, user: UserId, name: &str, token_hash: &str) -> Result<ApiToken>;
    async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>>;
    /// Revokes one of the user's own tokens; false when there is none to revoke.
    async fn revoke_api_token(&self, user: UserId, token: i64) -> Result<bool>;
    /// The owner of a live token, marking it used (to the minute: a token
    /// used again within a minute is not written again).
    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>>;

    // ---- invitations (stored hashed)

    #[allow(clippy::too_many_arguments)]
    async fn create_invitation(
        &self,
        org: OrgId,
        email: &Email,
        role: OrgRole,
        manager: Option<UserId>,
        token_hash: &str,
        created_by: UserId,
        expires_at: Millis,
    ) -> Result<Invitation>;
    async fn invitation_by_token(&self, token_hash: &str) -> Result<Option<Invitation>>;
    async fn invitations(&self, org: OrgId) -> Result<Vec<Invitation>>;
    /// Creates the account and marks the invitation used, atomically; a used
    /// or expired invitation fails with [`StoreError::Gone`].
    async fn accept_invitation(&self, invitation: i64, user: &NewUser, now: Millis) -> Result<User>;

    // ---- role contexts (history kept; the latest is current)

    async fn save_role_context(&self, user: UserId, context: &RoleContext) -> Result<()>;
    async fn role_context(&self, user: UserId) -> Result<Option<RoleContext>>;

    // ---- assessment cycles (frozen when opened; at most one open per person)

    /// Opens a cycle for `user` with what was frozen into it: its skills and
    /// threshold (`cycle`, which must be open) and the role context they came
    /// from. A second open cycle fails with [`StoreError::Conflict`].
    async fn open_cycle(&self, user: UserId, cycle: &Cycle, context: &RoleContext, now: Millis) -> Result<CycleId>;
    async fn cycle(&self, id: CycleId) -> Result<StoredCycle>;
    /// The person's cycles, oldest first (the order history is drawn in).
    async fn cycles(&self, user: UserId) -> Result<Vec<StoredCycle>>;
    async fn open_cycle_of(&self, user: UserId) -> Result<Option<StoredCycle>>;
    /// Closes an open cycle for good: from then on it takes no self rating,
    /// invitation, answer or submission. Closing it again fails with
    /// [`StoreError::Gone`].
    async fn close_cycle(&self, id: CycleId, now: Millis) -> Result<StoredCycle>;

    // ---- self-assessment (saved as you go)

    /// Saves (inserts or replaces) the given self ratings; skills not given
    /// keep what was saved before. Refuses skills outside the cycle
    /// ([`StoreError::Conflict`]) and a closed cycle ([`StoreError::Gone`]).
    async fn save_self_ratings(
        &self,
        cycle: CycleId,
        ratings: &BTreeMap<SkillId, SelfRating>,
        now: Millis,
    ) -> Result<()>;
    async fn self_ratings(&self, cycle: CycleId) -> Result<BTreeMap<SkillId, SelfRating>>;

    // ---- 360 invitations (the link's secret is stored as its SHA-256)

    /// Invites a rater of `group`, by e-mail or (without one) by a copied
    /// link. One invitation per e-mail address and cycle; refused on a closed
    /// cycle ([`StoreError::Gone`]).
    async fn create_rater_invite(
        &self,
        cycle: CycleId,
        group: Observer,
        email: Option<&Email>,
        token_hash: &str,
        expires_at: Millis,
        now: Millis,
    ) -> Result<RaterInvite>;
    /// The invitation a link's secret hash names, with its cycle, whether or
    /// not it is still usable (the caller tells the rater why not).
    async fn rater_invite_by_token(&self, token_hash: &str) -> Result<Option<(RaterInvite, StoredCycle)>>;
    /// A cycle's invitations for its owner: group, e-mail and whether each
    /// answered, oldest first; never any answer.
    async fn rater_invites(&self, cycle: CycleId) -> Result<Vec<InviteSummary>>;
    /// A reminder for a rater who has not answered: their invitation gets a
    /// new link secret (only its hash is stored, so the old link cannot be
    /// sent again) and the reminder is recorded. The old link stops working.
    /// Refused with [`StoreError::Gone`] once answered, expired, or the cycle closed.
    async fn renew_rater_link(&self, invite: RaterInviteId, token_hash: &str, now: Millis) -> Result<()>;
    /// Records that a reminder went out by hand (the owner pressed "remind").
    async fn mark_reminded(&self, invite: RaterInviteId, now: Millis) -> Result<()>;
    /// Claims every invitation due a reminder: with an e-mail address, not
    /// answered, not expired, in an open cycle, last reminded (or created) at
    /// or before `now - every`. Claiming stamps them reminded in the same
    /// `UPDATE … RETURNING`, so two servers never remind the same rater twice.
    async fn claim_due_reminders(&self, now: Millis, every: Millis) -> Result<Vec<DueReminder>>;

    // ---- rater answers (save and come back, then submit once)

    /// What the rater saved so far, for their link's page.
    async fn rater_draft(&self, invite: RaterInviteId) -> Result<RaterDraft>;
    /// Saves answers (each replaces the saved answer to its skill) and
    /// replaces all comments. Refused when the invitation expired or was
    /// submitted or its cycle closed ([`StoreError::Gone`]), and for skills
    /// its group is not asked about ([`StoreError::Conflict`]).
    async fn save_rater_draft(&self, invite: RaterInviteId, draft: &RaterDraft, now: Millis) -> Result<()>;
    /// Saves like [`Store::save_rater_draft`] and submits, in one transaction:
    /// afterwards the response counts and can no longer change.
    async fn submit_rater_draft(&self, invite: RaterInviteId, draft: &RaterDraft, now: Millis) -> Result<()>;

    // ---- results and completion

    /// The inputs of [`pmcoach_core::assessment::results`] for a cycle: only
    /// submitted responses, each under an opaque key, without e-mails.
    async fn cycle_answers(&self, cycle: CycleId) -> Result<CycleAnswers>;
    /// Invited and answered counts of every cycle of an organisation, for
    /// admins: no rating, no rater.
    async fn completion(&self, org: OrgId) -> Result<Vec<CycleCompletion>>;

    // ---- sharing results with the manager (private until the owner shares)

    /// Shares a closed cycle's results with the owner's manager, or stops
    /// sharing them. Refused for an open cycle ([`StoreError::Conflict`]):
    /// it has no results yet.
    async fn set_cycle_shared(&self, cycle: CycleId, shared: bool) -> Result<()>;
    /// The person's closed cycles they share with their manager, oldest first.
    async fn shared_cycles(&self, user: UserId) -> Result<Vec<CycleId>>;
}

/// Opens the store a URL names: `postgres://…` or `postgresql://…` for
/// PostgreSQL, `sqlite://PATH` or a plain path for SQLite. Runs migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Arc::new(SqliteStore::open(Path::new(path)).await?))
    }
}
