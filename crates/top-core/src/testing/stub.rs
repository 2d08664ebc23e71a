//! `StubTransport`: typed answers per API, typed records of what was sent.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::form_de::from_form;
use super::reply::{self, Reply};
use crate::client::SYSTEM_PARAMS;
use crate::error::Error;
use crate::request::TopRequest;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// A [`Transport`] that answers each API with typed stubs, as the gateway would, and keeps
/// the typed requests it received: unit tests of code built on top-core need no envelope
/// text, no fixture and no server.
///
/// Give it to a client with [`crate::TopClientBuilder::transport`]; the client runs as in
/// production (validation, flattening, signing, encoding, envelope parsing, error mapping,
/// retry). The stub reads the signed form back into the request type, calls the rule of its
/// method, and writes the answer in the format the client asked for: simplified JSON,
/// enveloped JSON (lists in TOP's wrappers) or XML.
///
/// * [`on`](Self::on) answers with a handler `Fn(&R) -> Result<R::Response, Error>`;
///   [`on_json`](Self::on_json) with canned JSON.
/// * Rules of one API form a sequence: each request takes the next answer and the last one
///   repeats. So `on(A)` answers every call with A, and `on(A).on(B)` answers A to the first
///   call and B to every later one (a failure, then a successful retry).
/// * [`calls`](Self::calls) returns the typed requests received in order, every attempt
///   included (a retried call appears once per attempt); [`call_count`](Self::call_count)
///   counts them.
/// * A request of an API without a rule fails loudly: an `error_response` with code 22
///   whose message names the method and the stubbed ones.
///
/// Clones share their rules and records: keep one to inspect, give one to the client.
///
/// # Errors a handler returns
///
/// | handler returns | the stub answers | the client returns |
/// |---|---|---|
/// | `Ok(response)` | the response (with `request_id` [`REQUEST_ID`](Self::REQUEST_ID) when it has none) | `Ok`, or [`Error::Business`] when the response reports a failure |
/// | [`Error::Api`] | an `error_response` with every field (`request_id` filled in when `None`) | [`Error::Api`] with the same fields (code 7 gives [`Error::RateLimited`]) |
/// | [`Error::RateLimited`] | an `error_response` with code 7; its `sub_msg` states the ban ("This ban will last for N more seconds") unless the error already does | [`Error::RateLimited`] after the client's own waiting and retries |
/// | [`Error::Transport`] | no answer: `send` fails with that error | [`Error::Transport`] (a timeout, a lost connection, a connect failure) |
/// | [`Error::Http`] | HTTP `status` with `body_snippet` as the body | [`Error::Http`] (a 400 whose body is a TOP answer is read as that answer, as always) |
/// | [`Error::Decode`] | HTTP 200 with a body that is neither JSON nor XML | [`Error::Decode`] |
/// | [`Error::Business`] | its typed response, if it carries one (`with_response`) | [`Error::Business`], derived again from that response |
/// | anything else | a loud `error_response`, code 15, naming the method | [`Error::Api`] |
///
/// A request the stub cannot read as its rule's type gets a loud code 41, a response that
/// does not serialize a loud code 15. The stub never panics; a handler that panics is the
/// test's own business.
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use top_core::testing::StubTransport;
/// use top_core::{ApiError, Error, TopClient, TopRequest, TopResponse};
///
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// struct TagUser { alipay_user_id: String }
///
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// struct Tagged { result: Option<bool> }
/// impl TopResponse for Tagged {}
///
/// impl TopRequest for TagUser {
///     const METHOD: &'static str = "taobao.retail.user.tag.mobile.add";
///     type Response = Tagged;
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let stub = StubTransport::new();
/// stub.on::<TagUser>(|request| match request.alipay_user_id.as_str() {
///     "2088000000000001" => Ok(Tagged { result: Some(true) }),
///     _ => Err(Error::Api(
///         ApiError::new(15, "Remote service error").with_sub_code("isv.user-not-exist"),
///     )),
/// });
/// let client = TopClient::builder().app_key("k").app_secret("s").transport(stub.clone()).build()?;
///
/// let tagged = client.execute(&TagUser { alipay_user_id: "2088000000000001".into() }).await?;
/// assert_eq!(tagged.result, Some(true));
/// let refused = client.execute(&TagUser { alipay_user_id: "2088000000000002".into() }).await;
/// assert!(matches!(refused, Err(Error::Api(e)) if e.sub_code.as_deref() == Some("isv.user-not-exist")));
///
/// assert_eq!(stub.call_count::<TagUser>(), 2);
/// assert_eq!(stub.calls::<TagUser>()[1].alipay_user_id, "2088000000000002");
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct StubTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    rules: BTreeMap<&'static str, Rule>,
    received: Vec<Received>,
}

