//! What a domain crate implements to describe a call.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{BusinessError, Error, ValidationError};
use crate::params::{Params, to_params};

/// A TOP API call: its method name, its parameters and the response it answers with.
///
/// Domain crates implement it; [`crate::TopClient::execute`] performs it.
pub trait TopRequest: Serialize + fmt::Debug + Send + Sync {
    /// The dotted method name, e.g. `alibaba.alsc.crm.customer.create`.
    const METHOD: &'static str;
    /// The typed response.
    type Response: DeserializeOwned + TopResponse + fmt::Debug + Send + Sync + 'static;

    /// Checks the API's rules; an error names the field and the rule, and nothing is sent.
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }

    /// The business parameters, by the one flattener ([`to_params`]).
    fn params(&self) -> Result<Params, Error> {
        to_params(self)
    }

    /// Whether resending after an unknown outcome is harmless: true only when the request
    /// carries an idempotency key the API documents.
    fn retry_safe(&self) -> bool {
        false
    }
}

/// A typed response: reports the failure an API signals inside a success envelope.
pub trait TopResponse {
    /// The business failure, if the response reports one.
    fn business_error(&self) -> Option<BusinessError> {
        None
    }
}

/// Loose JSON answers (`TopClient::call_raw`) report nothing by themselves.
impl TopResponse for serde_json::Value {}
