//! Configuring and starting a sandbox.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::serve::ListenerExt;
use top_core::{Clock, SystemClock};

use crate::apis::Settings;
use crate::apps::{APPS_ENV, Apps, parse_apps};
use crate::calls::{CallLog, DEFAULT_CALL_LOG_CAPACITY};
use crate::endpoint::Endpoints;
use crate::error::SandboxError;
use crate::faults::Faults;
use crate::handle::SandboxHandle;
use crate::idempotency::WindowConfig;
use crate::limiter::Limiter;
use crate::server::{Shared, router};
use crate::state::{Data, State};
use crate::store::Store;
use crate::{
    DEMO_APP_KEY, DEMO_APP_SECRET, DEMO_CHANNEL_TOKEN, DEMO_PTNR_TOKEN, DEMO_TENANT_TOKEN,
};

/// Default most blacklist entries one sync call may carry.
pub const DEFAULT_MAX_BLACKLIST_ENTRIES: usize = 500;

/// Default largest request body (1 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Default age after which a remembered `request_id` is forgotten, so that a resend applies
/// again: 24 hours (see [`SandboxBuilder::idempotency_window`]).
pub const DEFAULT_IDEMPOTENCY_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// Default most `request_id`s remembered at once, over all apps and methods: 200 000
/// (see [`SandboxBuilder::idempotency_max_entries`]).
pub const DEFAULT_IDEMPOTENCY_MAX_ENTRIES: usize = 200_000;

/// The sandbox: a local TOP gateway. Start one with [`Sandbox::builder`].
#[derive(Debug, Clone, Copy)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: `127.0.0.1:0`, the demo app, state in memory, no faults.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Sandbox settings; every one is optional.
///
/// ```no_run
/// # async fn run() -> Result<(), top_sandbox::SandboxError> {
/// let sandbox = top_sandbox::Sandbox::builder()
///     .app("20000002", "another-secret")
///     .fault_rate(0.1)
///     .seed(7)
///     .start()
///     .await?;
/// println!("{}", sandbox.url());
/// sandbox.shutdown().await;
/// # Ok(()) }
/// ```
pub struct SandboxBuilder {
    listen: SocketAddr,
    apps: Vec<(String, String)>,
    env_apps: Result<Vec<(String, String)>, String>,
    demo_app: bool,
    state_file: Option<PathBuf>,
    fault_rate: f64,
    latency: Option<Duration>,
    qps_limit: Option<u32>,
    seed: Option<u64>,
    max_blacklist_entries: usize,
    max_body_bytes: usize,
    idempotency_window: Duration,
    idempotency_max_entries: usize,
    tokens: (String, String, String),
    clock: Arc<dyn Clock>,
    apis_dir: Option<PathBuf>,
    call_log_capacity: usize,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            apps: Vec::new(),
            env_apps: Ok(Vec::new()),
            demo_app: true,
            state_file: None,
            fault_rate: 0.0,
            latency: None,
            qps_limit: None,
            seed: None,
            max_blacklist_entries: DEFAULT_MAX_BLACKLIST_ENTRIES,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            idempotency_window: DEFAULT_IDEMPOTENCY_WINDOW,
            idempotency_max_entries: DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
            tokens: (
                DEMO_PTNR_TOKEN.to_owned(),
                DEMO_TENANT_TOKEN.to_owned(),
                DEMO_CHANNEL_TOKEN.to_owned(),
            ),
            clock: Arc::new(SystemClock),
            apis_dir: None,
            call_log_capacity: DEFAULT_CALL_LOG_CAPACITY,
        }
    }
}

/// App keys only, never secrets or tokens.
impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.apps.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("SandboxBuilder")
            .field("listen", &self.listen)
            .field("apps", &keys)
            .field("demo_app", &self.demo_app)
            .field("state_file", &self.state_file)
            .field("fault_rate", &self.fault_rate)
            .field("latency", &self.latency)
            .field("qps_limit", &self.qps_limit)
            .field("seed", &self.seed)
            .field("max_blacklist_entries", &self.max_blacklist_entries)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("idempotency_window", &self.idempotency_window)
            .field("idempotency_max_entries", &self.idempotency_max_entries)
            .field("apis_dir", &self.apis_dir)
            .field("call_log_capacity", &self.call_log_capacity)
            .finish_non_exhaustive()
    }
}

