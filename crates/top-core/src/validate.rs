//! The presence and length rules the domain crates' `validate()` share.

use std::borrow::Cow;

use crate::error::ValidationError;
use crate::params::is_blank;

impl ValidationError {
    /// Checks that `value` is not blank (see [`is_blank`]) and has at most `max` characters.
    ///
    /// ```
    /// use top_core::ValidationError;
    /// assert!(ValidationError::check_required_max("request_id", "r-1", 64).is_ok());
    /// let err = ValidationError::check_required_max("request_id", " ", 64).unwrap_err();
    /// assert_eq!(err, ValidationError::required("request_id"));
    /// let err = ValidationError::check_required_max("request_id", "兔兔兔", 2).unwrap_err();
    /// assert_eq!(err.rule, "must be at most 2 characters");
    /// ```
    ///
    /// # Errors
    /// [`ValidationError::required`] when `value` is blank, and "must be at most `max`
    /// characters" when it is longer; neither carries the value.
    pub fn check_required_max(
        field: impl Into<Cow<'static, str>>,
        value: &str,
        max: usize,
    ) -> Result<(), ValidationError> {
        if is_blank(value) {
            return Err(Self::required(field));
        }
        Self::check_max_chars(field, value, max)
    }

    /// Checks that `value` has at most `max` characters (`char`s, not bytes).
    ///
    /// # Errors
    /// "must be at most `max` characters" when it is longer; the error does not carry the
    /// value.
    pub fn check_max_chars(
        field: impl Into<Cow<'static, str>>,
        value: &str,
        max: usize,
    ) -> Result<(), ValidationError> {
        if value.chars().count() > max {
            return Err(Self::new(
                field,
                format!("must be at most {max} characters"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_inclusive_and_count_chars() {
        assert!(ValidationError::check_required_max("f", "兔兔", 2).is_ok());
        assert!(ValidationError::check_max_chars("f", "兔兔", 2).is_ok());
        assert!(ValidationError::check_max_chars("f", "", 0).is_ok());
        let err = ValidationError::check_max_chars("f", "abc", 2).unwrap_err();
        assert_eq!(
            err,
            ValidationError::new("f", "must be at most 2 characters")
        );
    }

    #[test]
    fn blank_is_missing_before_it_is_long() {
        for blank in ["", " ", "\t\n"] {
            assert_eq!(
                ValidationError::check_required_max("f", blank, 0),
                Err(ValidationError::required("f"))
            );
        }
        assert_eq!(
            ValidationError::check_required_max(String::from("a.b"), "xyz", 1)
                .unwrap_err()
                .field,
            "a.b"
        );
    }
}
