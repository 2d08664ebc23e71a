//! The description's business-failure rule applied to an answer read as JSON, for calls made
//! without the API's Rust types (bulk import of a method loaded at run time, `top call`): the
//! same rule the generated `TopResponse::business_error` applies to the typed answer.

use serde_json::Value;
use top_core::BusinessError;
use top_core::params::is_blank;

use crate::description::Description;

impl Description {
    /// The failure `answer` (the response content, inside its envelope) reports under a
    /// success envelope, by the overlay's `business_failure`: a flag that is `false` (or
    /// missing when the flag is required), the code and message from the first non-blank of
    /// their paths, retryable when the retry flag is `true`. `None` when the API declares no
    /// such rule or the answer is a success.
    ///
    /// ```
    /// use serde_json::json;
    /// let catalog = top_model::Catalog::builtin()?;
    /// let tag = catalog.get("taobao.retail.user.tag.mobile.add").unwrap();
    /// let answer = json!({"result": false, "error_infos": [
    ///     {"sub_error_code": "", "error_code": "isv.invalid-parameter:", "error_message": "输入参数错误"}]});
    /// let failure = tag.business_error(&answer).unwrap();
    /// assert_eq!(failure.code.as_deref(), Some("isv.invalid-parameter:"));
    /// assert!(tag.business_error(&json!({"result": true})).is_none());
    /// # Ok::<(), top_model::ModelError>(())
    /// ```
    pub fn business_error(&self, answer: &Value) -> Option<BusinessError> {
        let rule = self.overlay.business_failure.as_ref()?;
        let flag = |path: &str| match lookup(answer, path) {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) => match s.trim() {
                t if t.eq_ignore_ascii_case("true") || t == "1" => Some(true),
                t if t.eq_ignore_ascii_case("false") || t == "0" => Some(false),
                _ => None,
            },
            Some(Value::Number(n)) => n.as_i64().map(|n| n != 0),
            _ => None,
        };
        let failed = match flag(&rule.flag) {
            Some(ok) => !ok,
            None => rule.flag_required,
        } || rule.also.iter().any(|p| flag(p) == Some(false));
        if !failed {
            return None;
        }
        let first_text = |first: &Option<String>, fallbacks: &[String]| {
            first
                .iter()
                .chain(fallbacks)
                .filter_map(|path| lookup(answer, path))
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .find(|text| !is_blank(text))
        };
        let retryable = rule
            .retryable
            .as_deref()
            .is_some_and(|p| flag(p) == Some(true));
        let request_id = lookup(answer, "request_id").and_then(|v| v.as_str().map(str::to_owned));
        Some(
            BusinessError::new(
                first_text(&rule.code, &rule.code_fallbacks),
                first_text(&rule.message, &rule.message_fallbacks),
            )
            .with_retryable(retryable)
            .with_request_id(request_id),
        )
    }
}

/// The value at a response path (`result.biz_success`; `error_infos[].code` is the first
/// entry's).
fn lookup<'a>(answer: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = answer;
    for segment in path.split('.') {
        let (name, into_list) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        node = node.get(name)?;
        if into_list {
            node = node.get(0)?;
        }
    }
    Some(node).filter(|v| !v.is_null())
}
