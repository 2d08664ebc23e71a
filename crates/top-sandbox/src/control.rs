//! Control endpoints under `/sandbox/` (no signature: they exist for tests and demos), and
//! the operations behind them that [`crate::SandboxHandle`] calls directly.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::apis::damai;
use crate::apis::retail_tag::{self, AccountKind};
use crate::calls::CallRecord;
use crate::server::Shared;
use crate::snapshot::StateSnapshot;

/// Calls listed by `GET /sandbox/calls` when no `limit` is given.
const DEFAULT_CALLS_LISTED: usize = 100;

/// `GET /sandbox/state`.
pub(crate) async fn state(State(shared): State<Arc<Shared>>) -> Json<StateSnapshot> {
    Json(snapshot(&shared))
}

/// `GET /sandbox/calls[?method=M][&limit=N]`: the logged calls, newest first (at most `limit`,
/// default 100), of method `M` only when given, as
/// `{"calls":[..],"recorded":N,"capacity":N}`.
pub(crate) async fn calls(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut method = None;
    let mut limit = DEFAULT_CALLS_LISTED;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "method" if !value.trim().is_empty() => method = Some(value.trim().to_owned()),
            "limit" => match value.trim().parse::<usize>() {
                Ok(n) => limit = n,
                Err(_) => return bad_request("limit must be a whole number"),
            },
            _ => {}
        }
    }
    let calls: Vec<CallRecord> = shared.calls.list(method.as_deref(), limit);
    Json(json!({
        "calls": calls,
        "recorded": shared.calls.recorded(),
        "capacity": shared.calls.capacity(),
    }))
    .into_response()
}

/// `POST /sandbox/reset`.
pub(crate) async fn reset(State(shared): State<Arc<Shared>>) -> Json<Value> {
    reset_all(&shared);
    Json(json!({"reset": true}))
}

#[derive(Deserialize)]
struct AuthCodeRequest {
    user_phone: String,
    code_type: Value,
}

/// `POST /sandbox/auth-codes` `{"user_phone":..,"code_type":1|2}` → `{"auth_code":"123456"}`.
pub(crate) async fn auth_codes(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let request: AuthCodeRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return bad_request(&format!(
                "expected {{\"user_phone\":..,\"code_type\":1|2}}: {e}"
            ));
        }
    };
    let code_type = match &request.code_type {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(0);
    match issue_auth_code(&shared, &request.user_phone, code_type) {
        Ok(code) => Json(json!({ "auth_code": code })).into_response(),
        Err(message) => bad_request(&message),
    }
}

#[derive(Deserialize)]
struct AccountRequest {
    isv_user_id: Option<String>,
    open_id: Option<String>,
    nick: Option<String>,
}

/// `POST /sandbox/accounts` `{"isv_user_id":..}` or `{"open_id":..}` (optional `"nick"`):
/// the account then exists for `taobao.retail.user.tag.mobile.add`.
pub(crate) async fn accounts(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let request: AccountRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return bad_request(&format!(
                "expected {{\"isv_user_id\":..}} or {{\"open_id\":..}}: {e}"
            ));
        }
    };
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let (kind, id) = match (&request.isv_user_id, &request.open_id) {
        (Some(id), None) if !blank(&request.isv_user_id) => (AccountKind::IsvUserId, id),
        (None, Some(id)) if !blank(&request.open_id) => (AccountKind::OpenId, id),
        _ => return bad_request("give exactly one of isv_user_id or open_id"),
    };
    let nick = register_account(&shared, kind, id, request.nick.as_deref());
    Json(json!({ kind.as_str(): id, "nick": nick })).into_response()
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

/// The state as JSON-ready data.
pub(crate) fn snapshot(shared: &Shared) -> StateSnapshot {
    let now = shared.clock.now();
    shared.lock().data.snapshot(now)
}

/// Forgets every entity, count, idempotency record, account, code and logged call.
pub(crate) fn reset_all(shared: &Shared) {
    let now = shared.clock.now();
    shared.lock().transact(now, |tx| tx.reset());
    shared.calls.clear();
    tracing::info!("sandbox state reset");
}

/// Issues a six-digit SMS code, valid five minutes. The phone and the code type follow the
/// Damai description's rules of `param0.user_phone` and `param0.code_type`, so that a code
/// is only issued for what a call may carry.
pub(crate) fn issue_auth_code(
    shared: &Shared,
    phone: &str,
    code_type: i64,
) -> Result<String, String> {
    if let Some(endpoint) = shared.endpoints.get(damai::METHOD) {
        let description = endpoint.description();
        for (member, text) in [
            ("user_phone", phone.to_owned()),
            ("code_type", code_type.to_string()),
        ] {
            for rule in description.rules_of(&format!("param0.{member}")) {
                rule.check_text(member, &text)
                    .map_err(|e| format!("{} {}", e.field, e.rule))?;
            }
        }
    }
    // The state keeps code types as small numbers; the description's enum is 1 and 2.
    let code_type = u8::try_from(code_type)
        .map_err(|_| format!("code_type {code_type} is not a code type the sandbox serves"))?;
    let now = shared.clock.now();
    Ok(shared
        .lock()
        .transact(now, |tx| damai::issue_auth_code(tx, phone, code_type)))
}

/// Registers a retail account; returns its nick (`tb` + id unless given).
pub(crate) fn register_account(
    shared: &Shared,
    kind: AccountKind,
    id: &str,
    nick: Option<&str>,
) -> String {
    let nick = nick
        .filter(|n| !n.trim().is_empty())
        .map_or_else(|| format!("tb{id}"), str::to_owned);
    let now = shared.clock.now();
    shared
        .lock()
        .transact(now, |tx| retail_tag::add_account(tx, kind, id, &nick));
    nick
}
