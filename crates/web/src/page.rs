//! What every page shows around its content: who is signed in, the
//! navigation, and the CSRF token for its forms.

use axum::response::{Html, IntoResponse, Response};
use pmcoach_store::{OrgRole, User};
use tower_sessions::Session;

use crate::auth::csrf;
use crate::error::AppResult;

/// The navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    None,
    Dashboard,
    Profile,
    Assessment,
    Growth,
    Stakeholders,
    Scenarios,
    Notifications,
    Glossary,
    Coach,
    Team,
    Settings,
    Admin,
}

impl Nav {
    pub fn key(self) -> &'static str {
        match self {
            Nav::None => "",
            Nav::Dashboard => "dashboard",
            Nav::Profile => "profile",
            Nav::Assessment => "assessment",
            Nav::Growth => "growth",
            Nav::Stakeholders => "stakeholders",
            Nav::Scenarios => "scenarios",
            Nav::Notifications => "notifications",
            Nav::Glossary => "glossary",
            Nav::Coach => "coach",
            Nav::Team => "team",
            Nav::Settings => "settings",
            Nav::Admin => "admin",
        }
    }
}

/// The signed-in person as the page header shows them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub name: String,
    pub initials: String,
    pub is_admin: bool,
}

impl Viewer {
    pub fn from_user(user: &User) -> Self {
        let initials = user.name.split_whitespace().filter_map(|word| word.chars().next()).take(2).collect::<String>();
        Viewer { name: user.name.clone(), initials: initials.to_uppercase(), is_admin: user.role == OrgRole::Admin }
    }
}

tokio::task_local! {
    /// The signed-in person's unread notifications, counted once per page
    /// request by the access middleware. A task-local rather than a
    /// parameter so that every page's header shows it without every handler
    /// having to fetch and pass it.
    pub static UNREAD: i64;
}

/// The frame around every page's content.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub viewer: Option<Viewer>,
    pub csrf: String,
    pub nav: Nav,
    /// Unread notifications, for the bell.
    pub unread: i64,
}

impl Chrome {
    pub async fn new(session: &Session, user: Option<&User>, nav: Nav) -> AppResult<Chrome> {
        let unread = if user.is_some() { UNREAD.try_with(|count| *count).unwrap_or(0) } else { 0 };
        Ok(Chrome { viewer: user.map(Viewer::from_user), csrf: csrf::token(session).await?, nav, unread })
    }

    /// `aria-current` for a navigation link, by its key ("glossary", …).
    pub fn current(&self, key: &str) -> &'static str {
        if self.nav.key() == key { "page" } else { "false" }
    }
}

/// Renders an askama template into an HTML response.
pub fn render(template: &impl askama::Template) -> AppResult<Response> {
    Ok(Html(template.render()?).into_response())
}
