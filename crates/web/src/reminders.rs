//! The reminders task: every few minutes it turns what is due — growth-plan
//! check-ins, overdue 1:1s, raters who have not answered, reassessments —
//! into in-app notifications, and, when e-mail is configured, sends them.
//!
//! Every server of an installation runs it. That is safe: a notification is
//! keyed by its reminder and due period, so it is created once however many
//! servers find it due; its e-mail is sent by the one server that claims it
//! (`UPDATE … RETURNING`); and a rater's reminder link is claimed the same
//! way. [`Reminders::run_once`] is one pass, for tests and for the loop.

use std::sync::Arc;
use std::time::Duration;

use pmcoach_store::{Millis, NewNotification, NotificationKind, Store, StoreError};

use crate::auth::secret;
use crate::config::Config;
use crate::mail::Mailer;
use crate::routes::assessment::date;

const DAY: Millis = 86_400_000;
/// A claimed e-mail whose server went quiet this long is claimed again.
const STALE_CLAIM: Millis = 10 * 60_000;
/// Claims per e-mail before giving up.
const MAX_ATTEMPTS: i64 = 3;
const EMAIL_BATCH: i64 = 50;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Notifications this pass created (not the ones another server made first).
    pub created: usize,
    /// E-mails sent: notifications and rater reminders.
    pub emailed: usize,
    /// E-mails that failed (each is retried a few times).
    pub failed: usize,
    /// Sources that could not be read this pass (logged; tried again next pass).
    pub errors: usize,
}

#[derive(Debug, Clone)]
pub struct Reminders {
    store: Arc<dyn Store>,
    config: Arc<Config>,
    mailer: Option<Mailer>,
}

impl Reminders {
    pub fn new(store: Arc<dyn Store>, config: Arc<Config>) -> anyhow::Result<Reminders> {
        let mailer = if config.email.enabled { Some(Mailer::new(&config.email)?) } else { None };
        Ok(Reminders { store, config, mailer })
    }

