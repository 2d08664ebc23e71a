//! Code 25 explained: the string the sandbox signed, and which usual mistake the received
//! signature matches. Each mistake is a candidate string (or another key or method) signed
//! with top-core's signer and compared with the received `sign`; the first that matches is
//! named. Nothing computed with a secret is ever shown, only which candidate matched.

use std::collections::HashSet;

use top_core::{Params, SignMethod, Signer};
use top_model::Description;

use crate::apps::{App, Apps};
use crate::explain::{canonical, digest};
use crate::input::decode;
use crate::redact;
use crate::wire::{Wire, WirePair};

/// Everything known about a request whose signature did not match.
pub(crate) struct Refused<'a> {
    /// The parameters verified (blank ones dropped).
    pub(crate) params: &'a Params,
    /// The parameters as they arrived.
    pub(crate) wire: &'a Wire,
    /// The calling app.
    pub(crate) app_key: &'a str,
    pub(crate) app: &'a App,
    /// Every registered app (a signature may be made with another app's secret).
    pub(crate) apps: &'a Apps,
    /// The method the request declares (md5 when it declares none).
    pub(crate) method: SignMethod,
    /// The received `sign`.
    pub(crate) provided: &'a str,
    /// The called method's description, for hiding secrets in what is shown.
    pub(crate) description: Option<&'a Description>,
}

/// A usual mistake, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    /// The right string digested with another method than the declared one.
    OtherMethod(SignMethod),
    /// Signed with `sign_method` set to another method (and digested with it) than the
    /// request sends.
    MethodNotSent(SignMethod),
    /// Blank values included in the signed string.
    EmptySigned(Vec<String>),
    /// URL-encoded values signed; an example (name, raw value, as signed) when one can be
    /// shown.
    UrlEncoded(Option<(String, String, String)>),
    /// Values that arrived still percent-encoded: encoded twice.
    DoubleEncoded(Vec<String>),
    /// Names in the order they were sent.
    AsSent(Vec<String>),
    /// Names in a locale-like order (case and `_` ignored).
    Collated,
    /// One parameter left out of the signed string.
    LeftOut(String),
    /// `name=value&name=value`.
    QueryString,
    /// Signed with another registered app's secret.
    OtherApp(String),
}

/// A candidate: what to sign, with which signer, and the mistake it stands for.
struct Candidate<'s> {
    signer: &'s Signer,
    text: String,
    mistake: Mistake,
}

/// The explanation of a refused signature.
pub(crate) fn explain(refused: &Refused<'_>) -> String {
    let shown = canonical::shown(refused.params, refused.description);
    let formula = canonical::formula(refused.method);
    let signed = format!(
        "The sandbox computed {formula} for sign_method={}, with S = {shown}",
        refused.method
    );
    let provided = refused.provided.trim();
    if provided.is_empty() || !provided.bytes().all(|b| b.is_ascii_hexdigit()) {
        return format!(
            "The sign is not hexadecimal ({} characters): TOP wants the digest's bytes as \
             upper-case hex, 32 digits for md5 and hmac, 64 for hmac-sha256 (not base64). \
             {signed}",
            provided.chars().count()
        );
    }
    let found = candidates(refused)
        .into_iter()
        .find(|c| digest::of_text(c.signer, &c.text).is_some_and(|s| digest::same(&s, provided)));
    match found {
        Some(candidate) => format!("{} {signed}", describe(&candidate.mistake, refused)),
        None => format!("{} {signed}", nothing_matches(refused, provided)),
    }
}

/// The candidates, most telling first.
fn candidates<'s>(refused: &Refused<'s>) -> Vec<Candidate<'s>> {
    let base: Vec<(&str, &str)> = refused
        .params
        .iter()
        .filter(|(k, _)| *k != "sign")
        .collect();
    let seen = Seen {
        base_text: concat(base.iter().copied()),
        base,
        wire: refused.wire.pairs(),
    };
    let mut list = List::default();
    other_methods(refused, &seen, &mut list);
    let signer = refused.app.signer(refused.method);
    let mut own =
        |text: String, mistake: Mistake| list.push(refused.app_key, signer, text, mistake);
    for (text, mistake) in blanks_signed(&seen)
        .into_iter()
        .chain(encoded(refused, &seen))
        .chain(orders(refused, &seen))
        .chain(left_out(&seen))
        .chain(query_strings(&seen))
    {
        own(text, mistake);
    }
    other_apps(refused, &seen, &mut list);
    list.0
}

