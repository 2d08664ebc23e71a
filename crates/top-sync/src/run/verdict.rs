//! What a call's final result means for the row: done, wait a ban, unknown, failed.
//!
//! The call has already been through top-core's retry layer (the one place that decides what
//! may be sent again); this only reads the outcome. A row is sent again in the same run only
//! after a code-7 ban, which proves nothing was applied; everything else that may have been
//! applied ends `unknown`, for `top sync retry --unknown` to resend once.

use std::time::Duration;

use top_core::Error;

use crate::journal::Failure;

/// The next step after one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Accepted.
    Done,
    /// Code 7: nothing was applied; wait the ban (every worker), then send again.
    Ban(Duration, Failure),
    /// May have been applied: never resent in this run.
    Unknown(Failure),
    /// Refused, and the refusal proves nothing was applied.
    Failed(Failure),
}

/// Classifies a call's final result.
pub(crate) fn verdict(result: Result<(), Error>) -> Verdict {
    let error = match result {
        Ok(()) => return Verdict::Done,
        Err(error) => error,
    };
    let failure = failure_of(&error);
    match &error {
        Error::RateLimited { retry_after, .. } => Verdict::Ban(*retry_after, failure),
        e if e.may_have_been_applied() => Verdict::Unknown(failure),
        _ => Verdict::Failed(failure),
    }
}

/// The journal's view of an error: code, sub-code, message.
pub(crate) fn failure_of(error: &Error) -> Failure {
    if let Some(e) = error.api_error() {
        return Failure::new(
            e.code.to_string(),
            e.sub_code.clone(),
            e.sub_msg.clone().unwrap_or_else(|| e.msg.clone()),
        );
    }
    match error {
        Error::Business(e) => Failure::new(
            e.code.clone().unwrap_or_else(|| "business".to_owned()),
            None,
            e.message.clone().unwrap_or_else(|| error.to_string()),
        ),
        Error::Http { status, .. } => {
            Failure::new("http", Some(status.to_string()), error.to_string())
        }
        Error::Transport(e) => {
            let kind = if e.is_connect() {
                "connect"
            } else if e.is_timeout() {
                "timeout"
            } else {
                "io"
            };
            Failure::new("transport", Some(kind.to_owned()), error_chain(error))
        }
        Error::Validation(e) => {
            Failure::new("invalid", Some(e.field.to_string()), e.rule.to_string())
        }
        Error::Decode(_) => Failure::new("decode", None, error_chain(error)),
        other => Failure::new("error", None, error_chain(other)),
    }
}

/// The error and its causes, one after the other.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use top_core::{ApiError, BusinessError, TransportError, TransportErrorKind};

    fn api(code: i64, sub: &str) -> Error {
        Error::Api(
            ApiError::new(code, "m")
                .with_sub_code(sub)
                .with_sub_msg("13812341234 bad")
                .with_request_id("r"),
        )
    }

    #[test]
    fn classification() {
        assert_eq!(verdict(Ok(())), Verdict::Done);
        let transport = |kind| Err(TransportError::from_kind(kind).into());
        // After top-core's retries, anything that may have been applied is unknown: never
        // resent in the run, whether or not the API has an idempotency key.
        assert!(matches!(
            verdict(transport(TransportErrorKind::Timeout)),
            Verdict::Unknown(_)
        ));
        assert!(matches!(
            verdict(transport(TransportErrorKind::Io)),
            Verdict::Unknown(_)
        ));
        assert!(matches!(
            verdict(Err(api(15, "isp.top-remote-connection-timeout"))),
            Verdict::Unknown(_)
        ));
        let http = |status| {
            Err(Error::Http {
                status,
                body_snippet: String::new(),
            })
        };
        assert!(matches!(verdict(http(502)), Verdict::Unknown(_)));
        // A refused connection sent nothing: failed, and `sync retry` may send it again.
        match verdict(transport(TransportErrorKind::Connect)) {
            Verdict::Failed(f) => assert_eq!(f.sub_code.as_deref(), Some("connect")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(verdict(http(403)), Verdict::Failed(_)));
        match verdict(Err(api(41, "isv.invalid-parameter"))) {
            Verdict::Failed(f) => {
                assert_eq!(f.code, "41");
                assert_eq!(f.sub_code.as_deref(), Some("isv.invalid-parameter"));
                assert_eq!(f.message, "138****1234 bad");
            }
            other => panic!("{other:?}"),
        }
        // A business failure is the service's own answer.
        let business =
            BusinessError::new(Some("500".into()), Some("busy".into())).with_retryable(true);
        assert!(matches!(verdict(Err(business.into())), Verdict::Failed(_)));
        let limited = Error::RateLimited {
            retry_after: Duration::from_secs(3),
            error: Box::new(ApiError::new(7, "App Call Limited")),
        };
        assert!(matches!(verdict(Err(limited)), Verdict::Ban(d, _) if d.as_secs() == 3));
    }
}
