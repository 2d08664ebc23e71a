//! `/router/rest`: read the parameters, run the router's checks, then the business call
//! with counts, the QPS limit, latency and faults around it; every call goes to the call log.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;
use chrono::{DateTime, Utc};
use top_core::Params;

use crate::calls::Note;
use crate::codes::TopError;
use crate::endpoint::Caller;
use crate::faults::{self, Fault};
use crate::input;
use crate::protocol::{self, Call};
use crate::reply::{self, WireFormat};
use crate::server::Shared;
use crate::state::Counter;

/// The gateway handler.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = Instant::now();
    let arrived = shared.clock.now();
    let request_id = request_id();
    let mut note = shared.calls.note();
    let response = serve(&shared, request, &request_id, &mut note).await;
    shared
        .calls
        .record(note, &request_id, arrived, started.elapsed());
    response
}

async fn serve(shared: &Shared, request: Request, request_id: &str, note: &mut Note) -> Response {
    if let Some(latency) = shared.latency {
        tokio::time::sleep(latency).await;
    }
    let (parts, body) = request.into_parts();
    if parts.method != Method::GET && parts.method != Method::POST {
        let error = TopError::http_action_not_allowed(parts.method.as_str());
        note.error(&error);
        return reply::error(WireFormat::Xml, &error, request_id).into_response();
    }
    let (params, wire) = match input::gather(
        parts.uri.query(),
        &parts.headers,
        body,
        shared.max_body,
    )
    .await
    {
        Ok(read) => read,
        Err(failure) => {
            tracing::debug!(request_id, error = %failure.error, hint = failure.error.hint.as_deref(), "request refused");
            note.error(&failure.error);
            return reply::error(failure.format, &failure.error, request_id).into_response();
        }
    };
    let described = params
        .get("method")
        .and_then(|m| shared.endpoints.get(m))
        .map(|e| e.description());
    note.params(&params, described);
    let now = shared.clock.now();
    match protocol::check(&params, &wire, &shared.apps, &shared.endpoints, now) {
        Ok(call) => business(shared, &params, call, request_id, now, note),
        Err(error) => {
            tracing::debug!(request_id, %error, hint = error.hint.as_deref(), "request refused");
            note.error(&error);
            let format = WireFormat::lenient(params.get("format"), params.get("simplify"));
            reply::error(format, &error, request_id).into_response()
        }
    }
}

/// A call past the system checks: the description's checks, then the slice (or the
/// description's answer) under the lock.
fn business(
    shared: &Shared,
    params: &Params,
    call: Call<'_, '_>,
    request_id: &str,
    now: DateTime<Utc>,
    note: &mut Note,
) -> Response {
    let Call {
        endpoint,
        app_key,
        format,
    } = call;
    let method = endpoint.method();
    let count_call = || {
        shared
            .lock()
            .transact(now, |tx| tx.count(Counter::Calls, method));
    };
    let mut refuse = |error: TopError| {
        count_call();
        tracing::debug!(request_id, method, app_key, %error, hint = error.hint.as_deref(), "call refused");
        note.error(&error);
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
            count_call();
            tracing::debug!(request_id, method, "fault: HTTP 502");
            note.fault("HTTP 502 (injected)", Some(502));
            return faults::bad_gateway();
        }
        Some(Fault::DropAfterCommit) | None => {}
    }
    let caller = Caller {
        app_key,
        settings: &shared.settings,
    };
    let outcome = match endpoint.check(params) {
        Ok(checked) => shared.lock().transact(now, |tx| {
            tx.count(Counter::Calls, method);
            endpoint.serve(&checked, params, caller, tx)
        }),
        Err(error) => {
            count_call();
            Err(error)
        }
    };
    let rendered = match &outcome {
        Ok(answer) => reply::success(format, endpoint.response_key(), answer, request_id),
        Err(error) => reply::error(format, error, request_id),
    };
    match &outcome {
        Ok(answer) => {
            tracing::debug!(request_id, method, app_key, "call answered");
            let description = endpoint.description();
            if note.enabled() && description.overlay.business_failure.is_some() {
                let content = reply::content_json(answer);
                if let Some(failure) = description.business_error(&content) {
                    note.business_failure(failure.code, failure.message);
                }
            }
        }
        Err(error) => {
            tracing::debug!(request_id, method, app_key, %error, hint = error.hint.as_deref(), "call refused");
            note.error(error);
        }
    }
    if fault == Some(Fault::DropAfterCommit) {
        tracing::debug!(request_id, method, "fault: connection dropped after commit");
        note.fault(
            "connection dropped after the change was committed (injected)",
            None,
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
