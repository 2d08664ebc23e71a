//! The description's business-failure rule applied to an answer read as JSON, for calls made
//! without the API's Rust types (bulk import of a method loaded at run time, `top call`): the
//! same rule the generated `TopResponse::business_error` applies to the typed answer.

use serde_json::Value;
use top_core::BusinessError;
use top_core::de::{lenient_bool, lenient_string};
use top_core::params::is_blank;

use crate::description::Description;
use crate::value::at_path;

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
        // Read as the generated types read them (top-core's lenient readers), so an answer
        // read as JSON and the same answer typed agree.
        let flag =
            |path: &str| at_path(answer, path).and_then(|v| lenient_bool(v.clone()).ok().flatten());
        let text = |path: &String| {
            at_path(answer, path)
                .and_then(|v| lenient_string(v.clone()).ok().flatten())
                .filter(|t| !is_blank(t))
        };
        let failed = match flag(&rule.flag) {
            Some(ok) => !ok,
            None => rule.flag_required,
        } || rule.also.iter().any(|p| flag(p) == Some(false));
        if !failed {
            return None;
        }
        let first_text = |first: &Option<String>, fallbacks: &[String]| {
            first.iter().chain(fallbacks).find_map(text)
        };
        let retryable = rule
            .retryable
            .as_deref()
            .is_some_and(|p| flag(p) == Some(true));
        let request_id = text(&"request_id".to_owned());
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
