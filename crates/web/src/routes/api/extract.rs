//! Extractors that fail in the API's error shape, never as plain text.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use pmcoach_store::User;
use serde::de::DeserializeOwned;

use crate::access::CurrentUser;
use crate::error::{ApiError, AppError};

/// The most a request body may hold, in bytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// A JSON request body; every way it can be wrong becomes an [`ApiError`]
/// that says what to change.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(json_problem(&rejection))),
        }
    }
}

fn json_problem(rejection: &JsonRejection) -> AppError {
    // axum's own texts start with a generic sentence; the useful part is the
    // serde error underneath ("missing field `audience` at line 1 column 2").
    let detail = || {
        std::error::Error::source(rejection)
            .and_then(std::error::Error::source)
            .map_or_else(|| rejection.body_text(), ToString::to_string)
    };
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::Invalid(
            "Send the request body as JSON with the header `Content-Type: application/json`.".to_owned(),
        ),
        JsonRejection::JsonSyntaxError(_) => {
            AppError::Invalid(format!("The request body is not valid JSON: {}.", detail()))
        }
        JsonRejection::JsonDataError(_) => {
            AppError::Invalid(format!("The JSON does not have the fields this endpoint expects: {}.", detail()))
        }
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(format!(
            "The request body is larger than the {} MB the API accepts.",
            MAX_BODY_BYTES / (1024 * 1024)
        )),
        _ => AppError::Invalid(format!("pmcoach could not read the request body: {}.", rejection.body_text())),
    }
}

/// One path parameter as text.
#[derive(Debug)]
pub struct ApiPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError(path_problem(&rejection))),
        }
    }
}

fn path_problem(rejection: &PathRejection) -> AppError {
    AppError::Invalid(format!("The address could not be read: {}.", rejection.body_text()))
}

/// The owner of the API token, put in place by the access middleware.
#[derive(Debug)]
pub struct TokenUser(pub User);

impl<S: Send + Sync> FromRequestParts<S> for TokenUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CurrentUser>().map(|user| TokenUser(user.0.clone())).ok_or_else(|| {
            ApiError(AppError::Unauthorized(
                "send a valid API token as `Authorization: Bearer <token>`; create one under Settings".to_owned(),
            ))
        })
    }
}