impl SandboxBuilder {
    /// Address to listen on (default `127.0.0.1:0`, a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Adds an app (the demo app stays unless [`SandboxBuilder::no_demo_app`]).
    pub fn app(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.apps.push((key.into(), secret.into()));
        self
    }

    /// Adds the apps of `TOP_SANDBOX_APPS` (`key:secret,key2:secret2`); a malformed value
    /// makes [`SandboxBuilder::start`] fail.
    pub fn apps_from_env(mut self) -> Self {
        self.env_apps = match std::env::var(APPS_ENV) {
            Ok(text) => parse_apps(&text).map_err(|e| e.to_string()),
            Err(std::env::VarError::NotPresent) => Ok(Vec::new()),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{APPS_ENV} is not UTF-8")),
        };
        self
    }

    /// Leaves out the demo app (`10000001` / `sandbox-secret`).
    pub fn no_demo_app(mut self) -> Self {
        self.demo_app = false;
        self
    }

    /// Keeps the state in this SQLite file across restarts (default: in memory only).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Probability (0 to 1) that a business call meets an injected fault (default 0).
    pub fn fault_rate(mut self, rate: f64) -> Self {
        self.fault_rate = rate;
        self
    }

    /// Delay before every gateway answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = (!latency.is_zero()).then_some(latency);
        self
    }

    /// Business calls allowed per app per second; past it, code 7 (0 means no limit).
    pub fn qps_limit(mut self, limit: u32) -> Self {
        self.qps_limit = (limit > 0).then_some(limit);
        self
    }

    /// Seed of the fault sequence and of generated codes and tokens (default: random).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Most entries one blacklist sync may carry (default
    /// [`DEFAULT_MAX_BLACKLIST_ENTRIES`]).
    pub fn max_blacklist_entries(mut self, max: usize) -> Self {
        self.max_blacklist_entries = max;
        self
    }

    /// Largest request body accepted (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.max_body_bytes = max;
        self
    }

    /// How long a `request_id` (of an API with an idempotency key) is remembered, measured on
    /// the sandbox clock from its first applied call (default [`DEFAULT_IDEMPOTENCY_WINDOW`],
    /// 24 hours). A resend within the window replays the first answer; after it, the request
    /// is fresh and applies again. Counted in whole milliseconds: less than 1 ms makes
    /// [`SandboxBuilder::start`] fail. With a state file, ages survive restarts.
    pub fn idempotency_window(mut self, window: Duration) -> Self {
        self.idempotency_window = window;
        self
    }

    /// Most `request_id`s remembered at once, over all apps and idempotent methods
    /// (default [`DEFAULT_IDEMPOTENCY_MAX_ENTRIES`], 200 000); past it the oldest is forgotten
    /// first. 0 makes [`SandboxBuilder::start`] fail. Each record costs about 200 bytes.
    pub fn idempotency_max_entries(mut self, max: usize) -> Self {
        self.idempotency_max_entries = max;
        self
    }

    /// The Damai partner, tenant and channel tokens calls must carry (default: the vendor
    /// page's example values, [`crate::DEMO_PTNR_TOKEN`] and its siblings).
    pub fn damai_tokens(
        mut self,
        ptnr: impl Into<String>,
        tenant: impl Into<String>,
        channel: impl Into<String>,
    ) -> Self {
        self.tokens = (ptnr.into(), tenant.into(), channel.into());
        self
    }

    /// The clock used for timestamp checks, SMS-code expiry and the ages of idempotency
    /// records (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Also serves the API descriptions of `dir` (`dir/<method>/vendor.json` and
    /// `overlay.toml`, as in the repository's `apis/`): a method already built in is
    /// described anew (its checks, idempotency key and answer shape; its hand-written state
    /// stays), any other is served from its description alone. They are read at
    /// [`SandboxBuilder::start`], which fails on a bad file, naming it and the member at
    /// fault.
    pub fn apis_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.apis_dir = Some(dir.into());
        self
    }

    /// How many gateway calls the call log keeps (`GET /sandbox/calls`, the page at
    /// `/sandbox/`), newest first (default [`crate::DEFAULT_CALL_LOG_CAPACITY`], 500). 0
    /// keeps none and spares each call the work of logging it.
    pub fn call_log_capacity(mut self, calls: usize) -> Self {
        self.call_log_capacity = calls;
        self
    }

    /// Binds, loads the API descriptions and the state file if any, and serves in the
    /// background.
    pub async fn start(self) -> Result<SandboxHandle, SandboxError> {
        if !(0.0..=1.0).contains(&self.fault_rate) {
            return Err(SandboxError::Config(format!(
                "fault rate must be between 0 and 1, not {}",
                self.fault_rate
            )));
        }
        if self.max_blacklist_entries == 0 {
            return Err(SandboxError::Config(
                "max_blacklist_entries must be at least 1".to_owned(),
            ));
        }
        if self.idempotency_max_entries == 0 {
            return Err(SandboxError::Config(
                "idempotency_max_entries (--idempotency-max-entries) must be at least 1".to_owned(),
            ));
        }
        if self.idempotency_window < Duration::from_millis(1) {
            return Err(SandboxError::Config(format!(
                "idempotency_window (--idempotency-window-secs) must be at least 1 ms, not {:?}",
                self.idempotency_window
            )));
        }
        let window = WindowConfig::new(self.idempotency_window, self.idempotency_max_entries);
        let env_apps = self.env_apps.map_err(SandboxError::Config)?;
        let mut apps = Apps::default();
        if self.demo_app {
            apps.insert(DEMO_APP_KEY, DEMO_APP_SECRET);
        }
        for (key, secret) in self.apps.iter().chain(env_apps.iter()) {
            if key.trim().is_empty() || secret.is_empty() {
                return Err(SandboxError::Config(
                    "an app needs a non-empty key and secret".to_owned(),
                ));
            }
            apps.insert(key, secret);
        }
        if apps.len() == 0 {
            return Err(SandboxError::Config(
                "no app is configured (the demo app was left out and none was added)".to_owned(),
            ));
        }
        let mut catalog = top_model::Catalog::builtin().map_err(SandboxError::Description)?;
        if let Some(dir) = &self.apis_dir {
            let added = top_model::Catalog::load_dir(dir).map_err(SandboxError::Description)?;
            for description in added.iter() {
                catalog.insert(description.clone());
            }
            tracing::info!(dir = %dir.display(), apis = added.len(), "API descriptions loaded");
        }
        let (store, data) = match &self.state_file {
            Some(path) => {
                let now_ms = self.clock.now().timestamp_millis();
                let (store, data) = Store::open(path, window, now_ms)?;
                (Some(store), data)
            }
            None => (None, Data::with_window(window)),
        };
        let seed = self.seed.unwrap_or_else(|| fastrand::u64(..));
        let shared = Arc::new(Shared {
            apps,
            endpoints: Endpoints::new(&catalog),
            settings: Settings {
                max_blacklist_entries: self.max_blacklist_entries,
                ptnr_token: self.tokens.0,
                tenant_token: self.tokens.1,
                channel_token: self.tokens.2,
            },
            state: Mutex::new(State::new(data, store, seed ^ 0x5EED_C0DE)),
            faults: Faults::new(self.fault_rate, seed),
            limiter: self.qps_limit.map(Limiter::new),
            latency: self.latency,
            clock: self.clock,
            max_body: self.max_body_bytes,
            calls: CallLog::new(self.call_log_capacity),
        });
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: self.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: self.listen,
            source,
        })?;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = router(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "sandbox server stopped");
            }
        });
        tracing::info!(%addr, fault_rate = self.fault_rate, qps_limit = ?self.qps_limit, "sandbox listening");
        Ok(SandboxHandle::new(addr, shared, stop, task))
    }
}
