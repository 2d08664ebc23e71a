//! Seeded fault injection on the business methods: a transient `isp.*` timeout, an HTTP 502,
//! or a connection dropped in the middle of the answer after the change was committed.

use std::io;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::reply::Rendered;
use crate::server::Uncompressed;

/// One injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Code 15 `isp.top-remote-connection-timeout`; nothing applied.
    Timeout,
    /// HTTP 502 with an HTML body; nothing applied.
    BadGateway,
    /// The change is applied and committed, then the answer breaks off half-way.
    DropAfterCommit,
}

impl Fault {
    const ALL: [Fault; 3] = [Fault::Timeout, Fault::BadGateway, Fault::DropAfterCommit];
}

/// The fault generator: one seeded random sequence, so a run with the same seed and the
/// same order of calls sees the same faults.
#[derive(Debug)]
pub(crate) struct Faults {
    rate: f64,
    rng: Mutex<fastrand::Rng>,
}

impl Faults {
    /// Faults with probability `rate` (0 disables them).
    pub(crate) fn new(rate: f64, seed: u64) -> Self {
        Faults {
            rate,
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
        }
    }

    /// The fault for the next business call, if any.
    pub(crate) fn draw(&self) -> Option<Fault> {
        if self.rate <= 0.0 {
            return None;
        }
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        (rng.f64() < self.rate).then(|| Fault::ALL[rng.usize(..Fault::ALL.len())])
    }
}

/// The gateway's 502 page.
pub(crate) fn bad_gateway() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/html"))],
        "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>sandbox fault injection</p></body></html>",
    )
        .into_response()
}

/// A 200 whose body stops half-way with an error: the server aborts the connection, so the
/// client sees a broken body and cannot know the outcome.
pub(crate) fn dropped(rendered: Rendered) -> Response {
    let bytes = Bytes::from(rendered.body);
    let head = bytes.slice(..bytes.len() / 2);
    // The pause lets the server flush the status line, headers and first half before the
    // error aborts the connection, so the client always sees a 200 with a broken body.
    let broken = futures::stream::once(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Err::<Bytes, io::Error>(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "sandbox fault injection: connection dropped after commit",
        ))
    });
    let stream = futures::stream::once(async move { Ok::<Bytes, io::Error>(head) }).chain(broken);
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(rendered.content_type),
        )],
        Extension(Uncompressed),
        Body::from_stream(stream),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_bounded() {
        let a = Faults::new(0.5, 42);
        let b = Faults::new(0.5, 42);
        let seq_a: Vec<_> = (0..200).map(|_| a.draw()).collect();
        let seq_b: Vec<_> = (0..200).map(|_| b.draw()).collect();
        assert_eq!(seq_a, seq_b);
        for kind in Fault::ALL {
            assert!(seq_a.contains(&Some(kind)), "{kind:?} never drawn");
        }
        assert!(seq_a.contains(&None));
        let none = Faults::new(0.0, 1);
        assert!((0..100).all(|_| none.draw().is_none()));
        let all = Faults::new(1.0, 1);
        assert!((0..100).all(|_| all.draw().is_some()));
    }
}
