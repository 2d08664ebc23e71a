//! The router's system-parameter checks, in its order: method (21/22), format (23),
//! app_key (28/29), timestamp (30/31), v (32/33), sign (24/25).

use chrono::{DateTime, TimeDelta, Utc};
use top_core::{Params, SignMethod};

use crate::apps::Apps;
use crate::codes::TopError;
use crate::endpoint::{Endpoint, Endpoints};
use crate::explain;
use crate::redact;
use crate::reply::WireFormat;
use crate::wire::Wire;

/// Largest accepted distance between a request's timestamp and the sandbox clock.
pub(crate) const MAX_SKEW: TimeDelta = TimeDelta::minutes(10);

/// A request that passed every system check.
#[derive(Debug)]
pub(crate) struct Call<'p, 'e> {
    /// The method called (one that is described).
    pub(crate) endpoint: &'e Endpoint,
    pub(crate) app_key: &'p str,
    pub(crate) format: WireFormat,
}

/// Runs the checks; the error is answered in the format the request asks for (XML when that
/// is unknown), with the sandbox's explanation. A method exists when it is described. `wire`
/// (the parameters as they arrived) is read only to explain a refused signature.
pub(crate) fn check<'p, 'e>(
    params: &'p Params,
    wire: &Wire,
    apps: &Apps,
    endpoints: &'e Endpoints,
    now: DateTime<Utc>,
) -> Result<Call<'p, 'e>, TopError> {
    let method = params.get("method").ok_or_else(TopError::missing_method)?;
    let endpoint = endpoints.get(method).ok_or_else(|| {
        TopError::invalid_method(method).with_hint(explain::method(method, endpoints))
    })?;

    let format = params.get("format");
    let format = WireFormat::parse(format, params.get("simplify"))
        .map_err(|()| TopError::invalid_format(format.unwrap_or_default()))?;

    let app_key = params
        .get("app_key")
        .ok_or_else(TopError::missing_app_key)?;
    let app = apps.get(app_key).ok_or_else(TopError::invalid_app_key)?;

    let timestamp = params
        .get("timestamp")
        .ok_or_else(TopError::missing_timestamp)?;
    let at = top_core::time::parse_timestamp(timestamp).ok_or_else(|| {
        TopError::invalid_timestamp(
            "timestamp must be `yyyy-MM-dd HH:mm:ss` (GMT+8) or epoch milliseconds",
        )
        .with_hint(explain::timestamp(timestamp, now))
    })?;
    let skew = (at - now).abs();
    if skew > MAX_SKEW {
        return Err(TopError::invalid_timestamp(
            "timestamp is more than 10 minutes away from the gateway time (GMT+8)",
        )
        .with_hint(explain::timestamp(timestamp, now)));
    }

    let version = params.get("v").ok_or_else(TopError::missing_version)?;
    if version.trim() != "2.0" {
        return Err(TopError::invalid_version(version));
    }

    let provided = params.get("sign").ok_or_else(TopError::missing_signature)?;
    let unknown_method = |name: &str| {
        TopError::invalid_signature("sign_method must be md5, hmac or hmac-sha256").with_hint(
            format!(
                "sign_method `{}` is not one TOP knows: send md5, hmac (HMAC-MD5) or \
                 hmac-sha256, naming the digest the signature was computed with",
                redact::printable(name, 32)
            ),
        )
    };
    let sign_method = match params.get("sign_method") {
        None => SignMethod::Md5,
        Some(name) => name
            .parse::<SignMethod>()
            .map_err(|_| unknown_method(name))?,
    };
    let signer = app
        .signer(sign_method)
        .ok_or_else(|| unknown_method(sign_method.as_str()))?;
    if !signer.verify(params, provided) {
        let hint = explain::signature(&explain::Refused {
            params,
            wire,
            app_key,
            app,
            apps,
            method: sign_method,
            provided,
            description: Some(endpoint.description()),
        });
        return Err(
            TopError::invalid_signature("the signature does not match the parameters")
                .with_hint(hint),
        );
    }
    Ok(Call {
        endpoint,
        app_key,
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use top_core::Signer;

    fn endpoints() -> Endpoints {
        Endpoints::new(&top_model::Catalog::builtin().unwrap())
    }

    fn apps() -> Apps {
        let mut apps = Apps::default();
        apps.insert("k", "s");
        apps
    }

    fn now() -> DateTime<Utc> {
        top_core::time::parse_gmt8("2024-01-01 12:00:00").unwrap()
    }

    fn signed(extra: &[(&str, &str)], method: SignMethod) -> Params {
        let mut p: Params = [
            ("method", "taobao.retail.user.tag.mobile.add"),
            ("app_key", "k"),
            ("timestamp", "2024-01-01 12:05:00"),
            ("v", "2.0"),
            ("format", "json"),
            ("sign_method", method.as_str()),
            ("alipay_user_id", "2088000000000001"),
        ]
        .into_iter()
        .collect();
        for (k, v) in extra {
            p.insert(*k, *v);
        }
        let sign = Signer::new("s", method).sign(&p);
        p.insert("sign", sign);
        p
    }

    #[test]
    fn accepts_all_three_methods() {
        for m in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            let p = signed(&[], m);
            let endpoints = endpoints();
            let call = check(&p, &Wire::default(), &apps(), &endpoints, now()).unwrap();
            assert_eq!(call.endpoint.method(), "taobao.retail.user.tag.mobile.add");
            assert_eq!(call.format, WireFormat::Json { simplify: false });
        }
    }

    #[test]
    fn codes_in_router_order() {
        let endpoints = endpoints();
        let code = |p: &Params| {
            check(p, &Wire::default(), &apps(), &endpoints, now())
                .unwrap_err()
                .code
        };
        let mut p = signed(&[], SignMethod::Md5);
        p.insert("format", "yaml");
        p.remove("method");
        assert_eq!(code(&p), 21);
        p.insert("method", "x.y");
        assert_eq!(code(&p), 22);
        p.insert("method", "taobao.retail.user.tag.mobile.add");
        assert_eq!(code(&p), 23);
        p.insert("format", "xml");
        p.remove("app_key");
        assert_eq!(code(&p), 28);
        p.insert("app_key", "nope");
        assert_eq!(code(&p), 29);
        p.insert("app_key", "k");
        p.remove("timestamp");
        assert_eq!(code(&p), 30);
        p.insert("timestamp", "2024-01-01 12:10:01");
        assert_eq!(code(&p), 31);
        p.insert("timestamp", "1704081600000");
        p.remove("v");
        assert_eq!(code(&p), 32);
        p.insert("v", "1.0");
        assert_eq!(code(&p), 33);
        p.insert("v", "2.0");
        p.remove("sign");
        assert_eq!(code(&p), 24);
        p.insert("sign", "00");
        assert_eq!(code(&p), 25);
        p.insert("sign_method", "sha1");
        assert_eq!(code(&p), 25);
    }

    proptest::proptest! {
        #[test]
        fn checks_never_panic(pairs in proptest::collection::vec(("(method|app_key|timestamp|v|sign|sign_method|format|simplify|[a-z]{1,4})", ".{0,30}"), 0..10)) {
            let p: Params = pairs.into_iter().collect();
            static ENDPOINTS: std::sync::LazyLock<Endpoints> = std::sync::LazyLock::new(endpoints);
            let _ = check(&p, &Wire::default(), &apps(), &ENDPOINTS, now());
        }
    }
}
