//! Secrets and mobile numbers never reach `Debug` output, errors or logs (TRACE included).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use top_core::{
    CallOptions, Error, HttpResponse, Mobile, MockTransport, Sensitive, TopClient, TopRequest,
    TopResponse, TransportError, TransportErrorKind, ValidationError,
};

const SECRET: &str = "app-secret-4f1c9e";
const SESSION: &str = "session-6102a77b";
const PASSWORD: &str = "pw-QWA1q2w3e4r";
const MOBILE: &str = "13912344567";

#[derive(Debug, Serialize)]
struct Register {
    user_phone: Mobile,
    user_login_password: Sensitive<String>,
}

#[derive(Debug, Deserialize)]
struct Registered {}
impl TopResponse for Registered {}

impl TopRequest for Register {
    const METHOD: &'static str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";
    type Response = Registered;
    fn validate(&self) -> Result<(), ValidationError> {
        if self.user_login_password.expose().len() > 100 {
            return Err(ValidationError::new(
                "user_login_password",
                "at most 100 characters",
            ));
        }
        self.user_phone.validate("user_phone")
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(text: &str) {
    for secret in [SECRET, SESSION, PASSWORD, MOBILE] {
        assert!(!text.contains(secret), "`{secret}` leaked into:\n{text}");
    }
}

#[tokio::test]
async fn nothing_secret_in_debug_errors_or_trace_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    let mut mock = MockTransport::new();
    let mut answers = vec![
        Ok(HttpResponse::new(
            200,
            r#"{"error_response":{"code":25,"msg":"Invalid signature","request_id":"e1"}}"#,
        )),
        Err(TransportError::from_kind(TransportErrorKind::Io)),
        Ok(HttpResponse::new(200, "garbage")),
        Ok(HttpResponse::new(502, "bad gateway")),
        Ok(HttpResponse::new(200, "{}")),
    ]
    .into_iter();
    mock.expect_send().returning(move |req| {
        seen.lock().unwrap().push(format!("{req:?}"));
        answers.next().unwrap_or(Ok(HttpResponse::new(200, "{}")))
    });
    let client = TopClient::builder()
        .app_key("12345678")
        .app_secret(SECRET)
        .session(SESSION)
        .transport(mock)
        .build()
        .unwrap();

    let good = Register {
        user_phone: MOBILE.into(),
        user_login_password: PASSWORD.into(),
    };
    let mut outputs = vec![
        format!("{client:?}"),
        format!("{good:?}"),
        format!("{:?}", CallOptions::new().session(SESSION)),
    ];
    for _ in 0..5 {
        let result = client.execute(&good).await;
        outputs.push(format!("{result:?}"));
        if let Err(e) = &result {
            outputs.push(e.to_string());
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                outputs.push(s.to_string());
                source = s.source();
            }
        }
    }
    let bad = Register {
        user_phone: "1391234456".into(),
        user_login_password: PASSWORD.repeat(10).into(),
    };
    let err = client.execute(&bad).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
    outputs.push(format!("{err:?} {err}"));
    outputs.extend(requests.lock().unwrap().iter().cloned());

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("top.call"),
        "the call span was logged: {logs}"
    );
    assert!(logs.contains("alibaba.damai.maizuo.openapi.user.register.byauthcode"));
    outputs.push(logs);
    for text in &outputs {
        assert_clean(text);
    }
}
