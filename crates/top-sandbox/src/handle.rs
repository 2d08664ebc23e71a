//! A running sandbox.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use top_core::Mobile;

use crate::apis::retail_tag::AccountKind;
use crate::calls::CallRecord;
use crate::control;
use crate::error::SandboxError;
use crate::server::Shared;
use crate::snapshot::StateSnapshot;
use crate::{PAGE_PATH, ROUTER_PATH};

/// How long [`SandboxHandle::shutdown`] waits for answers in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A retail account the sandbox should know (see the README's sandbox rules).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Account {
    /// An `isv_user_id`.
    IsvUserId(String),
    /// An `open_id`.
    OpenId(String),
}

/// A running sandbox. Dropping it stops the server too (gracefully, in the background);
/// [`SandboxHandle::shutdown`] waits for that.
pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    pub(crate) fn new(
        addr: SocketAddr,
        shared: Arc<Shared>,
        stop: oneshot::Sender<()>,
        task: JoinHandle<()>,
    ) -> Self {
        SandboxHandle {
            addr,
            shared,
            stop,
            task,
        }
    }

    /// The gateway URL, `http://127.0.0.1:PORT/router/rest`.
    pub fn url(&self) -> String {
        format!("http://{}{ROUTER_PATH}", self.addr)
    }

    /// The page showing the live call log and the state, `http://127.0.0.1:PORT/sandbox/`.
    pub fn page_url(&self) -> String {
        format!("http://{}{PAGE_PATH}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Everything the sandbox holds, as `GET /sandbox/state` returns it.
    pub async fn state(&self) -> StateSnapshot {
        control::snapshot(&self.shared)
    }

    /// The logged gateway calls, newest first, as `GET /sandbox/calls?limit=N` lists them
    /// (at most the log's capacity, [`crate::SandboxBuilder::call_log_capacity`]).
    pub async fn calls(&self, limit: usize) -> Vec<CallRecord> {
        self.shared.calls.list(None, limit)
    }

    /// Issues a six-digit SMS code for `code_type` 1 (register) or 2 (change password),
    /// valid five minutes, as `POST /sandbox/auth-codes` does.
    pub async fn issue_auth_code(
        &self,
        phone: &Mobile,
        code_type: u8,
    ) -> Result<String, SandboxError> {
        control::issue_auth_code(&self.shared, phone.expose(), i64::from(code_type))
            .map_err(SandboxError::InvalidRequest)
    }

    /// Makes a retail account known, as `POST /sandbox/accounts` does; returns its nick.
    pub async fn register_account(&self, account: Account) -> String {
        let (kind, id) = match &account {
            Account::IsvUserId(id) => (AccountKind::IsvUserId, id),
            Account::OpenId(id) => (AccountKind::OpenId, id),
        };
        control::register_account(&self.shared, kind, id, None)
    }

    /// Forgets every entity, count, idempotency record, account, code and logged call.
    pub async fn reset(&self) {
        control::reset_all(&self.shared);
    }

    /// Stops accepting connections, lets answers in flight finish (at most 5 s), and
    /// closes the state file.
    pub async fn shutdown(self) {
        let SandboxHandle { stop, mut task, .. } = self;
        let _ = stop.send(());
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
            .await
            .is_err()
        {
            task.abort();
            let _ = task.await;
        }
    }
}
