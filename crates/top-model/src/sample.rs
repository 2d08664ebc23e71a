//! A sample request of a description: business parameters, as typed JSON, that pass every
//! rule of the description ([`Description::check_json`]), for documentation, the sandbox and
//! tests that need one valid call of any described API.
//!
//! How each value is chosen is said on [`Description::sample_request`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use top_core::params::is_blank;
use top_core::rules::Rule;

use crate::description::{Description, Side, format_rule};
use crate::overlay::{Condition, CrossRule, Redact, Then, Wire};
use crate::type_ref::TypeRef;
use crate::value::{MAX_INDEX, at_path, parent_at_mut, scalar, text_of, typed};
use crate::vendor::VendorParam;

/// A mainland mobile number that every mobile rule accepts.
const MOBILE: &str = "13800138000";
/// A plausible e-mail address.
const EMAIL: &str = "user@example.com";
/// Plain text.
const TEXT: &str = "sample";
/// A placeholder secret: letters and digits, no white space, 9 characters.
const SECRET: &str = "Secret123";
/// A day in the past, as texts that hold a date write it.
const DAY: &str = "1990-01-01";
/// A GMT+8 date and time in the past.
const DATE: &str = "1990-01-01 00:00:00";
/// A decimal amount.
const PRICE: &str = "1.00";
/// A JSON text.
const JSON: &str = "{}";
/// The longest text built to meet a length rule: a rule asking for more is not sampled
/// rather than allocated.
const MAX_SAMPLE_CHARS: usize = 100_000;

/// The most values a sample holds: nested lists whose `min_items` multiply past it are not
/// sampled rather than built for ever.
const MAX_VALUES: usize = 100_000;

/// Why no sample request could be made, naming the member path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SampleError {
    /// No value of a required member meets its type and rules (`max_chars = 0`, `min` above
    /// `max`, a file upload...), or a rule across members cannot be met.
    #[error("{path}: no valid value can be made: {reason}")]
    NoValue {
        /// The member path as the overlay writes it (`req.entries[].mobile`), or the members
        /// of a rule across members joined by `|`.
        path: String,
        /// Why.
        reason: String,
    },
    /// The sample breaks a rule of the description that no value choice here accounts for
    /// (the description's check has the last word).
    #[error("{path}: the sample breaks a rule of the description: {rule}")]
    Check {
        /// The field as the check names it (`req.entries[0].mobile`).
        path: String,
        /// The broken rule.
        rule: String,
    },
}

impl SampleError {
    /// The member path at fault.
    pub fn path(&self) -> &str {
        match self {
            SampleError::NoValue { path, .. } | SampleError::Check { path, .. } => path,
        }
    }
}

