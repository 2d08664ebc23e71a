//! What every request handler shares, and the HTTP routes.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::http::{Extensions, HeaderMap, StatusCode, Version};
use axum::routing::{any, get, post};
use top_core::Clock;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

use crate::ROUTER_PATH;
use crate::apis::Settings;
use crate::apps::Apps;
use crate::calls::CallLog;
use crate::control;
use crate::endpoint::Endpoints;
use crate::faults::Faults;
use crate::gateway;
use crate::limiter::Limiter;
use crate::page;
use crate::state::State;

/// Configuration and state behind every handler.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) apps: Apps,
    /// The served methods: one per description.
    pub(crate) endpoints: Endpoints,
    pub(crate) settings: Settings,
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Faults,
    pub(crate) limiter: Option<Limiter>,
    pub(crate) latency: Option<Duration>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) max_body: usize,
    /// The last calls, for `/sandbox/calls` and the page.
    pub(crate) calls: CallLog,
}

impl Shared {
    /// The state, even after a panic elsewhere poisoned the lock (the data stays consistent:
    /// each change is one short step).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Marks a response that must go out as it is (the dropped-connection fault: a gzip
/// encoder would hold back the first half, and the client would not even see the headers).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Uncompressed;

/// The routes: the gateway and the control endpoints, gzip when asked.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(ROUTER_PATH, any(gateway::handle))
        .route("/sandbox", get(page::redirect))
        .route("/sandbox/", get(page::page))
        .route("/sandbox/calls", get(control::calls))
        .route("/sandbox/state", get(control::state))
        .route("/sandbox/reset", post(control::reset))
        .route("/sandbox/auth-codes", post(control::auth_codes))
        .route("/sandbox/accounts", post(control::accounts))
        .with_state(shared)
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(
                |_: StatusCode, _: Version, _: &HeaderMap, extensions: &Extensions| {
                    extensions.get::<Uncompressed>().is_none()
                },
            )),
        )
}
