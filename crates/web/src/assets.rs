//! The stylesheet and script, embedded in the binary.

use axum::http::header;
use axum::response::IntoResponse;

/// One stylesheet, assembled from one file per area so that areas do not
/// edit each other's rules.
pub const CSS: &str = concat!(
    include_str!("../assets/app.css"),
    include_str!("../assets/pages.css"),
    include_str!("../assets/coach.css"),
    include_str!("../assets/assessment.css"),
    include_str!("../assets/results.css"),
    include_str!("../assets/growth.css"),
    include_str!("../assets/stakeholders.css"),
    include_str!("../assets/notifications.css"),
    include_str!("../assets/scenarios.css"),
);
pub const JS: &str = include_str!("../assets/app.js");

pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS)
}

pub async fn js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], JS)
}
