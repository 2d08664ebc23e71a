//! What the per-API examples share: a client for the gateway named by the environment, or
//! for a sandbox started in this process.
//!
//! With `TOP_ENDPOINT`, `TOP_APP_KEY` and `TOP_APP_SECRET` all set, the examples call that
//! gateway (`TopClient::from_env()`, which also reads `TOP_SESSION` and `TOP_SIGN_METHOD`).
//! Otherwise they start `top-sandbox` on 127.0.0.1 with its demo app and call it over real
//! HTTP.

// Each example uses a part of this module.
#![allow(dead_code)]

use std::error::Error as StdError;
use std::fmt::Debug;

use taobao_top::core::{Error, TopClient};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxHandle};

/// The variables that select a real gateway.
pub const GATEWAY_VARS: [&str; 3] = ["TOP_ENDPOINT", "TOP_APP_KEY", "TOP_APP_SECRET"];

/// A client and, when no gateway is configured, the sandbox it talks to.
pub struct Gateway {
    /// The client to call with.
    pub client: TopClient,
    sandbox: Option<SandboxHandle>,
}

impl Gateway {
    /// The configured gateway, or an in-process sandbox.
    pub async fn connect() -> Result<Gateway, Box<dyn StdError>> {
        let configured = GATEWAY_VARS
            .iter()
            .all(|name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty()));
        if configured {
            let client = TopClient::from_env()?;
            println!("gateway: {} (from TOP_ENDPOINT)", client.endpoint());
            return Ok(Gateway {
                client,
                sandbox: None,
            });
        }
        let sandbox = Sandbox::builder().start().await?;
        let client = TopClient::builder()
            .app_key(DEMO_APP_KEY)
            .app_secret(DEMO_APP_SECRET)
            .endpoint(sandbox.url().as_str())
            .build()?;
        println!(
            "gateway: in-process sandbox at {} (set {} to call another)",
            sandbox.url(),
            GATEWAY_VARS.join(", ")
        );
        Ok(Gateway {
            client,
            sandbox: Some(sandbox),
        })
    }

    /// The in-process sandbox, when no gateway is configured.
    pub fn sandbox(&self) -> Option<&SandboxHandle> {
        self.sandbox.as_ref()
    }

    /// Stops the sandbox, if one was started.
    pub async fn shutdown(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// A variable of the environment, or `default` (for the vendor doc's example values).
pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// Prints the typed answer, or the error and how far the call got. Returns whether the
/// call succeeded.
pub fn report<T: Debug + 'static>(call: &str, result: &Result<T, Error>) -> bool {
    match result {
        Ok(response) => {
            println!("ok    {call}\n{response:#?}");
            true
        }
        Err(Error::Business(failure)) => {
            println!("fail  {call}: {failure}");
            if let Some(response) = failure.response::<T>() {
                println!("{response:#?}");
            }
            false
        }
        Err(Error::Validation(invalid)) => {
            println!("bad   {call}: {invalid} (nothing was sent)");
            false
        }
        Err(error) => {
            println!("error {call}: {error}");
            false
        }
    }
}
