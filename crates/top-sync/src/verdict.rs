//! What a call's result means for the row: done, send again, wait a ban, unknown, failed.
//! The decision rests on top-core's own classification (`outcome_unknown`, `is_retryable`).

use std::time::Duration;

use top_core::Error;

use crate::state::Failure;

/// The next step after one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Accepted.
    Done,
    /// Not applied (or idempotent): may be sent again after a backoff.
    Retry(Failure),
    /// Code 7: nothing was applied; wait the ban, then send again.
    Ban(Duration, Failure),
    /// May have been applied and cannot be resent safely.
    Unknown(Failure),
    /// Refused for good.
    Failed(Failure),
}

/// Classifies a call's result. `idempotent`: the request carries an idempotency key, so
/// an unknown outcome may be resent.
pub(crate) fn verdict(result: Result<(), Error>, idempotent: bool) -> Verdict {
    let error = match result {
        Ok(()) => return Verdict::Done,
        Err(error) => error,
    };
    let failure = failure_of(&error);
    match &error {
        Error::RateLimited { retry_after, .. } => Verdict::Ban(*retry_after, failure),
        e if e.outcome_unknown() && idempotent => Verdict::Retry(failure),
        e if e.outcome_unknown() => Verdict::Unknown(failure),
        e if e.is_retryable() => Verdict::Retry(failure),
        _ => Verdict::Failed(failure),
    }
}

/// The journal's view of an error: code, sub-code, message.
pub(crate) fn failure_of(error: &Error) -> Failure {
    match error {
        Error::Api(e) | Error::RateLimited { error: e, .. } => Failure::new(
            e.code.to_string(),
            e.sub_code.clone(),
            e.sub_msg.clone().unwrap_or_else(|| e.msg.clone()),
        ),
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
        Error::Api(ApiError {
            code,
            msg: "m".into(),
            sub_code: Some(sub.into()),
            sub_msg: Some("13812341234 bad".into()),
            request_id: Some("r".into()),
        })
    }

    #[test]
    fn classification() {
        assert_eq!(verdict(Ok(()), false), Verdict::Done);
        let timeout = || Err(TransportError::from_kind(TransportErrorKind::Timeout).into());
        assert!(matches!(verdict(timeout(), true), Verdict::Retry(_)));
        assert!(matches!(verdict(timeout(), false), Verdict::Unknown(_)));
        let connect = Err(TransportError::from_kind(TransportErrorKind::Connect).into());
        assert!(matches!(verdict(connect, false), Verdict::Retry(_)));
        assert!(matches!(
            verdict(Err(api(15, "isp.top-remote-connection-timeout")), false),
            Verdict::Retry(_)
        ));
        match verdict(Err(api(41, "isv.invalid-parameter")), true) {
            Verdict::Failed(f) => {
                assert_eq!(f.code, "41");
                assert_eq!(f.sub_code.as_deref(), Some("isv.invalid-parameter"));
                assert_eq!(f.message, "138****1234 bad");
            }
            other => panic!("{other:?}"),
        }
        let business =
            BusinessError::new(Some("500".into()), Some("busy".into())).with_retryable(true);
        assert!(matches!(
            verdict(Err(business.into()), true),
            Verdict::Retry(_)
        ));
        let limited = Error::RateLimited {
            retry_after: Duration::from_secs(3),
            error: ApiError {
                code: 7,
                msg: "App Call Limited".into(),
                sub_code: None,
                sub_msg: None,
                request_id: None,
            },
        };
        assert!(matches!(verdict(Err(limited), false), Verdict::Ban(d, _) if d.as_secs() == 3));
    }
}
