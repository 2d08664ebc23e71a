//! `crates/<crate>/tests/samples.rs`: each generated API of the crate called once through the
//! sandbox over HTTP, with a request built in Rust from its description's sample
//! (`top_model::Description::sample_request`), in JSON and in XML.
//!
//! What it proves for an API nobody wrote code for: the typed request passes its own
//! `validate()`, the sandbox (reading the same description) accepts its signature and every
//! parameter, and the answer decodes into the typed response. A business failure counts as an
//! answer: the sandbox's hand-written state may refuse a sample (an unknown customer, an SMS
//! code never issued), and the refusal still has to decode.

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
    let _ = writeln!(text, "    answers(&request).await;");
    let _ = writeln!(text, "    Ok(())");
    let _ = writeln!(text, "}}");
    Ok(text)
}

/// The whole file, from the tests that [`test()`] wrote.
pub(crate) fn file(tests: &[String]) -> String {
    let mut text = format!(
        "{GENERATED_MARK} from apis/: do not edit\n// (`top-codegen check` fails on any difference).\n\n\
         //! Each generated API of this crate called once through the sandbox over HTTP, with a\n\
         //! request built from its description's sample, in JSON and in XML: the request passes\n\
         //! `validate()`, the sandbox accepts its signature and every parameter, and the answer\n\
         //! decodes into the typed response. A business failure is an answer too: the sandbox\n\
         //! keeps state, and may refuse a sample (an unknown customer, an SMS code never issued).\n\
         //! Then once through a typed stub (`StubTransport`), which reads the signed form back\n\
         //! into the request type: what users' unit tests receive is the request as built.\n\
         #![allow(clippy::unwrap_used, clippy::expect_used)]\n\n\
         use std::fmt::Debug;\n\n\
         use serde::de::DeserializeOwned;\n\
         use top_core::testing::StubTransport;\n\
         use top_core::{{Error, Format, RetryConfig, SignMethod, TopClient, TopRequest}};\n\
         use top_sandbox::{{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox}};\n\n\
         /// Sends `request` to a new sandbox in each format, then to a typed stub; panics unless\n\
         /// the answer decodes and the stub received `request` as built.\n\
         async fn answers<R: TopRequest + DeserializeOwned + PartialEq + Debug + 'static>(request: &R) {{\n\
         \x20   request.validate().unwrap();\n\
         \x20   let sandbox = Sandbox::builder().start().await.unwrap();\n\
         \x20   for format in [Format::Json, Format::Xml] {{\n\
         \x20       let client = TopClient::builder()\n\
         \x20           .app_key(DEMO_APP_KEY)\n\
         \x20           .app_secret(DEMO_APP_SECRET)\n\
         \x20           .endpoint(sandbox.url().as_str())\n\
         \x20           .format(format)\n\
         \x20           .sign_method(SignMethod::HmacSha256)\n\
         \x20           .retry(RetryConfig::disabled())\n\
         \x20           .build()\n\
         \x20           .unwrap();\n\
         \x20       match client.execute(request).await {{\n\
         \x20           Ok(_) | Err(Error::Business(_)) => {{}}\n\
         \x20           Err(other) => panic!(\"{{}} in {{format}}: {{other}}\", R::METHOD),\n\
         \x20       }}\n\
         \x20   }}\n\
         \x20   let stub = StubTransport::new();\n\
         \x20   stub.on_json::<R>(serde_json::json!({{}}));\n\
         \x20   let client = TopClient::builder()\n\
         \x20       .app_key(DEMO_APP_KEY)\n\
         \x20       .app_secret(DEMO_APP_SECRET)\n\
         \x20       .transport(stub.clone())\n\
         \x20       .build()\n\
         \x20       .unwrap();\n\
         \x20   match client.execute(request).await {{\n\
         \x20       Ok(_) | Err(Error::Business(_)) => {{}}\n\
         \x20       Err(other) => panic!(\"{{}} through a stub: {{other}}\", R::METHOD),\n\
         \x20   }}\n\
         \x20   assert_eq!(stub.calls::<R>(), std::slice::from_ref(request));\n\
         }}\n"
    );
    for test in tests {
        text.push('\n');
        text.push_str(test);
    }
    text
}