    /// Runs a pass now, then one every `[reminders] every_seconds`, forever.
    pub async fn run(self) {
        let mut interval = tokio::time::interval(Duration::from_secs(self.config.reminders.every_seconds));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match self.run_once(pmcoach_store::now_millis()).await {
                Ok(report) if report != RunReport::default() => tracing::info!(?report, "reminders"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "reminders pass failed"),
            }
        }
    }

    /// One pass at time `now`: finds what is due, notifies, sends e-mail.
    pub async fn run_once(&self, now: Millis) -> anyhow::Result<RunReport> {
        let mut report = RunReport::default();
        let mut due = Vec::new();
        self.gather(now, &mut due, &mut report).await;
        let email = self.mailer.is_some();
        for mut notification in due {
            notification.email = email;
            if self.store.create_notification(&notification, now).await?.is_some() {
                report.created += 1;
            }
        }
        if let Some(mailer) = &self.mailer {
            self.send_notifications(mailer, now, &mut report).await?;
            self.remind_raters(mailer, now, &mut report).await?;
        }
        Ok(report)
    }

    /// Everything due now, as notifications. A source that fails is logged
    /// and skipped so that the others still remind.
    async fn gather(&self, now: Millis, due: &mut Vec<NewNotification>, report: &mut RunReport) {
        let reminders = &self.config.reminders;
        match self.store.due_check_ins(now).await {
            Ok(found) => due.extend(found.into_iter().map(|c| {
                NewNotification {
                    user_id: c.user_id,
                    kind: NotificationKind::CheckIn,
                    dedupe_key: format!("check-in:{}:{}", c.user_id, c.due_at),
                    title: "Your growth-plan check-in is due".to_owned(),
                    body: "Take ten minutes: what did you practise since the last check-in, what changed, and what \
                       will you try next? A plan that is looked at gets practised."
                        .to_owned(),
                    link: "/plan".to_owned(),
                    email: false,
                }
            })),
            Err(error) => skip(report, "check-ins", &error),
        }
        match self.store.due_reassessments(now, reminders.reassess_days * DAY).await {
            Ok(found) => due.extend(found.into_iter().map(|r| NewNotification {
                user_id: r.user_id,
                kind: NotificationKind::Reassessment,
                dedupe_key: format!("reassessment:{}:{}", r.user_id, r.due_at),
                title: "Time to reassess".to_owned(),
                body: format!(
                    "Your last assessment is {} days old. A fresh self-assessment and a few raters show whether \
                     your practice is moving the skills you chose.",
                    reminders.reassess_days
                ),
                link: "/assessment".to_owned(),
                email: false,
            })),
            Err(error) => skip(report, "reassessments", &error),
        }
        match self.store.overdue_one_on_ones(now).await {
            Ok(found) => due.extend(found.into_iter().map(|o| NewNotification {
                user_id: o.user_id,
                kind: NotificationKind::OneOnOne,
                dedupe_key: format!("one-on-one:{}:{}", o.stakeholder_id, o.due_at),
                title: format!("Your 1:1 with {} is overdue", o.stakeholder_name),
                body: format!(
                    "It was due on {}. Relationships that only hear from you when you need something grow \
                     cold: book a short catch-up and ask what is on their mind.",
                    date(o.due_at)
                ),
                link: format!("/stakeholders/{}", o.stakeholder_id),
                email: false,
            })),
            Err(error) => skip(report, "1:1s", &error),
        }
        let wait = reminders.rater_wait_days * DAY;
        match self.store.waiting_raters(now, wait).await {
            Ok(found) => due.extend(found.into_iter().map(|w| {
                // One reminder per waiting period: the same key all week.
                let period = (now - w.oldest_invited_at) / wait;
                let raters =
                    if w.waiting == 1 { "1 rater has".to_owned() } else { format!("{} raters have", w.waiting) };
                NewNotification {
                    user_id: w.user_id,
                    kind: NotificationKind::Raters,
                    dedupe_key: format!("raters:{}:{period}", w.cycle_id),
                    title: format!("{raters} not answered yet"),
                    body: format!(
                        "Some invitations to your assessment have waited more than {} days. A short personal \
                         nudge works better than another e-mail; you can also send a fresh link.",
                        reminders.rater_wait_days
                    ),
                    link: "/assessment/raters".to_owned(),
                    email: false,
                }
            })),
            Err(error) => skip(report, "raters", &error),
        }
    }

    async fn send_notifications(&self, mailer: &Mailer, now: Millis, report: &mut RunReport) -> anyhow::Result<()> {
        let base = self.public_url();
        loop {
            let claimed = self.store.claim_emails(now, now - STALE_CLAIM, MAX_ATTEMPTS, EMAIL_BATCH).await?;
            if claimed.is_empty() {
                return Ok(());
            }
            for email in claimed {
                let note = &email.notification;
                let body = format!(
                    "Hello {},\n\n{}\n\n{}{}\n\n-- \npmcoach. You get this because e-mail reminders are on; turn \
                     them off under Settings: {}/settings\n",
                    email.name, note.body, base, note.link, base
                );
                let outcome = mailer.send(&email.to, &email.name, &note.title, body).await;
                let sent = outcome.is_ok();
                let retry = match &outcome {
                    Ok(()) => false,
                    Err(error) => {
                        tracing::warn!(notification = note.id, %error, "reminder e-mail not sent");
                        !error.permanent && email.attempts < MAX_ATTEMPTS
                    }
                };
                if sent {
                    report.emailed += 1
                } else {
                    report.failed += 1
                }
                self.store.finish_email(note.id, sent, retry).await?;
            }
        }
    }

    /// Raters with an e-mail address who have not answered get a fresh link
    /// (the old one stops: only hashes are stored, so it cannot be resent).
    async fn remind_raters(&self, mailer: &Mailer, now: Millis, report: &mut RunReport) -> anyhow::Result<()> {
        let wait = self.config.reminders.rater_wait_days * DAY;
        for due in self.store.claim_due_reminders(now, wait).await? {
            let token = secret::generate("")?;
            match self.store.renew_rater_link(due.invite_id, &secret::digest(&token), now).await {
                Ok(()) => {}
                // Answered or closed since the claim: nothing to remind.
                Err(StoreError::Gone(_)) => continue,
                Err(error) => return Err(error.into()),
            }
            let body = format!(
                "Hello,\n\n{name} asked for your feedback as one of the people they work with ({group}), and \
                 it has not arrived yet. It takes about ten minutes; your answers are combined with others' \
                 and never shown as yours.\n\n{base}/rate/{token}\n\nThis link replaces the one you had and \
                 works until {until}.\n\n-- \npmcoach\n",
                name = due.subject_name,
                group = due.group.label(),
                base = self.public_url(),
                until = date(due.expires_at),
            );
            let subject = format!("A reminder: {} would value your feedback", due.subject_name);
            match mailer.send(&due.email, "", &subject, body).await {
                Ok(()) => report.emailed += 1,
                Err(error) => {
                    tracing::warn!(invite = due.invite_id, %error, "rater reminder not sent");
                    report.failed += 1;
                }
            }
        }
        Ok(())
    }

    fn public_url(&self) -> &str {
        self.config.public_url.as_deref().unwrap_or("http://127.0.0.1:8080").trim_end_matches('/')
    }
}

fn skip(report: &mut RunReport, source: &str, error: &StoreError) {
    tracing::warn!(%error, source, "could not look for due reminders");
    report.errors += 1;
}
