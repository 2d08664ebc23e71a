//! The default transport verifies certificates: a self-signed server is refused unless its CA
//! is added explicitly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use top_core::{Error, ReqwestTransport, Timeouts, TopClient, TopRequest, TopResponse};

#[derive(Debug, Serialize)]
struct Ping {
    biz_code: String,
}

#[derive(Debug, Deserialize)]
struct Pong {
    result: Option<bool>,
}
impl TopResponse for Pong {}

impl TopRequest for Ping {
    const METHOD: &'static str = "taobao.retail.user.tag.mobile.add";
    type Response = Pong;
}

/// An HTTPS server on localhost with a fresh self-signed certificate; returns its URL and
/// the certificate.
async fn https_server() -> (String, CertificateDer<'static>) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 16 * 1024];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"result":true,"request_id":"tls"}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}/router/rest"), cert)
}

fn builder(url: &str) -> top_core::TopClientBuilder {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .endpoint(url)
        .retry(top_core::RetryConfig::disabled())
}

#[tokio::test]
async fn self_signed_certificates_are_refused_by_default() {
    let (url, _) = https_server().await;
    let err = builder(&url)
        .build()
        .unwrap()
        .execute(&Ping {
            biz_code: "x".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_connect()),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_explicitly_trusted_ca_is_accepted() {
    let (url, cert) = https_server().await;
    let ca = top_core::reqwest::Certificate::from_der(&cert).unwrap();
    let http = ReqwestTransport::client_builder(&Timeouts::default())
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let client = builder(&url)
        .transport(ReqwestTransport::from_client(http))
        .build()
        .unwrap();
    let pong = client
        .execute(&Ping {
            biz_code: "x".into(),
        })
        .await
        .unwrap();
    assert_eq!(pong.result, Some(true));
}
