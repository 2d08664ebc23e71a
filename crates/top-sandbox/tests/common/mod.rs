//! Hand-built TOP requests for the sandbox tests: signed with top-core's signer, sent with a
//! bare reqwest client, answers read with top-core's envelope decoder.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use serde_json::{Value, json};
use top_core::time::format_gmt8;
use top_core::{ApiError, Error, Params, SignMethod, Signer};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxHandle};

pub const TAG: &str = "taobao.retail.user.tag.mobile.add";
pub const BLACKLIST: &str = "taobao.logistics.express.user.blacklist.tms.sync";
pub const DAMAI: &str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";
pub const CRM: &str = "alibaba.alsc.crm.customer.create";

/// A sandbox with the defaults.
pub async fn start() -> SandboxHandle {
    Sandbox::builder().start().await.unwrap()
}

/// A plain client that never decompresses by itself.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_gzip().build().unwrap()
}

/// A call under construction: system parameters of the demo app, JSON simplified,
/// hmac-sha256, timestamp now.
#[derive(Clone, Debug)]
pub struct Call {
    pub params: Params,
    pub secret: String,
    pub sign_method: SignMethod,
}

impl Call {
    pub fn new(method: &str) -> Self {
        let mut params = Params::new();
        params.insert("method", method);
        params.insert("app_key", DEMO_APP_KEY);
        params.insert("timestamp", format_gmt8(chrono::Utc::now()));
        params.insert("v", "2.0");
        params.insert("format", "json");
        params.insert("simplify", "true");
        params.insert("sign_method", "hmac-sha256");
        Call {
            params,
            secret: DEMO_APP_SECRET.to_owned(),
            sign_method: SignMethod::HmacSha256,
        }
    }

    pub fn param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.insert(name, value.into());
        self
    }

    pub fn without(mut self, name: &str) -> Self {
        self.params.remove(name);
        self
    }

    /// `format=json` without `simplify`.
    pub fn enveloped(self) -> Self {
        self.without("simplify")
    }

    /// `format=xml`.
    pub fn xml(self) -> Self {
        self.without("simplify").param("format", "xml")
    }

    pub fn sign_method(mut self, method: SignMethod) -> Self {
        self.sign_method = method;
        self.params.insert("sign_method", method.as_str());
        self
    }

    pub fn secret(mut self, secret: &str) -> Self {
        self.secret = secret.to_owned();
        self
    }

    /// The parameters with `sign`.
    pub fn signed(&self) -> Params {
        let mut p = self.params.clone();
        let sign = Signer::new(&self.secret, self.sign_method).sign(&p);
        p.insert("sign", sign);
        p
    }

    /// POSTs everything in the form body (the taobao-top layout); returns status and body.
    pub async fn send(&self, sandbox: &SandboxHandle) -> (u16, String) {
        post_form(&sandbox.url(), self.signed().to_form()).await
    }

    /// Sends and reads a successful answer's content with top-core's decoder.
    pub async fn ok(&self, sandbox: &SandboxHandle) -> Value {
        let (status, body) = self.send(sandbox).await;
        assert_eq!(status, 200, "{body}");
        let method = self.params.get("method").unwrap_or_default().to_owned();
        top_core::envelope::decode_content(&method, body.as_bytes())
            .unwrap_or_else(|e| panic!("expected a success, got {e}: {body}"))
    }

    /// Sends and reads the `error_response`.
    pub async fn err(&self, sandbox: &SandboxHandle) -> ApiError {
        let (status, body) = self.send(sandbox).await;
        assert_eq!(status, 200, "{body}");
        api_error(&body)
    }
}

