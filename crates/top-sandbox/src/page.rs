//! `GET /sandbox/`: the sandbox's own page, one self-contained HTML file (inline CSS and
//! JavaScript, no external asset, no build step) that polls `/sandbox/calls` and
//! `/sandbox/state` and shows the live call log and the state tables. Everything a caller
//! sent is inserted as text, never as markup.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The page.
const PAGE: &str = include_str!("page/index.html");

/// Only this origin's data, inline code, nothing fetched from elsewhere.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
                   frame-ancestors 'none'";

/// `GET /sandbox/`.
pub(crate) async fn page() -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        PAGE,
    )
        .into_response()
}

/// `GET /sandbox` → `/sandbox/` (the page's relative fetches need the slash).
pub(crate) async fn redirect() -> Redirect {
    Redirect::permanent("/sandbox/")
}
