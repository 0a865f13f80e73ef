//! In-app notifications and the e-mails that go with them (issue 6,
//! reminders).
//!
//! A notification is created at most once per `dedupe_key` (the reminder
//! and its due period), so servers that look for due reminders at the same
//! moment create it once between them. Its e-mail, when there is one, is
//! sent by whichever server claims it first: [`NotificationStore::claim_emails`]
//! moves it from `pending` to `sending` in one `UPDATE … RETURNING`.

use async_trait::async_trait;
use pmcoach_core::ids::Email;

use crate::backend::{PgStore, SqliteStore};
use crate::model::{Millis, UserId};
use crate::{Result, StoreError};

pub type NotificationId = i64;

/// What a notification reminds of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotificationKind {
    /// A growth-plan check-in is due.
    CheckIn,
    /// A 1:1 with a stakeholder is overdue.
    OneOnOne,
    /// Raters have not answered an assessment invitation yet.
    Raters,
    /// The last assessment is a quarter old.
    Reassessment,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 4] = [
        NotificationKind::CheckIn,
        NotificationKind::OneOnOne,
        NotificationKind::Raters,
        NotificationKind::Reassessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::CheckIn => "check-in",
            NotificationKind::OneOnOne => "one-on-one",
            NotificationKind::Raters => "raters",
            NotificationKind::Reassessment => "reassessment",
        }
    }

    pub fn parse(text: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Whether a notification also goes out by e-mail, and how far it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailState {
    /// In-app only.
    None,
    /// Waiting for a server to claim and send it.
    Pending,
    /// Claimed by a server, being sent.
    Sending,
    Sent,
    /// Gave up after repeated failures.
    Failed,
}

impl EmailState {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailState::None => "none",
            EmailState::Pending => "pending",
            EmailState::Sending => "sending",
            EmailState::Sent => "sent",
            EmailState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<EmailState> {
        Ok(match text {
            "none" => EmailState::None,
            "pending" => EmailState::Pending,
            "sending" => EmailState::Sending,
            "sent" => EmailState::Sent,
            "failed" => EmailState::Failed,
            other => return Err(StoreError::Corrupt(format!("unknown e-mail state {other:?}"))),
        })
    }
}

/// A notification to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub user_id: UserId,
    pub kind: NotificationKind,
    /// Names the reminder and its due period; a second notification with
    /// the same key is not created.
    pub dedupe_key: String,
    pub title: String,
    pub body: String,
    /// Where the notification leads, a path inside pmcoach ("/plan").
    pub link: String,
    /// Also send it by e-mail (if the person has not turned e-mail off).
    pub email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: Millis,
    pub read_at: Option<Millis>,
    pub email_state: EmailState,
}

/// A notification claimed for e-mailing, with its recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedEmail {
    pub notification: Notification,
    pub to: Email,
    pub name: String,
    /// How many times it has been claimed, this claim included.
    pub attempts: i64,
}

#[async_trait]
pub trait NotificationStore {
    /// Creates the notification unless one with its key exists; returns it
    /// when this call created it. Its e-mail is pending only when asked for
    /// and the person has e-mail reminders on.
    async fn create_notification(&self, new: &NewNotification, now: Millis) -> Result<Option<Notification>>;
    /// The person's notifications, newest first.
    async fn notifications(&self, user: UserId, limit: i64) -> Result<Vec<Notification>>;
    async fn unread_notifications(&self, user: UserId) -> Result<i64>;
    /// Marks one of the person's own notifications read and returns it;
    /// [`StoreError::NotFound`] for anybody else's.
    async fn read_notification(&self, user: UserId, id: NotificationId, now: Millis) -> Result<Notification>;
    /// Marks all the person's notifications read; returns how many were unread.
    async fn read_all_notifications(&self, user: UserId, now: Millis) -> Result<u64>;
    /// Claims up to `limit` e-mails to send: pending ones, and ones claimed
    /// before `stale_before` by a server that never reported back (at most
    /// `max_attempts` claims each). One `UPDATE … RETURNING`, so two servers
    /// never claim the same e-mail.
    async fn claim_emails(
        &self,
        now: Millis,
        stale_before: Millis,
        max_attempts: i64,
        limit: i64,
    ) -> Result<Vec<ClaimedEmail>>;
    /// Records how a claimed e-mail went: sent, or failed for good
    /// (`retry: false`), or back to pending to try again (`retry: true`).
    async fn finish_email(&self, id: NotificationId, sent: bool, retry: bool) -> Result<()>;
    async fn set_email_reminders(&self, user: UserId, on: bool) -> Result<()>;
    async fn email_reminders(&self, user: UserId) -> Result<bool>;
    /// Open cycles with raters who were invited `waited` or longer before
    /// `now` and have neither answered nor run out of time: for reminding
    /// the person assessed (never the raters' names or addresses).
    async fn waiting_raters(&self, now: Millis, waited: Millis) -> Result<Vec<WaitingRaters>>;
}