/// Posts as the official Java and Python SDKs do: `system` parameters and the md5 `sign` over
/// the union in the URL query, `business` parameters in the form body, with extra `headers`.
/// Returns the answer's text.
pub async fn post_split(
    sandbox: &SandboxHandle,
    system: &[(&str, String)],
    business: &[(&str, String)],
    headers: &[(&str, &str)],
) -> String {
    let mut all: Params = system.iter().cloned().collect();
    all.extend(business.iter().cloned());
    let sign = Signer::new(DEMO_APP_SECRET, SignMethod::Md5).sign(&all);
    let mut query: Params = system.iter().cloned().collect();
    query.insert("sign", sign);
    let body: Params = business.iter().cloned().collect();
    let mut request = client()
        .post(format!("{}?{}", sandbox.url(), query.to_form()))
        .header(
            "Content-Type",
            "application/x-www-form-urlencoded;charset=UTF-8",
        );
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .body(body.to_form())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub async fn post_form(url: &str, body: String) -> (u16, String) {
    let response = client()
        .post(url)
        .header(
            "content-type",
            "application/x-www-form-urlencoded;charset=utf-8",
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Reads an `error_response` (JSON or XML) with top-core's decoder.
pub fn api_error(body: &str) -> ApiError {
    match top_core::envelope::decode_content("x.y", body.as_bytes()) {
        Err(Error::Api(e)) => e,
        Err(Error::RateLimited { error, .. }) => *error,
        other => panic!("expected an error_response, got {other:?}: {body}"),
    }
}

/// `user_blacklist_request` JSON.
pub fn blacklist_request(
    request_id: &str,
    supplier: &str,
    operate: i64,
    entries: &[(&str, Option<&str>)],
) -> String {
    let list: Vec<Value> = entries
        .iter()
        .map(|(mobile, reason)| match reason {
            Some(r) => json!({"mobile": mobile, "reason": r}),
            None => json!({"mobile": mobile}),
        })
        .collect();
    json!({
        "ability_type": "1",
        "blacklist": list,
        "operate_type": operate,
        "request_id": request_id,
        "request_time": 1656674541001_i64,
        "service_type": "1",
        "supplier_id": supplier,
    })
    .to_string()
}

pub fn blacklist_call(
    request_id: &str,
    supplier: &str,
    operate: i64,
    entries: &[(&str, Option<&str>)],
) -> Call {
    Call::new(BLACKLIST).param(
        "user_blacklist_request",
        blacklist_request(request_id, supplier, operate, entries),
    )
}

/// `param0` of the Damai call, with the default tokens.
pub fn damai_param(phone: &str, code: &str, password: &str, code_type: i64) -> String {
    json!({
        "auth_code": code,
        "channel_token": top_sandbox::DEMO_CHANNEL_TOKEN,
        "code_type": code_type,
        "ptnr_token": top_sandbox::DEMO_PTNR_TOKEN,
        "tenant_token": top_sandbox::DEMO_TENANT_TOKEN,
        "user_login_password": password,
        "user_phone": phone,
    })
    .to_string()
}

pub fn crm_param(request_id: &str, outer_id: &str) -> String {
    json!({
        "channel": "2",
        "customer_type": 0,
        "mobile": "13411111111",
        "name": "王小二",
        "outer_id": outer_id,
        "outer_type": "mobile",
        "request_id": request_id,
        "tag_id_list": ["爱吃辣", "t2"],
        "birthday": "2010-01-01 00:00:00",
        "remark": "a/b",
    })
    .to_string()
}

/// POSTs JSON to a control endpoint; returns the status and the JSON answer.
pub async fn post_json(url: &str, value: &Value) -> (u16, Value) {
    let response = client()
        .post(url)
        .header("content-type", "application/json")
        .body(value.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Starts the `top-sandbox` binary with `args` on a free port, with none of the sandbox's
/// environment variables; returns it and its gateway URL (from its first line).
pub async fn spawn_binary(args: &[&str]) -> (std::process::Child, String) {
    spawn_binary_with(args, |_| {}).await
}

/// [`spawn_binary`], with `configure` setting the command's environment or stderr last.
pub async fn spawn_binary_with(
    args: &[&str],
    configure: impl FnOnce(&mut std::process::Command),
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut command = Command::new(env!("CARGO_BIN_EXE_top-sandbox"));
    command
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("TOP_SANDBOX_APPS")
        .env_remove("TOP_SANDBOX_STATE")
        .env_remove("TOP_SANDBOX_LISTEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    configure(&mut command);
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, url)
}
