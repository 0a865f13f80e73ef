//! `GET /healthz`: is the server up and its database reachable?

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use crate::access::{Access, Routes};
use crate::state::AppState;

pub fn routes(routes: Routes) -> Routes {
    routes.get("/healthz", Access::Anonymous, healthz)
}

#[tracing::instrument(skip(state))]
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ok", "database": state.store.backend()}))),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable", "database": state.store.backend()})),
            )
        }
    }
}
