//! Who may use each route. Routes are only added through [`Routes`], which
//! records a rule for every one and wraps it in [`enforce`], so a handler
//! cannot forget its check and a test can walk the whole table.

use std::fmt;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{self, MethodRouter};
use pmcoach_store::{DataVersion, OrgRole, User};
use tower_sessions::Session;

use crate::auth::session_store::{Loaded, take_loaded};
use crate::auth::{csrf, secret};
use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// The rule of one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in, setup, invitations, assets).
    Anonymous,
    /// Any signed-in member of the organisation.
    Member,
    /// The person the `{id}` in the path names, or their manager.
    ManagerOfSubject,
    /// Organisation admins.
    Admin,
    /// A script or integration with a valid API token (`Authorization: Bearer …`).
    ApiToken,
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Access::Anonymous => "anonymous",
            Access::Member => "member",
            Access::ManagerOfSubject => "subject or their manager",
            Access::Admin => "admin",
            Access::ApiToken => "API token",
        })
    }
}

/// One registered route and its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRule {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The signed-in user, put into the request by [`enforce`].
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Forbidden("This page needs you to be signed in.".to_owned()))
    }
}

/// The data version the request's session query saw (`None` when it was
/// not read: no session yet, or an API call). Data read after it is at
/// least that new, so it may be kept under that version; see
/// [`crate::page_cache`].
#[derive(Debug, Clone, Copy)]
pub struct SeenVersion(pub Option<DataVersion>);

impl<S: Send + Sync> FromRequestParts<S> for SeenVersion {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<SeenVersion>().copied().unwrap_or(SeenVersion(None)))
    }
}

/// The signed-in user when there is one, on routes open to everyone.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<User>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<CurrentUser>().map(|user| user.0.clone())))
    }
}

/// The router under construction and the table of its rules.
#[derive(Debug)]
pub struct Routes {
    router: Router<AppState>,
    rules: Vec<RouteRule>,
    state: AppState,
}

impl Routes {
    pub fn new(state: AppState) -> Self {
        Routes { router: Router::new(), rules: Vec::new(), state }
    }

    pub fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, access, routing::get(handler))
    }

    pub fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, access, routing::post(handler))
    }

    /// Adds a route built by the caller (for extra layers such as a rate
    /// limit); `method` must be the one `route` answers.
    pub fn add(mut self, method: Method, path: &'static str, access: Access, route: MethodRouter<AppState>) -> Self {
        let state = self.state.clone();
        let guarded = route.route_layer(middleware::from_fn_with_state(
            state,
            // Path parameters that are not UTF-8 are left for the handler's own
            // extractor to report in its page or API shape.
            move |state: State<AppState>,
                  session: Session,
                  params: Result<RawPathParams, RawPathParamsRejection>,
                  request: Request,
                  next: Next| {
                crate::auth::session_store::with_loaded(enforce(state, session, params.ok(), access, request, next))
            },
        ));
        self.router = self.router.route(path, guarded);
        self.rules.push(RouteRule { method, path, access });
        self
    }

    /// Adds the routes of one area.
    pub fn area(self, add: impl FnOnce(Routes) -> Routes) -> Self {
        add(self)
    }

    pub fn finish(self) -> (Router<AppState>, Vec<RouteRule>) {
        (self.router, self.rules)
    }
}

/// Requests that change nothing need no CSRF token.
fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn enforce(
    State(state): State<AppState>,
    session: Session,
    params: Option<RawPathParams>,
    access: Access,
    mut request: Request,
    next: Next,
) -> Response {
    if access == Access::ApiToken {
        let token = bearer_token(&request);
        return match api_user(&state, token).await {
            Ok(user) => {
                request.extensions_mut().insert(CurrentUser(user));
                next.run(request).await
            }
            Err(error) => error.into_response(),
        };
    }

    let (user, loaded) = match session_user(&state, &session).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    if let Some(user) = &user {
        request.extensions_mut().insert(CurrentUser(user.clone()));
    }
    if let Some(loaded) = &loaded {
        request.extensions_mut().insert(SeenVersion(Some(loaded.data_version)));
        if user.is_some()
            && let Err(error) = renew_if_half_gone(&state, &session, loaded.expires_at).await
        {
            return error.into_response();
        }
    }

    let allowed = match (access, &user) {
        (Access::Anonymous, _) => Ok(()),
        (_, None) => {
            let target = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
            return sign_in_first(&state, &target).await;
        }
        (Access::Member, Some(_)) => Ok(()),
        (Access::Admin, Some(user)) if user.role == OrgRole::Admin => Ok(()),
        (Access::Admin, Some(_)) => Err(AppError::Forbidden("Only organisation admins can open this page.".to_owned())),
        (Access::ManagerOfSubject, Some(user)) => subject_check(&state, user, params.as_ref()).await,
        (Access::ApiToken, _) => unreachable_rule(),
    };
    if let Err(error) = allowed {
        return error.into_response();
    }

    if !is_safe(request.method()) {
        request = match check_csrf(&session, request).await {
            Ok(request) => request,
            Err(response) => return response,
        };
        return next.run(request).await;
    }
    // Pages show the unread count in their header; a failure to count
    // shows none rather than failing the page.
    let unread = match (&user, &loaded) {
        (Some(_), Some(loaded)) => loaded.unread,
        (Some(user), None) => state.store.unread_notifications(user.id).await.unwrap_or(0),
        (None, _) => 0,
    };
    crate::page::UNREAD.scope(unread, next.run(request)).await
}

