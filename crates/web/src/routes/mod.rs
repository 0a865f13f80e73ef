//! Every route of the application, one module per area.

pub mod admin;
pub mod api;
pub mod assessment;
pub mod coach;
pub mod dashboard;
pub mod forms;
pub mod glossary;
pub mod growth;
pub mod health;
pub mod join;
pub mod notifications;
pub mod people;
pub mod profile;
pub mod rater;
pub mod results;
pub mod scenarios;
pub mod settings;
pub mod setup;
pub mod signin;
pub mod stakeholders;

use axum::Router;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use crate::access::{Access, RouteRule, Routes};
use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// All routes with their rules.
pub fn all(state: AppState) -> (Router<AppState>, Vec<RouteRule>) {
    Routes::new(state.clone())
        .get("/static/app.css", Access::Anonymous, crate::assets::css)
        .get("/static/app.js", Access::Anonymous, crate::assets::js)
        .area(health::routes)
        .area(setup::routes)
        .area(|routes| signin::routes(routes, &state))
        .area(dashboard::routes)
        .area(settings::routes)
        .area(admin::routes)
        .area(|routes| join::routes(routes, &state))
        .area(profile::routes)
        .area(people::routes)
        .area(glossary::routes)
        .area(coach::routes)
        .area(api::routes)
        .area(assessment::routes)
        .area(|routes| rater::routes(routes, &state))
        .area(results::routes)
        .area(growth::routes)
        .area(stakeholders::routes)
        .area(scenarios::routes)
        .area(notifications::routes)
        .finish()
}

/// The answer for an address no route has: a page for people, the API's
/// error shape under `/api/`.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        let message =
            format!("There is no API endpoint at {}. The endpoints are listed in /api/v1/openapi.json.", uri.path());
        ApiError(AppError::Missing(message)).into_response()
    } else {
        AppError::NotFound.into_response()
    }
}

/// A known address asked with a method it does not answer (such as
/// `DELETE /api/v1/me`): a finished page, or the API's error shape.
pub async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> Response {
    let message = format!("{} does not accept {method} requests.", uri.path());
    if uri.path().starts_with("/api/") {
        ApiError(AppError::MethodNotAllowed(message)).into_response()
    } else {
        AppError::MethodNotAllowed(message).into_response()
    }
}

/// Trims a form value and turns an empty one into `None`.
pub fn non_empty(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}