/// The answers of one method, in order, and how many requests it has answered.
struct Rule {
    answers: Vec<Arc<Answer>>,
    served: usize,
}

/// Answers one request from its business parameters.
type Answer = dyn Fn(&[(String, String)]) -> Reply + Send + Sync;

/// A request as received: its method and business parameters (no system parameters, so no
/// session and no signature).
struct Received {
    method: String,
    params: Vec<(String, String)>,
}

impl StubTransport {
    /// The `request_id` of every answer whose response or error carries none.
    pub const REQUEST_ID: &'static str = reply::REQUEST_ID;

    /// A stub with no rules: every request fails loudly until its API is stubbed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an answer for `R` ([`R::METHOD`](TopRequest::METHOD)): `handler` gets the request
    /// as the gateway received it, read back into `R`, and returns the response or the error
    /// the client should see (see the table on [`StubTransport`]). Answers added for one API
    /// are given in order and the last one repeats.
    ///
    /// ```
    /// # use serde::{Deserialize, Serialize};
    /// # use top_core::{Error, TopClient, TopRequest, TopResponse, TransportError, TransportErrorKind};
    /// # #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    /// # struct SyncBatch { batch_id: String }
    /// # #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    /// # struct Synced { success: bool }
    /// # impl TopResponse for Synced {}
    /// # impl TopRequest for SyncBatch {
    /// #     const METHOD: &'static str = "taobao.demo.sync";
    /// #     type Response = Synced;
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// use top_core::testing::StubTransport;
    ///
    /// // The connection fails once, then the retry succeeds (a connect failure is always
    /// // retried: nothing was sent).
    /// let stub = StubTransport::new();
    /// stub.on::<SyncBatch>(|_| Err(TransportError::from_kind(TransportErrorKind::Connect).into()))
    ///     .on::<SyncBatch>(|_| Ok(Synced { success: true }));
    /// let client = TopClient::builder().app_key("k").app_secret("s").transport(stub.clone()).build()?;
    /// assert!(client.execute(&SyncBatch { batch_id: "b1".into() }).await?.success);
    /// assert_eq!(stub.calls::<SyncBatch>(), [SyncBatch { batch_id: "b1".into() }, SyncBatch { batch_id: "b1".into() }]);
    /// # Ok(()) }
    /// ```
    pub fn on<R>(
        &self,
        handler: impl Fn(&R) -> Result<R::Response, Error> + Send + Sync + 'static,
    ) -> &Self
    where
        R: TopRequest + DeserializeOwned + 'static,
        R::Response: Serialize,
    {
        self.add(
            R::METHOD,
            Arc::new(move |params: &[(String, String)]| match read::<R>(params) {
                Ok(request) => match handler(&request) {
                    Ok(response) => Reply::response(R::METHOD, &response),
                    Err(error) => Reply::error::<R::Response>(R::METHOD, error),
                },
                Err(reply) => reply,
            }),
        )
    }

    /// Adds a canned answer for `R`: the response content (bare, or in its
    /// `<method>_response` envelope), or `{"error_response": {...}}`. It is written in the
    /// client's format like any answer. Sequences work as with [`on`](Self::on).
    ///
    /// ```
    /// # use serde::{Deserialize, Serialize};
    /// # use top_core::{Error, TopClient, TopRequest, TopResponse};
    /// # #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    /// # struct TagUser { open_id: String }
    /// # #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    /// # struct Tagged { result: Option<bool> }
    /// # impl TopResponse for Tagged {}
    /// # impl TopRequest for TagUser {
    /// #     const METHOD: &'static str = "taobao.retail.user.tag.mobile.add";
    /// #     type Response = Tagged;
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// use serde_json::json;
    /// use top_core::testing::StubTransport;
    ///
    /// let stub = StubTransport::new();
    /// stub.on_json::<TagUser>(json!({"error_response": {"code": 11, "msg": "Insufficient isv permissions"}}))
    ///     .on_json::<TagUser>(json!({"result": true}));
    /// let client = TopClient::builder().app_key("k").app_secret("s").transport(stub.clone()).build()?;
    /// let request = TagUser { open_id: "oid".into() };
    /// assert!(matches!(client.execute(&request).await, Err(Error::Api(e)) if e.code == 11));
    /// assert_eq!(client.execute(&request).await?.result, Some(true));
    /// # Ok(()) }
    /// ```
    pub fn on_json<R>(&self, answer: Value) -> &Self
    where
        R: TopRequest + DeserializeOwned + 'static,
    {
        self.add(
            R::METHOD,
            Arc::new(move |params: &[(String, String)]| match read::<R>(params) {
                Ok(_) => Reply::json(R::METHOD, answer.clone()),
                Err(reply) => reply,
            }),
        )
    }