fn unreachable_rule() -> Result<(), AppError> {
    Err(AppError::Internal(anyhow::anyhow!("API routes are handled before session routes")))
}

/// The signed-in person, and what the session's query read with them. The
/// person comes from that same query when it found them (it always does
/// once the session row names them), else from a query of its own.
async fn session_user(state: &AppState, session: &Session) -> Result<(Option<User>, Option<Loaded>), AppError> {
    let id = session.get::<i64>(crate::routes::signin::USER_KEY).await?;
    let loaded = take_loaded();
    let Some(id) = id else { return Ok((None, loaded)) };
    let found = match loaded.as_ref().and_then(|l| l.user.as_ref()).filter(|user| user.id == id) {
        Some(user) => Ok(user.clone()),
        None => state.store.user(id).await,
    };
    match found {
        Ok(user) => {
            // Signed in before the password last changed: no longer valid.
            let signed_in_at = session.get::<i64>(crate::routes::signin::SIGNED_IN_AT_KEY).await?.unwrap_or(i64::MIN);
            if signed_in_at < user.sessions_valid_after {
                session.flush().await?;
                return Ok((None, loaded));
            }
            Ok((Some(user), loaded))
        }
        // The account is gone: forget the session rather than fail.
        Err(pmcoach_store::StoreError::NotFound) => {
            session.flush().await?;
            Ok((None, loaded))
        }
        Err(error) => Err(error.into()),
    }
}

/// Sessions end after `session_days` without use. The stored session (and
/// its cookie) is only written when its data changes, so a session in use
/// every day would still end `session_days` after sign-in; once half its
/// time is gone, note the renewal, which makes the session layer write the
/// row with a fresh expiry and send the cookie again. At most one write per
/// session every `session_days / 2`.
async fn renew_if_half_gone(state: &AppState, session: &Session, expires_at: i64) -> Result<(), AppError> {
    let now = pmcoach_store::now_millis();
    let lifetime = state.config.session_days * 24 * 60 * 60 * 1000;
    if expires_at - now < lifetime / 2 {
        session.insert(crate::routes::signin::RENEWED_AT_KEY, now).await?;
    }
    Ok(())
}

/// Where a signed-out visitor goes: setup on a fresh install, else sign-in
/// with a way back to `target`. (Takes the path, not the request: a
/// request is not `Sync`, so holding it across an await would make the
/// middleware's future unusable by the server.)
async fn sign_in_first(state: &AppState, target: &str) -> Response {
    match state.store.has_users().await {
        Ok(false) => Redirect::to("/setup").into_response(),
        Ok(true) => {
            let next: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
            Redirect::to(&format!("/signin?next={next}")).into_response()
        }
        Err(error) => AppError::from(error).into_response(),
    }
}

async fn subject_check(state: &AppState, user: &User, params: Option<&RawPathParams>) -> Result<(), AppError> {
    let subject = params
        .into_iter()
        .flatten()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, value)| value.parse::<i64>().ok())
        .ok_or(AppError::NotFound)?;
    if subject == user.id {
        return Ok(());
    }
    let person = state.store.user(subject).await?;
    if person.org_id == user.org_id && person.manager_id == Some(user.id) {
        Ok(())
    } else {
        Err(AppError::Forbidden("Only this person and their manager can see this page.".to_owned()))
    }
}

fn bearer_token(request: &Request) -> Option<String> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

async fn api_user(state: &AppState, token: Option<String>) -> Result<User, ApiError> {
    let unauthorised = || {
        ApiError(AppError::Unauthorized(
            "send a valid API token as `Authorization: Bearer <token>`; create one under Settings".to_owned(),
        ))
    };
    let token = token.ok_or_else(unauthorised)?;
    state.store.user_by_api_token(&secret::digest(&token)).await?.ok_or_else(unauthorised)
}

/// Checks the CSRF token of a state-changing request, from the header or
/// the form body, and hands the request on with its body intact.
async fn check_csrf(session: &Session, request: Request) -> Result<Request, Response> {
    let header_token = request.headers().get(csrf::HEADER).and_then(|value| value.to_str().ok()).map(str::to_owned);
    if let Some(token) = header_token {
        return if csrf::verify(session, Some(&token)).await { Ok(request) } else { Err(csrf_rejected()) };
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, crate::routes::forms::MAX_FORM_BYTES)
        .await
        .map_err(|_| crate::routes::forms::too_large().into_response())?;
    let offered = csrf::from_form(&bytes);
    if csrf::verify(session, offered.as_deref()).await {
        Ok(Request::from_parts(parts, Body::from(bytes)))
    } else {
        Err(csrf_rejected())
    }
}

fn csrf_rejected() -> Response {
    let error = AppError::Forbidden(
        "This form has expired or did not come from pmcoach, so nothing was saved. Go back, reload the page and try again."
            .to_owned(),
    );
    let mut response = error.into_response();
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}
