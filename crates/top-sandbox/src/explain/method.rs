//! Code 22 explained: the described method a misspelt name probably meant.

use crate::endpoint::Endpoints;
use crate::redact;

/// The explanation of an unknown method.
pub(crate) fn explain(method: &str, endpoints: &Endpoints) -> String {
    let shown = redact::printable(method, 80);
    match top_model::did_you_mean(method, endpoints.names()) {
        Some(near) => format!(
            "No described method is named `{shown}`; did you mean `{near}`? The sandbox serves \
             the methods of the repository's apis/ and of --apis DIR."
        ),
        None => format!(
            "No described method is named `{shown}`. The sandbox serves the methods of the \
             repository's apis/ and of --apis DIR; add a description to serve another."
        ),
    }
}
