//! One API's description: the vendor's part and the project's overlay, checked against each
//! other, with the rules of every member resolved into `top_core::rules`.

use std::path::Path;

use top_core::rules::{EnumCode, Rule};

use crate::error::ModelError;
use crate::overlay::{CrossRule, Format, MemberOverlay, Overlay};
use crate::type_ref::TypeRef;
use crate::vendor::{VendorApi, VendorParam};

/// File names inside `apis/<method>/`.
pub const VENDOR_FILE: &str = "vendor.json";
/// The overlay's file name.
pub const OVERLAY_FILE: &str = "overlay.toml";
/// The folder of a vendor page's samples, inside `apis/<method>/`.
const SAMPLES_DIR: &str = "samples";
/// The vendor page's response sample, inside [`SAMPLES_DIR`].
const RESPONSE_SAMPLE_FILE: &str = "response.xml";

/// One API, described once.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Description {
    /// What the vendor says.
    pub vendor: VendorApi,
    /// What the project knows beyond it.
    pub overlay: Overlay,
    /// The vendor page's XML response sample (`samples/response.xml`), when the API has one:
    /// the document as the page shows it, its root element the response key
    /// (`<alibaba_alsc_crm_customer_create_response>`). Not checked against the members (a
    /// page's sample may be older or newer than its table); readers take what fits, as the
    /// sandbox does for its answers.
    pub response_sample: Option<String>,
}

/// Which side of the call a member path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The business parameters.
    Request,
    /// The answer.
    Response,
}

impl Description {
    /// Joins the two parts, checking that the overlay speaks of members, types and enums the
    /// description has.
    ///
    /// # Errors
    /// A [`ModelError::Member`] naming the overlay key at fault.
    pub fn new(vendor: VendorApi, overlay: Overlay) -> Result<Self, ModelError> {
        let description = Description {
            vendor,
            overlay,
            response_sample: None,
        };
        description.check_overlay()?;
        Ok(description)
    }

    /// The same description with `xml` as its response sample (see
    /// [`Description::response_sample`]).
    #[must_use]
    pub fn with_response_sample(mut self, xml: impl Into<String>) -> Self {
        self.response_sample = Some(xml.into());
        self
    }