fn no_value(path: &str, reason: impl Into<String>) -> SampleError {
    SampleError::NoValue {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

impl Description {
    /// A request that passes every rule of the description: the business parameters as
    /// typed JSON, top-level parameters as members, object parameters as nested objects,
    /// lists as arrays, numbers as JSON numbers (the shape [`check_json`](Self::check_json)
    /// reads and the generated request types serialize to).
    ///
    /// Values are chosen member by member, the first that fits the member's type and every rule
    /// of it (`Description::rules_of`) winning:
    ///
    /// 1. the vendor's `example`, typed as the member is declared (`"1656674541001"` of a `Number`
    ///    is the number);
    /// 2. the overlay's `default`;
    /// 3. what the rules ask for: the enum's codes in the enum's wire form (JSON numbers for
    ///    `wire = "number"`), the first code of a comma list of codes, `13800138000` for a
    ///    mainland mobile, `user@example.com` for an e-mail, `{}` for a JSON text, digits for a
    ///    digit count;
    /// 4. what the member says of itself: a mobile for a member redacted as one, `Secret123` for
    ///    a secret, `1990-01-01` for a text named like a birthday or a date;
    /// 5. what its type suggests: `sample` for a text (cut or repeated to the length rules),
    ///    `1` for a number (else the range's ends), `true`, `1990-01-01 00:00:00` for a date
    ///    (else the `not_before` day), `1.00` for a price, `{}` for JSON, a field of the answer
    ///    for a field list.
    ///
    /// Objects get their members; lists get as many entries as `min_items` asks (at least one),
    /// entries of a member declared `unique` differing in it. Required members always get a
    /// value, or the sample fails naming them; optional members get one too, since a fuller
    /// sample exercises more of the description, unless no value of them meets their rules
    /// (then they are left out, which is always valid). File uploads (`byte[]`) are never
    /// sampled.
    ///
    /// Rules across members then hold: a `when` rule that the sample triggers gets its member a
    /// value of the required format (else the triggering member is left out, or given another
    /// value); an `at_least_one_of` group none of whose members could be given is filled with the
    /// first member that can be. The result is checked with [`Description::check_json`] before it
    /// is returned.
    ///
    /// ```
    /// # use top_model::{Description, Overlay, VendorApi};
    /// let vendor = VendorApi::from_json(r#"{"name":"taobao.demo.add","requestParams":[
    ///   {"name":"user","type":"DemoUser","required":true,"subParams":[
    ///     {"name":"mobile","type":"String","required":true},
    ///     {"name":"age","type":"Number","example":"30"}]}]}"#)?;
    /// let overlay = Overlay::from_toml(r#"
    /// crate = "demo"
    /// summary = "Adds a user."
    /// [members."user.mobile"]
    /// format = "mainland_mobile"
    /// "#).unwrap();
    /// let api = Description::new(vendor, overlay)?;
    /// let sample = api.sample_request().unwrap();
    /// assert_eq!(serde_json::Value::Object(sample.clone()),
    ///     serde_json::json!({"user": {"mobile": "13800138000", "age": 30}}));
    /// assert!(api.check_json(&sample).is_ok());
    /// # Ok::<(), top_model::ModelError>(())
    /// ```
    ///
    /// # Errors
    /// A [`SampleError`] naming the member whose rules no value meets.
    pub fn sample_request(&self) -> Result<Map<String, Value>, SampleError> {
        let mut sampler = Sampler {
            d: self,
            taken: BTreeMap::new(),
            made: 0,
        };
        let members = sampler.members(&self.vendor.request_params, "")?;
        let mut root = Value::Object(members);
        sampler.settle_cross_rules(&mut root)?;
        let Value::Object(sample) = root else {
            return Err(no_value("$", "the request is not a JSON object"));
        };
        self.check_json(&sample).map_err(|e| SampleError::Check {
            path: e.field.into_owned(),
            rule: e.rule.into_owned(),
        })?;
        Ok(sample)
    }
}

struct Sampler<'a> {
    d: &'a Description,
    /// Values already given to members declared unique within their list, by member path.
    taken: BTreeMap<String, BTreeSet<String>>,
    /// Values made so far, bounded by [`MAX_VALUES`].
    made: usize,
}

/// A candidate value the caller refuses (another value of a `when` member).
type Reject<'r> = &'r dyn Fn(&str) -> bool;

impl Sampler<'_> {
    /// The members of an object (or of the request) below the path `prefix`.
    fn members(
        &mut self,
        params: &[VendorParam],
        prefix: &str,
    ) -> Result<Map<String, Value>, SampleError> {
        let mut map = Map::new();
        for param in params {
            let path = join(prefix, &param.name);
            let required = self.d.is_required(&path);
            match self.value(param, &path, required) {
                Ok(value) => {
                    map.insert(param.name.clone(), value);
                }
                Err(e) if required => return Err(e),
                // An optional member no value fits is left out: leaving it out is valid.
                Err(_) => {}
            }
        }
        Ok(map)
    }

    fn value(
        &mut self,
        param: &VendorParam,
        path: &str,
        required: bool,
    ) -> Result<Value, SampleError> {
        self.made = self.made.saturating_add(1);
        if self.made > MAX_VALUES {
            return Err(no_value(path, "the sample would be too large"));
        }
        let type_ref = param
            .type_ref()
            .map_err(|e| no_value(path, e.to_string()))?;
        match &type_ref {
            TypeRef::Bytes => Err(no_value(path, "a file upload has no sample value")),
            TypeRef::Object(_) => Ok(Value::Object(self.members(&param.sub_params, path)?)),
            TypeRef::List(inner) => self.list(param, inner, path, required),
            scalar_type => {
                let rules = self.d.rules_of(path);
                self.scalar(param, scalar_type, path, &rules, true, &|_| false)
            }
        }
    }

    fn list(
        &mut self,
        param: &VendorParam,
        inner: &TypeRef,
        path: &str,
        required: bool,
    ) -> Result<Value, SampleError> {
        let rules = self.d.rules_of(path);
        let min = rules
            .iter()
            .filter_map(|r| match r {
                Rule::MinItems(n) => Some(*n),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let max = rules
            .iter()
            .filter_map(|r| match r {
                Rule::MaxItems(n) => Some(*n),
                _ => None,
            })
            .min();
        // One entry shows the shape; more only when the description asks for more.
        let mut count = min.max(1);
        if let Some(max) = max
            && count > max
        {
            if min > max {
                return Err(no_value(
                    path,
                    format!("at least {min} and at most {max} entries"),
                ));
            }
            // `max_items = 0`: an empty list is valid but shows nothing, so only a required
            // member gets one.
            if !required {
                return Err(no_value(path, "the list may hold no entry"));
            }
            count = max;
        }
        self.made = self.made.saturating_add(count);
        if count > MAX_INDEX + 1 {
            return Err(no_value(
                path,
                format!("{count} entries are too many to sample"),
            ));
        }
        if self.made > MAX_VALUES {
            return Err(no_value(path, "the sample would be too large"));
        }
        let item_rules: Vec<Rule> = rules
            .into_iter()
            .filter(|r| !matches!(r, Rule::MaxItems(_) | Rule::MinItems(_)))
            .collect();
        if inner.object_name().is_some() {
            let entry_path = format!("{path}[]");
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                items.push(Value::Object(self.members(&param.sub_params, &entry_path)?));
            }
            return Ok(Value::Array(items));
        }
        // The vendor's example and the overlay's default are texts of the whole list.
        let default = self
            .d
            .overlay
            .members
            .get(path)
            .and_then(|m| m.default.as_ref());
        let list_type = TypeRef::List(Box::new(inner.clone()));
        for text in param.example.iter().chain(default) {
            let Ok(Value::Array(items)) = typed(&list_type, text, path) else {
                continue;
            };
            let items: Option<Vec<Value>> = items
                .iter()
                .map(|item| {
                    let text = text_of(item)?;
                    let value = self.typed(path, inner, &text);
                    let shown = text_of(&value)?;
                    passes(inner, &shown, &item_rules).then_some(value)
                })
                .collect();
            if let Some(items) = items
                && items.len() >= min
                && max.is_none_or(|max| items.len() <= max)
                && (!items.is_empty() || required)
            {
                return Ok(Value::Array(items));
            }
        }
        if count == 0 {
            return Ok(Value::Array(Vec::new()));
        }
        let item = self.scalar(param, inner, path, &item_rules, false, &|_| false)?;
        Ok(Value::Array(vec![item; count]))
    }

    /// A single value of `type_ref` meeting `rules`; `examples` says whether the vendor's
    /// example and the overlay's default are values of it (not of a whole list).
    fn scalar(
        &mut self,
        param: &VendorParam,
        type_ref: &TypeRef,
        path: &str,
        rules: &[Rule],
        examples: bool,
        reject: Reject<'_>,
    ) -> Result<Value, SampleError> {
        let unique = self.d.overlay.members.get(path).is_some_and(|m| m.unique);
        let taken = match self.taken.get(path) {
            Some(taken) if unique => taken.clone(),
            _ => BTreeSet::new(),
        };
        let mut candidates = self.candidates(param, type_ref, path, rules, examples);
        if !taken.is_empty() {
            // Later entries of a list try neighbours of the values: the `n`-th entry, `n`
            // values being taken, most likely finds `vary(c, n)` free (a few more are tried
            // rather than all, which would be quadratic in long lists).
            let n = taken.len();
            let more: Vec<String> = candidates
                .iter()
                .flat_map(|c| (n..n + 4).map(move |k| vary(c, k)))
                .collect();
            candidates.extend(more);
        }
        for text in &candidates {
            if reject(text) {
                continue;
            }
            let value = self.typed(path, type_ref, text);
            let Some(shown) = text_of(&value) else {
                continue;
            };
            if taken.contains(&shown) || !passes(type_ref, &shown, rules) {
                continue;
            }
            if unique {
                self.taken.entry(path.to_owned()).or_default().insert(shown);
            }
            return Ok(value);
        }
        let reason = if rules.is_empty() {
            format!("no {type_ref} value could be made")
        } else {
            let messages: Vec<String> = rules.iter().map(|r| r.message().into_owned()).collect();
            format!(
                "no {type_ref} value meets every rule: {}",
                messages.join("; ")
            )
        };
        Err(no_value(path, reason))
    }

    /// The texts to try, best first (see the module's list).
    fn candidates(
        &self,
        param: &VendorParam,
        type_ref: &TypeRef,
        path: &str,
        rules: &[Rule],
        examples: bool,
    ) -> Vec<String> {
        let overlay = self.d.overlay.members.get(path);
        let text_type = matches!(type_ref, TypeRef::String | TypeRef::FieldList);
        let mut out: Vec<String> = Vec::new();
        if examples {
            out.extend(param.example.iter().cloned());
            out.extend(overlay.and_then(|m| m.default.clone()));
        }
        let (min_chars, max_chars) = char_bounds(rules);
        for rule in rules {
            match rule {
                Rule::OneOf(codes) | Rule::CommaCodes(codes) => {
                    out.extend(codes.iter().map(|c| c.code.to_string()));
                }
                Rule::MainlandMobile => out.push(MOBILE.into()),
                Rule::Email => out.push(EMAIL.into()),
                Rule::JsonText => out.push(JSON.into()),
                Rule::Digits { min, max } => {
                    out.extend(digits(*min.max(&min_chars), *max.min(&max_chars)));
                }
                _ => {}
            }
        }
        match overlay.and_then(|m| m.redact) {
            Some(Redact::Secret) => out.push(SECRET.into()),
            Some(Redact::Mobile) if text_type => out.push(MOBILE.into()),
            _ => {}
        }
        if text_type {
            let name = param.name.to_ascii_lowercase();
            if name.contains("birthday") || name.ends_with("date") {
                out.push(DAY.into());
            }
            if name.contains("mobile") {
                out.push(MOBILE.into());
            }
            if name.contains("email") {
                out.push(EMAIL.into());
            }
        }
        match type_ref {
            TypeRef::FieldList => out.extend(self.first_field()),
            TypeRef::Json => out.push(JSON.into()),
            TypeRef::Number => out.push("1".into()),
            TypeRef::Boolean => out.extend(["true".into(), "false".into()]),
            TypeRef::Date => out.push(DATE.into()),
            TypeRef::Price => out.extend([PRICE.into(), "1".into()]),
            _ => {}
        }
        out.push(TEXT.into());
        // Values at the edges of the rules, for rules the usual values miss.
        for rule in rules {
            match rule {
                Rule::Range { min, max } => {
                    out.extend(min.iter().chain(max).map(i64::to_string));
                }
                Rule::NotBefore { year, month, day } => {
                    out.push(format!("{year:04}-{month:02}-{day:02} 00:00:00"));
                }
                Rule::NotFuture => {
                    out.push(top_core::time::format_gmt8(top_core::chrono::Utc::now()));
                }
                _ => {}
            }
        }
        // Rules this module does not know yet may still be met by one of the usual shapes.
        out.extend(
            ["1", DAY, DATE, MOBILE, EMAIL, JSON, SECRET]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        let mut seen = BTreeSet::new();
        let mut fitted = Vec::with_capacity(out.len() * 2);
        for text in out {
            let fit = fit(&text, min_chars, max_chars);
            for text in std::iter::once(text).chain(fit) {
                if seen.insert(text.clone()) {
                    fitted.push(text);
                }
            }
        }
        fitted
    }

    /// A text as the member's value: an enum's code in the enum's wire form, else typed by
    /// the declared type.
    fn typed(&self, path: &str, type_ref: &TypeRef, text: &str) -> Value {
        let wire = self
            .d
            .overlay
            .members
            .get(path)
            .and_then(|m| m.enum_name.as_ref())
            .and_then(|name| self.d.overlay.enums.get(name))
            .map(|e| e.wire);
        match wire {
            Some(Wire::Number) => text
                .trim()
                .parse::<i64>()
                .map_or_else(|_| Value::String(text.to_owned()), Value::from),
            Some(Wire::String) => Value::String(text.to_owned()),
            None => scalar(type_ref, text),
        }
    }

    /// The first field of the answer, for a field list: the first member of the first
    /// response object, else the first response member.
    fn first_field(&self) -> Option<String> {
        let first = self.d.vendor.response_params.first()?;
        Some(first.sub_params.first().unwrap_or(first).name.clone())
    }

    /// Makes every rule across members hold, changing as little as it can.
    fn settle_cross_rules(&mut self, root: &mut Value) -> Result<(), SampleError> {
        let d = self.d;
        // A fix can trigger another rule; as many passes as rules reach a fixed point, and
        // the final check catches a cycle.
        for _ in 0..=d.overlay.rules.len() {
            let mut changed = false;
            for rule in &d.overlay.rules {
                changed |= match rule {
                    CrossRule::AtLeastOneOf { at_least_one_of } => {
                        self.at_least_one(root, rule, at_least_one_of)?
                    }
                    CrossRule::When { when, then } => self.when(root, rule, when, then)?,
                };
            }
            if !changed {
                break;
            }
        }
        Ok(())
    }

    fn at_least_one(
        &mut self,
        root: &mut Value,
        rule: &CrossRule,
        paths: &[String],
    ) -> Result<bool, SampleError> {
        if paths.iter().any(|p| scalar_at(root, p).is_some()) {
            return Ok(false);
        }
        for path in paths {
            if self.fill(root, path, None, &|_| false).is_ok() {
                return Ok(true);
            }
        }
        Err(no_value(
            &rule.field(),
            format!("{}, and none of them can be given", rule.message()),
        ))
    }

    fn when(
        &mut self,
        root: &mut Value,
        rule: &CrossRule,
        when: &Condition,
        then: &Then,
    ) -> Result<bool, SampleError> {
        let equals = when.equals.trim().to_owned();
        let triggered = |root: &Value| {
            scalar_at(root, &when.member).is_some_and(|v| v.trim().eq_ignore_ascii_case(&equals))
        };
        if !triggered(root) {
            return Ok(false);
        }
        let format = format_rule(then.format);
        let current = scalar_at(root, &then.member).unwrap_or_default();
        if format.check_text("", &current).is_ok() {
            return Ok(false);
        }
        // The member that must follow the format gets a value of it, else the condition
        // stops holding: left out when optional, else another value.
        if self
            .fill(root, &then.member, Some(format), &|_| false)
            .is_ok()
        {
            return Ok(true);
        }
        if !self.d.is_required(&when.member) && remove_at(root, &when.member) {
            return Ok(true);
        }
        let other = |text: &str| text.trim().eq_ignore_ascii_case(&equals);
        if self.fill(root, &when.member, None, &other).is_ok() && !triggered(root) {
            return Ok(true);
        }
        Err(no_value(
            &rule.field(),
            format!(
                "{}, and no value of {} meets it",
                rule.message(),
                then.member
            ),
        ))
    }

    /// Gives the single-valued member at `path` (`a.list[].b` meaning the first entry) a
    /// value meeting its rules and `extra`, its object being already in the sample.
    fn fill(
        &mut self,
        root: &mut Value,
        path: &str,
        extra: Option<Rule>,
        reject: Reject<'_>,
    ) -> Result<(), SampleError> {
        let d = self.d;
        let param = d
            .member(Side::Request, path)
            .ok_or_else(|| no_value(path, "not a request member"))?;
        let type_ref = param
            .type_ref()
            .map_err(|e| no_value(path, e.to_string()))?;
        if type_ref.is_list() || type_ref.object_name().is_some() || type_ref == TypeRef::Bytes {
            return Err(no_value(path, "a rule across members reads a single value"));
        }
        let mut rules = d.rules_of(path);
        rules.extend(extra);
        let value = self.scalar(param, &type_ref, path, &rules, true, reject)?;
        let slot =
            slot_at(root, path).ok_or_else(|| no_value(path, "its object is not in the sample"))?;
        *slot = value;
        Ok(())
    }
}

/// `prefix.name`, or `name` at the top.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Whether a scalar's text is present (not blank), reads as its type and meets every rule.
fn passes(type_ref: &TypeRef, text: &str, rules: &[Rule]) -> bool {
    // The type readings are those of the description's check.
    let fits = match type_ref {
        TypeRef::Number => text.trim().parse::<i64>().is_ok(),
        TypeRef::Boolean => matches!(text.trim(), "true" | "false"),
        TypeRef::Price => text.trim().parse::<f64>().is_ok_and(f64::is_finite),
        TypeRef::Date => top_core::time::parse_gmt8(text.trim()).is_some(),
        _ => true,
    };
    fits && !is_blank(text) && rules.iter().all(|r| r.check_text("", text).is_ok())
}

/// The fewest and most characters the rules allow.
fn char_bounds(rules: &[Rule]) -> (usize, usize) {
    rules
        .iter()
        .fold((0, usize::MAX), |(min, max), rule| match rule {
            Rule::MinChars(n) => (min.max(*n), max),
            Rule::MaxChars(n) => (min, max.min(*n)),
            _ => (min, max),
        })
}

/// `text` cut or repeated to `min..=max` characters, when it is not already and can be.
fn fit(text: &str, min: usize, max: usize) -> Option<String> {
    let count = text.chars().count();
    if count == 0 || min > max || min > MAX_SAMPLE_CHARS {
        return None;
    }
    if count > max {
        (max > 0).then(|| text.chars().take(max).collect())
    } else if count < min {
        Some(text.chars().cycle().take(min).collect())
    } else {
        None
    }
}

/// Digits `123456...`, six of them when the bounds allow, else as near as they do.
fn digits(min: usize, max: usize) -> Option<String> {
    let min = min.max(1);
    if min > max || min > MAX_SAMPLE_CHARS {
        return None;
    }
    let len = 6usize.clamp(min, max);
    Some("1234567890".chars().cycle().take(len).collect())
}

/// A neighbour of `text` for the `k`-th entry of a list whose entries must differ: its
/// trailing digits counted up by `k` (same length, wrapping), else `k` appended.
fn vary(text: &str, k: usize) -> String {
    let head = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let tail = &text[head.len()..];
    // Only the last digits change, so the arithmetic stays small.
    let width = tail.len().min(9);
    let (keep, last) = tail.split_at(tail.len() - width);
    match last.parse::<u64>() {
        Ok(n) => {
            let modulus = 10u64.pow(u32::try_from(width).unwrap_or(9));
            let k = u64::try_from(k).unwrap_or(0) % modulus;
            let next = (n + k) % modulus;
            format!("{head}{keep}{next:0width$}")
        }
        Err(_) => format!("{text}{k}"),
    }
}

/// The scalar text at a path (`a.list[].b` reads the first entry), when set and not blank;
/// what the description's rules across members read.
fn scalar_at(root: &Value, path: &str) -> Option<String> {
    text_of(at_path(root, path)?).filter(|t| !is_blank(t))
}

/// The slot of the member at `path`, created in its object when the object is there.
fn slot_at<'v>(root: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let (object, name) = parent_at_mut(root, path)?;
    Some(object.entry(name.to_owned()).or_insert(Value::Null))
}

/// Removes the member at `path`; whether it was there.
fn remove_at(root: &mut Value, path: &str) -> bool {
    parent_at_mut(root, path).is_some_and(|(object, name)| object.remove(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(vary("13800138000", 1), "13800138001");
        assert_eq!(vary("a9", 1), "a0");
        assert_eq!(vary("abc", 2), "abc2");
        assert_eq!(vary("", 1), "1");
        assert_eq!(fit("sample", 0, 4).as_deref(), Some("samp"));
        assert_eq!(fit("ab", 5, 9).as_deref(), Some("ababa"));
        assert_eq!(fit("ab", 0, 9), None);
        assert_eq!(fit("ab", 0, 0), None);
        assert_eq!(digits(4, 8).as_deref(), Some("123456"));
        assert_eq!(digits(2, 3).as_deref(), Some("123"));
        assert_eq!(digits(0, 0), None);
        assert_eq!(digits(12, 12).as_deref(), Some("123456789012"));
    }
}