/// What the candidates are made of: the parameters verified (sorted, without `sign`), their
/// string, and the parameters as they arrived.
struct Seen<'p> {
    base: Vec<(&'p str, &'p str)>,
    base_text: String,
    wire: Vec<WirePair>,
}

/// The candidates so far; a string is signed once per app and method.
#[derive(Default)]
struct List<'s>(Vec<Candidate<'s>>, HashSet<(&'s str, SignMethod, String)>);

impl<'s> List<'s> {
    fn push(
        &mut self,
        app_key: &'s str,
        signer: Option<&'s Signer>,
        text: String,
        mistake: Mistake,
    ) {
        if let Some(signer) = signer
            && self.1.insert((app_key, signer.method(), text.clone()))
        {
            self.0.push(Candidate {
                signer,
                text,
                mistake,
            });
        }
    }
}

/// The right string under another method; the string with `sign_method` set to another
/// method, under that method.
fn other_methods<'s>(refused: &Refused<'s>, seen: &Seen<'_>, list: &mut List<'s>) {
    for other in methods().filter(|m| *m != refused.method) {
        let signer = refused.app.signer(other);
        list.push(
            refused.app_key,
            signer,
            seen.base_text.clone(),
            Mistake::OtherMethod(other),
        );
        let mut declared = refused.params.clone();
        declared.insert("sign_method", other.as_str());
        let text = concat(declared.iter().filter(|(k, _)| *k != "sign"));
        list.push(refused.app_key, signer, text, Mistake::MethodNotSent(other));
    }
}

/// The blank parameters received, all signed, then each alone.
fn blanks_signed(seen: &Seen<'_>) -> Vec<(String, Mistake)> {
    let blanks: Vec<&WirePair> = seen
        .wire
        .iter()
        .filter(|p| p.name != "sign" && top_core::params::is_blank(&p.value))
        .collect();
    let mut sets: Vec<Vec<&WirePair>> = Vec::new();
    if !blanks.is_empty() {
        sets.push(blanks.clone());
    }
    if blanks.len() > 1 {
        sets.extend(blanks.iter().map(|p| vec![*p]));
    }
    sets.into_iter()
        .map(|set| {
            let mut pairs = seen.base.clone();
            pairs.extend(set.iter().map(|p| (p.name.as_str(), p.value.as_str())));
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            let names = set.iter().map(|p| p.name.clone()).collect();
            (concat(pairs), Mistake::EmptySigned(names))
        })
        .collect()
}

/// Values URL-encoded (as received, form encoding, `%20` for spaces); values that arrived
/// still encoded, decoded.
fn encoded(refused: &Refused<'_>, seen: &Seen<'_>) -> Vec<(String, Mistake)> {
    let example = encoded_example(refused);
    let as_received = seen.base.iter().map(|(k, v)| {
        let raw = seen
            .wire
            .iter()
            .find(|p| p.name == *k && p.value == *v)
            .map_or(*v, |p| p.raw.as_str());
        (*k, raw)
    });
    let form: Vec<(&str, String)> = seen
        .base
        .iter()
        .map(|(k, v)| (*k, form_encode(v)))
        .collect();
    let percent20: Vec<(&str, String)> = form
        .iter()
        .map(|(k, v)| (*k, v.replace('+', "%20")))
        .collect();
    let mut out: Vec<(String, Mistake)> = [
        concat(as_received),
        concat(form.iter().map(|(k, v)| (*k, v.as_str()))),
        concat(percent20.iter().map(|(k, v)| (*k, v.as_str()))),
    ]
    .into_iter()
    .filter(|text| *text != seen.base_text)
    .map(|text| (text, Mistake::UrlEncoded(example.clone())))
    .collect();

    let decoded: Vec<(&str, Option<String>)> = seen
        .base
        .iter()
        .map(|(k, v)| {
            let twice = decode(v.as_bytes())
                .ok()
                .filter(|d| v.contains('%') && d != v);
            (*k, twice)
        })
        .collect();
    let names: Vec<String> = decoded
        .iter()
        .filter(|(_, d)| d.is_some())
        .map(|(k, _)| (*k).to_owned())
        .collect();
    if !names.is_empty() {
        let text = concat(
            decoded
                .iter()
                .zip(&seen.base)
                .map(|((k, d), (_, v))| (*k, d.as_deref().unwrap_or(v))),
        );
        out.push((text, Mistake::DoubleEncoded(names)));
    }
    out
}