/// An open cycle whose owner is still waiting for some raters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingRaters {
    pub user_id: UserId,
    pub cycle_id: i64,
    /// Raters invited at least the waiting time ago who have not answered.
    pub waiting: i64,
    /// When the oldest of them was invited.
    pub oldest_invited_at: Millis,
}

type NotificationRow = (i64, i64, String, String, String, String, i64, Option<i64>, String);

/// The columns of a [`NotificationRow`].
macro_rules! notification_columns {
    () => {
        "id, user_id, kind, title, body, link, created_at, read_at, email_state"
    };
}

fn notification_from(row: NotificationRow) -> Result<Notification> {
    let (id, user_id, kind, title, body, link, created_at, read_at, email_state) = row;
    Ok(Notification {
        id,
        user_id,
        kind: NotificationKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown notification kind {kind:?}")))?,
        title,
        body,
        link,
        created_at,
        read_at,
        email_state: EmailState::parse(&email_state)?,
    })
}

macro_rules! notification_backend {
    ($store:ident, $db:ty) => {
        #[async_trait]
        impl NotificationStore for $store {
            #[tracing::instrument(skip(self, new), fields(key = %new.dedupe_key))]
            async fn create_notification(&self, new: &NewNotification, now: Millis) -> Result<Option<Notification>> {
                let row: Option<NotificationRow> = sqlx::query_as(concat!(
                    "INSERT INTO notifications (user_id, kind, dedupe_key, title, body, link, created_at, email_state) ",
                    "SELECT id, $2, $3, $4, $5, $6, $7, ",
                    "CASE WHEN $8 AND email_reminders THEN 'pending' ELSE 'none' END FROM users WHERE id = $1 ",
                    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING ",
                    notification_columns!()
                ))
                .bind(new.user_id)
                .bind(new.kind.as_str())
                .bind(&new.dedupe_key)
                .bind(&new.title)
                .bind(&new.body)
                .bind(&new.link)
                .bind(now)
                .bind(new.email)
                .fetch_optional(self.writer())
                .await?;
                row.map(notification_from).transpose()
            }

            async fn notifications(&self, user: UserId, limit: i64) -> Result<Vec<Notification>> {
                let rows: Vec<NotificationRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    notification_columns!(),
                    " FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
                ))
                .bind(user)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(notification_from).collect()
            }

            async fn unread_notifications(&self, user: UserId) -> Result<i64> {
                let (count,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
                        .bind(user)
                        .fetch_one(&self.pool)
                        .await?;
                Ok(count)
            }

            async fn read_notification(&self, user: UserId, id: NotificationId, now: Millis) -> Result<Notification> {
                let row: Option<NotificationRow> = sqlx::query_as(concat!(
                    "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING ",
                    notification_columns!()
                ))
                .bind(id)
                .bind(user)
                .bind(now)
                .fetch_optional(self.writer())
                .await?;
                notification_from(row.ok_or(StoreError::NotFound)?)
            }

            async fn read_all_notifications(&self, user: UserId, now: Millis) -> Result<u64> {
                let done = sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
                    .bind(user)
                    .bind(now)
                    .execute(self.writer())
                    .await?;
                Ok(done.rows_affected())
            }

            #[tracing::instrument(skip(self))]
            async fn claim_emails(
                &self,
                now: Millis,
                stale_before: Millis,
                max_attempts: i64,
                limit: i64,
            ) -> Result<Vec<ClaimedEmail>> {
                let mut tx = self.begin_write().await?;
                // The outer WHERE repeats the state test: on PostgreSQL a
                // concurrent claim that waited for a row lock re-checks it
                // against the committed row and skips what the other took.
                let claimed: Vec<(i64, i64)> = sqlx::query_as(
                    "UPDATE notifications SET email_state = 'sending', email_claimed_at = $1, \
                     email_attempts = email_attempts + 1 \
                     WHERE id IN (SELECT id FROM notifications \
                         WHERE (email_state = 'pending' OR (email_state = 'sending' AND email_claimed_at < $2)) \
                         AND email_attempts < $3 ORDER BY id LIMIT $4) \
                     AND (email_state = 'pending' OR (email_state = 'sending' AND email_claimed_at < $2)) \
                     AND email_attempts < $3 \
                     RETURNING id, email_attempts",
                )
                .bind(now)
                .bind(stale_before)
                .bind(max_attempts)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                let mut emails = Vec::with_capacity(claimed.len());
                for (id, attempts) in claimed {
                    let row: NotificationRow = sqlx::query_as(concat!(
                        "SELECT ",
                        notification_columns!(),
                        " FROM notifications WHERE id = $1"
                    ))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let notification = notification_from(row)?;
                    let (email, name): (String, String) =
                        sqlx::query_as("SELECT email, name FROM users WHERE id = $1")
                            .bind(notification.user_id)
                            .fetch_one(&mut *tx)
                            .await?;
                    let to = Email::parse(&email).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    emails.push(ClaimedEmail { notification, to, name, attempts });
                }
                tx.commit().await?;
                Ok(emails)
            }

            async fn finish_email(&self, id: NotificationId, sent: bool, retry: bool) -> Result<()> {
                let state = match (sent, retry) {
                    (true, _) => EmailState::Sent,
                    (false, true) => EmailState::Pending,
                    (false, false) => EmailState::Failed,
                };
                sqlx::query("UPDATE notifications SET email_state = $2 WHERE id = $1 AND email_state = 'sending'")
                    .bind(id)
                    .bind(state.as_str())
                    .execute(self.writer())
                    .await?;
                Ok(())
            }

            async fn set_email_reminders(&self, user: UserId, on: bool) -> Result<()> {
                let done = sqlx::query("UPDATE users SET email_reminders = $2 WHERE id = $1")
                    .bind(user)
                    .bind(on)
                    .execute(self.writer())
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
            }

            async fn email_reminders(&self, user: UserId) -> Result<bool> {
                let row: Option<(bool,)> = sqlx::query_as("SELECT email_reminders FROM users WHERE id = $1")
                    .bind(user)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|(on,)| on).ok_or(StoreError::NotFound)
            }

            async fn waiting_raters(&self, now: Millis, waited: Millis) -> Result<Vec<WaitingRaters>> {
                let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
                    "SELECT c.user_id, c.id, COUNT(*), MIN(i.created_at) \
                     FROM rater_invites i JOIN cycles c ON c.id = i.cycle_id \
                     WHERE c.state = 'open' AND i.answered_at IS NULL AND i.expires_at > $1 AND i.created_at <= $2 \
                     GROUP BY c.user_id, c.id ORDER BY c.id",
                )
                .bind(now)
                .bind(now.saturating_sub(waited))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(user_id, cycle_id, waiting, oldest_invited_at)| WaitingRaters {
                        user_id,
                        cycle_id,
                        waiting,
                        oldest_invited_at,
                    })
                    .collect())
            }
        }
    };
}

notification_backend!(SqliteStore, sqlx::Sqlite);
notification_backend!(PgStore, sqlx::Postgres);
