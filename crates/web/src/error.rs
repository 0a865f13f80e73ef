//! One error type for handlers, rendered as a finished HTML page for people
//! and as `{"error": {"status", "code", "message"}}` for the API.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use pmcoach_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("We could not find that page.")]
    NotFound,
    /// Something the request names or needs does not exist; the message says
    /// what, and how to create it when the caller can.
    #[error("{0}")]
    Missing(String),
    /// No valid credentials (API only; pages redirect to sign-in instead).
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// Input that cannot be used; the message says what to change.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// A request body larger than the route accepts; the message gives the limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Too many sign-in or link attempts from one address; wait this many seconds.
    #[error("Too many attempts from your address. Wait {0} seconds, then try again.")]
    TooManyAttempts(u64),
    #[error("pmcoach cannot reach its database right now. Nothing was lost; try again in a minute.")]
    Unavailable,
    #[error(
        "Something went wrong on our side. Nothing you entered was lost; try again, and tell your admin if it keeps happening."
    )]
    Internal(#[source] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound | AppError::Missing(_) => "not_found",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge(_) => "too_large",
            AppError::Gone(_) => "gone",
            AppError::MethodNotAllowed(_) => "method_not_allowed",
            AppError::TooManyAttempts(_) => "too_many_attempts",
            AppError::Unavailable => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Page not found",
            AppError::Missing(_) => "Not found",
            AppError::Unauthorized(_) => "Sign in needed",
            AppError::Forbidden(_) => "Not allowed",
            AppError::Invalid(_) => "Please check what you entered",
            AppError::Conflict(_) => "That did not work",
            AppError::TooLarge(_) => "Too large",
            AppError::Gone(_) => "This link has expired",
            AppError::MethodNotAllowed(_) => "Not available this way",
            AppError::TooManyAttempts(_) => "Slow down",
            AppError::Unavailable => "Temporarily unavailable",
            AppError::Internal(_) => "Something went wrong",
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal(error) => tracing::error!(error = format!("{error:#}"), "internal error"),
            AppError::Unavailable => tracing::warn!("database unavailable"),
            _ => {}
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(message) => AppError::Conflict(message),
            StoreError::Gone(message) => AppError::Gone(message),
            StoreError::Unavailable(message) => {
                tracing::warn!(%message, "store unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(error)
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(error: tower_sessions::session::Error) -> Self {
        AppError::Internal(error.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: String,
    status: u16,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let page = ErrorPage { title: self.title(), message: self.to_string(), status: self.status().as_u16() };
        match page.render() {
            Ok(html) => (self.status(), Html(html)).into_response(),
            Err(_) => (self.status(), self.to_string()).into_response(),
        }
    }
}

/// The API's face of [`AppError`].
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<Json<T>, ApiError>;

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        error.log();
        let body = serde_json::json!({
            "error": { "status": error.status().as_u16(), "code": error.code(), "message": error.to_string() }
        });
        (error.status(), Json(body)).into_response()
    }
}