    /// The requests of `R`'s API received so far, read back into `R`, in order: every
    /// attempt, so a call the client retried appears once per attempt. A request that does
    /// not read as `R` (sent with another type of the same method) is left out.
    pub fn calls<R: TopRequest + DeserializeOwned>(&self) -> Vec<R> {
        self.lock()
            .received
            .iter()
            .filter(|r| r.method == R::METHOD)
            .filter_map(|r| from_form(&r.params).ok())
            .collect()
    }

    /// How many requests of `R`'s API were received, every attempt, stubbed or not.
    pub fn call_count<R: TopRequest>(&self) -> usize {
        self.lock()
            .received
            .iter()
            .filter(|r| r.method == R::METHOD)
            .count()
    }

    fn add(&self, method: &'static str, answer: Arc<Answer>) -> &Self {
        self.lock()
            .rules
            .entry(method)
            .or_insert_with(|| Rule {
                answers: Vec::new(),
                served: 0,
            })
            .answers
            .push(answer);
        self
    }

    /// The state, even after a panic elsewhere: records are plain data and stay consistent.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the request and picks its answer, or the loud error of an unstubbed method.
    fn answer_for(&self, method: &str, params: &[(String, String)]) -> Result<Arc<Answer>, Reply> {
        let mut state = self.lock();
        state.received.push(Received {
            method: method.to_owned(),
            params: params.to_vec(),
        });
        if let Some(rule) = state.rules.get_mut(method) {
            let next = rule.served.min(rule.answers.len().saturating_sub(1));
            rule.served += 1;
            if let Some(answer) = rule.answers.get(next) {
                return Ok(Arc::clone(answer));
            }
        }
        let stubbed: Vec<String> = state.rules.keys().map(|m| format!("`{m}`")).collect();
        let stubbed = if stubbed.is_empty() {
            "none".to_owned()
        } else {
            stubbed.join(", ")
        };
        Err(Reply::misuse(
            22,
            format!("Invalid Method: StubTransport has no rule for `{method}`; stubbed: {stubbed}"),
        ))
    }
}

/// The request read back into `R`, or a loud code 41 naming what did not fit.
fn read<R: TopRequest + DeserializeOwned>(params: &[(String, String)]) -> Result<R, Reply> {
    from_form(params).map_err(|e| {
        Reply::misuse(
            41,
            format!(
                "Invalid Arguments: StubTransport could not read the request of `{}` as `{}`: {e}",
                R::METHOD,
                std::any::type_name::<R>()
            ),
        )
    })
}

#[async_trait::async_trait]
impl Transport for StubTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let form: Vec<(String, String)> =
            form_urlencoded::parse(&request.body).into_owned().collect();
        let format = reply::requested_format(&form);
        let method = form
            .iter()
            .find(|(name, _)| name == "method")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        let params: Vec<(String, String)> = form
            .into_iter()
            .filter(|(name, _)| !SYSTEM_PARAMS.contains(&name.as_str()))
            .collect();
        // The handler runs without the lock, so it may use the stub itself.
        let reply = match self.answer_for(&method, &params) {
            Ok(answer) => answer(&params),
            Err(reply) => reply,
        };
        reply.render(&method, format)
    }
}

/// The stubbed methods and the number of requests; never the requests, which carry secrets.
impl fmt::Debug for StubTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("StubTransport")
            .field("stubbed", &state.rules.keys().collect::<Vec<_>>())
            .field("received", &state.received.len())
            .finish()
    }
}
