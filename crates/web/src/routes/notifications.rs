//! In-app notifications (issue 6, reminders): the list, opening one (which
//! marks it read and goes where it points), and marking all read.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use pmcoach_store::{Notification, NotificationKind, StoreError, now_millis};
use tower_sessions::Session;

use crate::access::{Access, CurrentUser, Routes};
use crate::error::{AppError, AppResult};
use crate::page::{Chrome, Nav, render};
use crate::routes::assessment::date;
use crate::state::AppState;

/// The most a page lists; older ones stay stored but out of sight.
const SHOWN: i64 = 100;

pub fn routes(routes: Routes) -> Routes {
    routes
        .get("/notifications", Access::Member, page)
        .post("/notifications/{notification}/open", Access::Member, open)
        .post("/notifications/read", Access::Member, read_all)
}

/// One notification as the page lists it.
pub struct Row {
    pub id: i64,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub when: String,
    pub unread: bool,
}

impl From<Notification> for Row {
    fn from(note: Notification) -> Self {
        let kind = match note.kind {
            NotificationKind::CheckIn => "Check-in",
            NotificationKind::OneOnOne => "1:1",
            NotificationKind::Raters => "Raters",
            NotificationKind::Reassessment => "Reassessment",
        };
        Row {
            id: note.id,
            kind,
            title: note.title,
            body: note.body,
            when: date(note.created_at),
            unread: note.read_at.is_none(),
        }
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct Page {
    chrome: Chrome,
    rows: Vec<Row>,
    unread: usize,
    email_on: bool,
}

async fn page(State(state): State<AppState>, session: Session, CurrentUser(user): CurrentUser) -> AppResult<Response> {
    let rows: Vec<Row> = state.store.notifications(user.id, SHOWN).await?.into_iter().map(Row::from).collect();
    let unread = rows.iter().filter(|row| row.unread).count();
    let email_on = state.config.email.enabled && state.store.email_reminders(user.id).await?;
    let chrome = Chrome::new(&session, Some(&user), Nav::Notifications).await?;
    render(&Page { chrome, rows, unread, email_on })
}

/// Marks the notification read and follows its link.
async fn open(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    match state.store.read_notification(user.id, id, now_millis()).await {
        // Links are written by pmcoach, but only ever follow a local path.
        Ok(note) if note.link.starts_with('/') && !note.link.starts_with("//") => {
            Ok(Redirect::to(&note.link).into_response())
        }
        Ok(_) => Ok(Redirect::to("/notifications").into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

async fn read_all(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> AppResult<Response> {
    state.store.read_all_notifications(user.id, now_millis()).await?;
    Ok(Redirect::to("/notifications").into_response())
}
