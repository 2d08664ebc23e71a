//! `/router/rest`: read the parameters, run the router's checks, then the business call
//! with counts, the QPS limit, latency and faults around it.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;
use chrono::{DateTime, Utc};
use top_core::Params;

use crate::apis;
use crate::codes::TopError;
use crate::faults::{self, Fault};
use crate::input;
use crate::protocol::{self, Call};
use crate::reply::{self, WireFormat};
use crate::server::Shared;
use crate::state::Counter;

/// The gateway handler.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let request_id = request_id();
    if let Some(latency) = shared.latency {
        tokio::time::sleep(latency).await;
    }
    let (parts, body) = request.into_parts();
    if parts.method != Method::GET && parts.method != Method::POST {
        let error = TopError::http_action_not_allowed(parts.method.as_str());
        return reply::error(WireFormat::Xml, &error, &request_id).into_response();
    }
    let params = match input::gather(parts.uri.query(), &parts.headers, body, shared.max_body).await
    {
        Ok(params) => params,
        Err(failure) => {
            tracing::debug!(request_id, error = %failure.error, "request refused");
            return reply::error(failure.format, &failure.error, &request_id).into_response();
        }
    };
    let now = shared.clock.now();
    match protocol::check(&params, &shared.apps, now) {
        Ok(call) => business(&shared, &params, call, &request_id, now),
        Err(error) => {
            tracing::debug!(request_id, %error, "request refused");
            let format = WireFormat::lenient(params.get("format"), params.get("simplify"));
            reply::error(format, &error, &request_id).into_response()
        }
    }
}

/// A call past the system checks.
fn business(
    shared: &Shared,
    params: &Params,
    call: Call<'_>,
    request_id: &str,
    now: DateTime<Utc>,
) -> Response {
    let Call {
        api,
        app_key,
        format,
    } = call;
    let refuse = |error: TopError| {
        shared
            .lock()
            .transact(now, |tx| tx.count(Counter::Calls, api));
        tracing::debug!(request_id, method = api.method(), app_key, %error, "call refused");
        reply::error(format, &error, request_id).into_response()
    };
    if let Some(limiter) = &shared.limiter
        && let Err(ban) = limiter.check(app_key, Instant::now())
    {
        return refuse(TopError::app_call_limited(ban));
    }
    let fault = shared.faults.draw();
    match fault {
        Some(Fault::Timeout) => return refuse(TopError::remote_timeout()),
        Some(Fault::BadGateway) => {
            shared
                .lock()
                .transact(now, |tx| tx.count(Counter::Calls, api));
            tracing::debug!(request_id, method = api.method(), "fault: HTTP 502");
            return faults::bad_gateway();
        }
        Some(Fault::DropAfterCommit) | None => {}
    }
    let outcome = match apis::parse(api, params, &shared.rules) {
        Ok(parsed) => shared.lock().transact(now, |tx| {
            tx.count(Counter::Calls, api);
            apis::apply(parsed, app_key, &shared.rules, tx)
        }),
        Err(error) => {
            shared
                .lock()
                .transact(now, |tx| tx.count(Counter::Calls, api));
            Err(error)
        }
    };
    let rendered = match &outcome {
        Ok(answer) => reply::success(format, shared.response_key(api), answer, request_id),
        Err(error) => reply::error(format, error, request_id),
    };
    match &outcome {
        Ok(_) => tracing::debug!(request_id, method = api.method(), app_key, "call answered"),
        Err(error) => {
            tracing::debug!(request_id, method = api.method(), app_key, %error, "call refused");
        }
    }
    if fault == Some(Fault::DropAfterCommit) {
        tracing::debug!(
            request_id,
            method = api.method(),
            "fault: connection dropped after commit"
        );
        return faults::dropped(rendered);
    }
    rendered.into_response()
}

/// A short platform request id, as the router's (`4jkl5mhpc274`).
fn request_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..13)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect()
}
