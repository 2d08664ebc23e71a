//! The sandbox's explanations of refused calls (`sandbox_hint`): which signing mistake a
//! code 25 matches and the string the sandbox signed, how far a code 31 timestamp is off and
//! why, the field and rule of a code 40 or 50, the method a code 22 probably meant. They go
//! beside the router's own members of the `error_response` and into the call log; none holds
//! a secret.

mod arguments;
mod canonical;
mod digest;
mod method;
mod signature;
mod timestamp;

pub(crate) use arguments::explain as arguments;
pub(crate) use method::explain as method;
pub(crate) use signature::{Refused, explain as signature};
pub(crate) use timestamp::explain as timestamp;