    /// Reads `dir/vendor.json`, `dir/overlay.toml` and, when it exists,
    /// `dir/samples/response.xml`; the directory is named after the method.
    ///
    /// # Errors
    /// A [`ModelError`] naming the file and the member path at fault, or the sample file when
    /// it exists but cannot be read as UTF-8 text.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map_err(|e| ModelError::member("$", format!("cannot read: {e}")).in_file(&path))
        };
        let vendor_path = dir.join(VENDOR_FILE);
        let overlay_path = dir.join(OVERLAY_FILE);
        let vendor =
            VendorApi::from_json(&read(VENDOR_FILE)?).map_err(|e| e.in_file(&vendor_path))?;
        let overlay = Overlay::from_toml(&read(OVERLAY_FILE)?)
            .map_err(|reason| ModelError::member("$", reason).in_file(&overlay_path))?;
        if dir.file_name().and_then(|n| n.to_str()) != Some(vendor.name.as_str()) {
            return Err(ModelError::member(
                "name",
                format!(
                    "the directory must be named after the method `{}`",
                    vendor.name
                ),
            )
            .in_file(&vendor_path));
        }
        let description =
            Description::new(vendor, overlay).map_err(|e| e.in_file(&overlay_path))?;
        let sample_path = dir.join(SAMPLES_DIR).join(RESPONSE_SAMPLE_FILE);
        match std::fs::read_to_string(&sample_path) {
            Ok(xml) => Ok(description.with_response_sample(xml)),
            // Most APIs have no sample: absence is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(description),
            Err(e) => {
                Err(ModelError::member("$", format!("cannot read: {e}")).in_file(&sample_path))
            }
        }
    }

    /// The method name.
    pub fn method(&self) -> &str {
        &self.vendor.name
    }

    /// The member at `path` (`user_blacklist_request.blacklist[].mobile`), if it exists.
    /// A list member is stepped into with `[]`.
    pub fn member(&self, side: Side, path: &str) -> Option<&VendorParam> {
        let mut params = match side {
            Side::Request => &self.vendor.request_params,
            Side::Response => &self.vendor.response_params,
        };
        let mut found = None;
        let segments: Vec<&str> = path.split('.').collect();
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let (name, into_list) = match segment.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (*segment, false),
            };
            let param = params.iter().find(|p| p.name == name)?;
            let is_list = param.type_ref().is_ok_and(|t| t.is_list());
            // `[]` marks exactly the lists a path steps through; the last segment may name
            // a list itself (then list rules apply to it).
            if (into_list && !is_list) || (is_list && !into_list && !last) {
                return None;
            }
            params = &param.sub_params;
            found = Some(param);
        }
        found
    }

    /// Every rule of a request member: the vendor's limits, then the overlay's.
    pub fn rules_of(&self, path: &str) -> Vec<Rule> {
        let mut rules = Vec::new();
        if let Some(param) = self.member(Side::Request, path) {
            if let Some(max) = param.max_length {
                rules.push(Rule::MaxChars(usize::try_from(max).unwrap_or(usize::MAX)));
            }
            if let Some(max) = param.max_list_size {
                rules.push(Rule::MaxItems(usize::try_from(max).unwrap_or(usize::MAX)));
            }
            if param.min_value.is_some() || param.max_value.is_some() {
                rules.push(Rule::Range {
                    min: param.min_value,
                    max: param.max_value,
                });
            }
        }
        if let Some(member) = self.overlay.members.get(path) {
            rules.extend(self.overlay_rules(member));
        }
        rules
    }

    /// The codes of the enum `name` of the overlay, for messages and checks.
    pub fn enum_codes(&self, name: &str) -> Option<Vec<EnumCode>> {
        self.overlay.enums.get(name).map(|e| {
            e.values
                .iter()
                .map(|v| EnumCode::new(v.code.clone(), v.meaning.clone()))
                .collect()
        })
    }

    fn overlay_rules(&self, member: &MemberOverlay) -> Vec<Rule> {
        let mut rules = Vec::new();
        if let Some(min) = member.min_chars {
            rules.push(Rule::MinChars(min));
        }
        if let Some(max) = member.max_chars {
            rules.push(Rule::MaxChars(max));
        }
        if let Some([min, max]) = member.digits {
            rules.push(Rule::Digits { min, max });
        }
        if let Some(format) = member.format {
            rules.push(format_rule(format));
        }
        if member.min.is_some() || member.max.is_some() {
            rules.push(Rule::Range {
                min: member.min,
                max: member.max,
            });
        }
        if let Some(max) = member.max_items {
            rules.push(Rule::MaxItems(max));
        }
        if let Some(min) = member.min_items {
            rules.push(Rule::MinItems(min));
        }
        if let Some(codes) = member.enum_name.as_deref().and_then(|n| self.enum_codes(n)) {
            rules.push(Rule::OneOf(codes));
        }
        if let Some(codes) = member.codes.as_deref().and_then(|n| self.enum_codes(n)) {
            rules.push(Rule::CommaCodes(codes));
        }
        if let Some((year, month, day)) = member.not_before.as_deref().and_then(day_of) {
            rules.push(Rule::NotBefore { year, month, day });
        }
        if member.not_future {
            rules.push(Rule::NotFuture);
        }
        rules
    }

    /// Whether the member is required: the overlay's word, else the vendor's.
    pub fn is_required(&self, path: &str) -> bool {
        self.overlay
            .members
            .get(path)
            .and_then(|m| m.required)
            .or_else(|| self.member(Side::Request, path).map(|p| p.required))
            .unwrap_or(false)
    }

    fn check_overlay(&self) -> Result<(), ModelError> {
        let overlay = &self.overlay;
        let request_member = |key: &str, path: &str| -> Result<&VendorParam, ModelError> {
            self.member(Side::Request, path).ok_or_else(|| {
                ModelError::member(
                    key.to_owned(),
                    format!("`{path}` is not a request member (step into lists with `[]`)"),
                )
            })
        };
        if overlay.crate_name.trim().is_empty() {
            return Err(ModelError::member("crate", "names the domain crate"));
        }
        if let Some(key) = &overlay.idempotency_key {
            request_member("idempotency_key", key)?;
        }
        for (path, member) in &overlay.members {
            let key = format!("members.\"{path}\"");
            let param = request_member(&key, path)?;
            let type_ref = param
                .type_ref()
                .map_err(|e| ModelError::member(&key, e.to_string()))?;
            for name in member.enum_name.iter().chain(&member.codes) {
                if !overlay.enums.contains_key(name) {
                    return Err(ModelError::member(
                        &key,
                        format!("enum `{name}` is not defined in [enums]"),
                    ));
                }
            }
            let text_rule = member.format.is_some()
                || member.digits.is_some()
                || member.max_chars.is_some()
                || member.min_chars.is_some()
                || member.codes.is_some();
            let text_like = matches!(
                type_ref,
                TypeRef::String
                    | TypeRef::Json
                    | TypeRef::FieldList
                    | TypeRef::Price
                    | TypeRef::Number
            ) || matches!(&type_ref, TypeRef::List(inner) if **inner == TypeRef::String);
            if text_rule && !text_like {
                return Err(ModelError::member(
                    &key,
                    format!("text rules do not apply to a `{type_ref}` member"),
                ));
            }
            if (member.max_items.is_some() || member.min_items.is_some()) && !type_ref.is_list() {
                return Err(ModelError::member(
                    &key,
                    format!("list rules do not apply to a `{type_ref}` member"),
                ));
            }
            let date_rule = member.not_before.is_some() || member.not_future;
            if date_rule && type_ref != TypeRef::Date {
                return Err(ModelError::member(
                    &key,
                    format!("date rules do not apply to a `{type_ref}` member"),
                ));
            }
            if let Some(day) = &member.not_before
                && day_of(day).is_none()
            {
                return Err(ModelError::member(
                    &key,
                    format!("not_before: `{day}` is not a day written yyyy-MM-dd"),
                ));
            }
            if let Some([min, max]) = member.digits
                && min > max
            {
                return Err(ModelError::member(
                    &key,
                    "digits: [min, max] with min <= max",
                ));
            }
        }
        for (name, def) in &overlay.enums {
            if def.values.is_empty() {
                return Err(ModelError::member(
                    format!("enums.{name}"),
                    "an enum needs values",
                ));
            }
        }
        for (i, rule) in overlay.rules.iter().enumerate() {
            let key = format!("rules[{i}]");
            match rule {
                CrossRule::AtLeastOneOf { at_least_one_of } => {
                    for path in at_least_one_of {
                        request_member(&key, path)?;
                    }
                }
                CrossRule::When { when, then } => {
                    request_member(&key, &when.member)?;
                    request_member(&key, &then.member)?;
                }
            }
        }
        for path in overlay.answers.keys() {
            if self.member(Side::Response, path).is_none() {
                return Err(ModelError::member(
                    format!("answers.{path}"),
                    format!("`{path}` is not a response member"),
                ));
            }
        }
        if let Some(failure) = &overlay.business_failure {
            if failure.code.is_none() && !failure.code_fallbacks.is_empty() {
                return Err(ModelError::member(
                    "business_failure.code_fallbacks",
                    "fall back from what? `code` is not set",
                ));
            }
            if failure.message.is_none() && !failure.message_fallbacks.is_empty() {
                return Err(ModelError::member(
                    "business_failure.message_fallbacks",
                    "fall back from what? `message` is not set",
                ));
            }
            let paths = std::iter::once(&failure.flag)
                .chain(&failure.also)
                .chain(&failure.code)
                .chain(&failure.code_fallbacks)
                .chain(&failure.message)
                .chain(&failure.message_fallbacks)
                .chain(&failure.retryable);
            for path in paths {
                if self.member(Side::Response, path).is_none() {
                    return Err(ModelError::member(
                        "business_failure",
                        format!("`{path}` is not a response member"),
                    ));
                }
            }
        }
        if let Some(bulk) = &overlay.bulk {
            for path in bulk.object.iter().chain(&bulk.list) {
                request_member("bulk", path)?;
            }
            for path in bulk.flags.keys().chain(bulk.generated.keys()) {
                request_member("bulk", path)?;
            }
            if bulk.object.is_some() && bulk.list.is_some() {
                return Err(ModelError::member(
                    "bulk",
                    "set at most one of `object` (a call per row of its members) and `list` \
                     (batches); neither means a call per row of the top-level parameters",
                ));
            }
        }
        Ok(())
    }
}

/// The rule of a declared format.
pub fn format_rule(format: Format) -> Rule {
    match format {
        Format::MainlandMobile => Rule::MainlandMobile,
        Format::Email => Rule::Email,
        Format::JsonText => Rule::JsonText,
        Format::NoWhitespace => Rule::NoWhitespace,
        Format::EpochMillis => Rule::Range {
            min: Some(1),
            max: None,
        },
    }
}

/// `1900-01-01` as (year, month, day), when it is a real day.
fn day_of(text: &str) -> Option<(i32, u32, u32)> {
    let date = top_core::chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    use top_core::chrono::Datelike;
    Some((date.year(), date.month(), date.day()))
}
