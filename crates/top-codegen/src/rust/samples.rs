//! `crates/<crate>/tests/samples.rs`: each generated API of the crate called once with a
//! request built in Rust from its description's sample
//! (`top_model::Description::sample_request`), through `top_sandbox::testing::round_trip`.
//!
//! What it proves for an API nobody wrote code for: the typed request passes its own
//! `validate()`, the sandbox (reading the same description) accepts its signature and every
//! parameter in JSON and in XML, the answer decodes into the typed response, and the typed
//! stub users test with reads the signed form back into the request as built. A business
//! failure counts as an answer: the sandbox's hand-written state may refuse a sample (an
//! unknown customer, an SMS code never issued), and the refusal still has to decode.

use std::fmt::Write as _;

use super::api::Api;
use super::emit::{GENERATED_MARK, Placement};
use super::example::{self, TypePaths};

/// The path of a type in a test of the crate: its module's, or the crate root's for an enum
/// the module takes from there.
struct InTest<'p> {
    krate: String,
    module: &'p str,
    placement: &'p Placement,
}

impl TypePaths for InTest<'_> {
    fn path(&self, name: &str) -> String {
        if self.placement.imported_enums.contains(name) {
            format!("{}::{name}", self.krate)
        } else {
            format!("{}::{}::{name}", self.krate, self.module)
        }
    }
}

/// One API's test, or why its sample cannot be written (then the file says so, and the
/// generator notes it).
pub(crate) fn test(
    crate_name: &str,
    api: &Api<'_>,
    placement: &Placement,
) -> Result<String, String> {
    let sample = api.d.sample_request().map_err(|e| e.to_string())?;
    let paths = InTest {
        krate: crate_name.replace('-', "_"),
        module: &api.module,
        placement,
    };
    let example = example::request(api, &sample, &paths)?;
    let mut text = String::new();
    let _ = writeln!(text, "/// `{}` with its sample.", api.d.method());
    let _ = writeln!(text, "#[tokio::test]");
    let _ = writeln!(
        text,
        "async fn {}() -> Result<(), Box<dyn std::error::Error>> {{",
        api.module
    );
    let _ = writeln!(text, "    let request = {};", example.code);
    let _ = writeln!(text, "    round_trip(&request).await?;");
    let _ = writeln!(text, "    Ok(())");
    let _ = writeln!(text, "}}");
    Ok(text)
}

/// The whole file, from the tests that [`test()`] wrote.
pub(crate) fn file(tests: &[String]) -> String {
    let mut text = format!(
        "{GENERATED_MARK} from apis/: do not edit\n// (`top-codegen check` fails on any difference).\n\n\
         //! Each generated API of this crate called once with a request built from its\n\
         //! description's sample, through `top_sandbox::testing::round_trip`: the request passes\n\
         //! `validate()`, the sandbox accepts its signature and every parameter in JSON and in XML,\n\
         //! the answer decodes into the typed response, and a typed stub (`StubTransport`) reads\n\
         //! the signed form back into the request as built. A business failure is an answer too:\n\
         //! the sandbox keeps state, and may refuse a sample (an unknown customer, an SMS code\n\
         //! never issued).\n\n\
         use top_sandbox::testing::round_trip;\n"
    );
    for test in tests {
        text.push('\n');
        text.push_str(test);
    }
    text
}