/// The names in the order they arrived, and in a locale-like order (`_` and case ignored).
fn orders(refused: &Refused<'_>, seen: &Seen<'_>) -> Vec<(String, Mistake)> {
    let mut out = Vec::new();
    let mut met = HashSet::new();
    let as_sent: Vec<(&str, &str)> = seen
        .wire
        .iter()
        .filter(|p| p.name != "sign" && refused.params.get(&p.name) == Some(p.value.as_str()))
        .filter(|p| met.insert(p.name.as_str()))
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    if as_sent.len() == seen.base.len() && as_sent != seen.base {
        let names = as_sent.iter().map(|(k, _)| (*k).to_owned()).collect();
        out.push((concat(as_sent), Mistake::AsSent(names)));
    }
    let mut collated = seen.base.clone();
    collated.sort_by_key(|(k, _)| (k.replace('_', "").to_lowercase(), *k));
    if collated != seen.base {
        out.push((concat(collated), Mistake::Collated));
    }
    out
}

/// The string without one of the parameters, for each.
fn left_out(seen: &Seen<'_>) -> Vec<(String, Mistake)> {
    seen.base
        .iter()
        .map(|(left_out, _)| {
            let text = concat(seen.base.iter().copied().filter(|(k, _)| k != left_out));
            (text, Mistake::LeftOut((*left_out).to_owned()))
        })
        .collect()
}

/// `name=value&...`, with raw and with form-encoded values.
fn query_strings(seen: &Seen<'_>) -> Vec<(String, Mistake)> {
    let form: Vec<(&str, String)> = seen
        .base
        .iter()
        .map(|(k, v)| (*k, form_encode(v)))
        .collect();
    vec![
        (
            query_string(seen.base.iter().copied()),
            Mistake::QueryString,
        ),
        (
            query_string(form.iter().map(|(k, v)| (*k, v.as_str()))),
            Mistake::QueryString,
        ),
    ]
}

/// The right string under each other app's secret.
fn other_apps<'s>(refused: &Refused<'s>, seen: &Seen<'_>, list: &mut List<'s>) {
    let mut others: Vec<(&'s str, &'s App)> = refused
        .apps
        .iter()
        .filter(|(key, _)| *key != refused.app_key)
        .collect();
    others.sort_by_key(|(key, _)| *key);
    for (key, app) in others {
        list.push(
            key,
            app.signer(refused.method),
            seen.base_text.clone(),
            Mistake::OtherApp(key.to_owned()),
        );
    }
}

fn query_string<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn methods() -> impl Iterator<Item = SignMethod> {
    [SignMethod::HmacSha256, SignMethod::Md5, SignMethod::Hmac].into_iter()
}

fn concat<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs.into_iter().fold(String::new(), |mut s, (k, v)| {
        s.push_str(k);
        s.push_str(v);
        s
    })
}

/// `application/x-www-form-urlencoded` of one value (space as `+`), as Java's URLEncoder.
fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A parameter whose encoding shows the mistake and may be shown whole (the timestamp when
/// it changes): name, value, value encoded.
fn encoded_example(refused: &Refused<'_>) -> Option<(String, String, String)> {
    let showable = |(name, value): &(&str, &str)| {
        let encoded = form_encode(value);
        (encoded != *value && redact::param_value(name, value, refused.description) == *value)
            .then(|| ((*name).to_owned(), (*value).to_owned(), encoded))
    };
    let pairs: Vec<(&str, &str)> = refused
        .params
        .iter()
        .filter(|(k, _)| *k != "sign")
        .collect();
    pairs
        .iter()
        .filter(|(k, _)| *k == "timestamp")
        .chain(pairs.iter())
        .find_map(showable)
        .map(|(name, value, encoded)| {
            (
                name,
                redact::shorten(&value, 48),
                redact::shorten(&encoded, 64),
            )
        })
}

fn describe(mistake: &Mistake, refused: &Refused<'_>) -> String {
    let declared = || match refused.params.get("sign_method") {
        Some(_) => format!("declares sign_method={}", refused.method),
        None => "sends no sign_method (md5 is then assumed)".to_owned(),
    };
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("`{}`", redact::shorten(n, 40)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match mistake {
        Mistake::OtherMethod(used) => format!(
            "Found it: the signature is {used} over the right string, but the request {}: \
             compute it with {} or send sign_method={used}.",
            declared(),
            refused.method
        ),
        Mistake::MethodNotSent(used) => format!(
            "Found it: the signature is {used} over the parameters with sign_method={used}, \
             but the request {}: send the sign_method that was signed.",
            declared()
        ),
        Mistake::EmptySigned(names) => format!(
            "Found it: the signature includes the empty value of {}: empty and \
             whitespace-only values are neither sent nor signed (the gateway drops them before \
             checking), so leave them out of the signature and the request.",
            list(names)
        ),
        Mistake::UrlEncoded(example) => {
            let example = example
                .as_ref()
                .map_or(String::new(), |(name, value, encoded)| {
                    format!(" (`{name}` was signed as `{encoded}`, not `{value}`)")
                });
            format!(
                "Found it: the signature was computed over URL-encoded values{example}: sign \
                 the raw values, and encode them only when writing the body."
            )
        }
        Mistake::DoubleEncoded(names) => format!(
            "Found it: {} arrived still percent-encoded, so it was URL-encoded twice; the \
             signature matches the decoded value: encode each value once, when writing the \
             body.",
            list(names)
        ),
        Mistake::AsSent(names) => format!(
            "Found it: the signature covers the parameters in the order they were sent ({}), \
             not sorted: sort the names by byte order (ASCII) before concatenating.",
            list(names)
        ),
        Mistake::Collated => "Found it: the signature covers the names sorted alphabetically \
             ignoring `_` or case (a locale-aware sort): sort them by byte order (ASCII, where \
             `_` comes after upper-case letters and before lower-case ones)."
            .to_owned(),
        Mistake::LeftOut(name) => format!(
            "Found it: the signature matches the parameters without `{}`: it was computed \
             before `{}` was added. Sign every parameter that is sent, except `sign`.",
            redact::shorten(name, 40),
            redact::shorten(name, 40)
        ),
        Mistake::QueryString => "Found it: the signature is over `name=value&name=value...` (a \
             query string): TOP signs the names and values concatenated, with no `=` or `&`."
            .to_owned(),
        Mistake::OtherApp(key) => format!(
            "Found it: the signature was made with the secret of app_key {key}, but the request \
             says app_key {}: use one app's key and secret together.",
            redact::shorten(refused.app_key, 40)
        ),
    }
}

fn nothing_matches(refused: &Refused<'_>, provided: &str) -> String {
    let expected = match refused.method {
        SignMethod::HmacSha256 => 64,
        _ => 32,
    };
    let length = if provided.len() == expected {
        String::new()
    } else {
        format!(
            " The sign has {} hex digits where {} gives {expected}.",
            provided.len(),
            refused.method
        )
    };
    let non_ascii: Vec<String> = refused
        .params
        .iter()
        .filter(|(k, v)| *k != "sign" && !v.is_ascii())
        .map(|(k, _)| format!("`{}`", redact::shorten(k, 40)))
        .collect();
    let non_ascii = if non_ascii.is_empty() {
        String::new()
    } else {
        format!(
            " {} holds non-ASCII characters: sign the UTF-8 bytes of the string, not GBK or \
             the platform's default encoding.",
            non_ascii.join(", ")
        )
    };
    format!(
        "No usual mistake matches (another sign_method, empty values signed, URL-encoded \
         values, unsorted names, a parameter left out, `=` and `&` between pairs, another \
         app's secret): the secret used is most likely not the secret of app_key {}, or the \
         string signed differs from the sandbox's; compare them.{length}{non_ascii}",
        redact::shorten(refused.app_key, 40)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;

    proptest::proptest! {
        #[test]
        fn any_request_is_explained_without_panic(
            pairs in proptest::collection::vec(("(sign|sign_method|timestamp|[a-z_]{1,6}|.{1,4})", ".{0,12}"), 0..8),
            sign in "[0-9A-Fa-f]{0,70}|.{0,8}",
            method in proptest::sample::select(vec![SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256]),
        ) {
            let mut apps = Apps::default();
            apps.insert("k", "s");
            apps.insert("other", "t");
            let params: Params = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                form.append_pair(k, v);
            }
            let mut wire = Wire::with_query(Some("a=%zz&b="));
            wire.set_form(Bytes::from(form.finish()));
            let refused = Refused {
                params: &params,
                wire: &wire,
                app_key: "k",
                app: apps.get("k").unwrap(),
                apps: &apps,
                method,
                provided: &sign,
                description: None,
            };
            let hint = explain(&refused);
            proptest::prop_assert!(!hint.is_empty());
        }
    }
}
