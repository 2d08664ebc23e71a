//! The Rust of the domain crates, generated from `apis/` (ADR 0003): for each crate,
//! `crates/<crate>/src/generated/<module>.rs` per API and `generated/mod.rs`, which the
//! crate wires in once (`mod generated; pub use generated::*;`).
//!
//! Decisions, in the manner of an ADR:
//!
//! - **Which APIs.** Every API of a crate that exists (`crates/<crate>/Cargo.toml`), except
//!   those whose overlay says `hand_written = true`: their code is still written by hand and
//!   generation skips them until they are converted. As a safety net, an API whose request
//!   type the crate already defines by hand (`struct <Request>` outside `src/generated/`)
//!   is skipped too, with a note asking for the flag: generation never defines a type twice.
//! - **Names.** The request and response types are the vendor's Java class names
//!   (`AlibabaAlscCrmCustomerUpdateRequest`), the overlay's alias a `type` of the request,
//!   object types the vendor's type names, enums the overlay's names (see `names`).
//! - **Names the crate already uses.** A crate has one root namespace. Hand-written APIs
//!   claim their names first, then generated APIs in method order. A generated object type
//!   or enum whose name is already claimed stays in its API's module, public there
//!   (`alsc_crm::customer_update::CommonResult`) but not re-exported at the crate root,
//!   and the module's documentation says so; its name is the vendor's, unchanged, so a later
//!   reader finds it by the vendor's documentation. The one exception is an enum equal to
//!   the crate's enum of that name (same wire form, same codes and variant names): the
//!   module uses the crate's enum instead of defining a second one. The request type, the
//!   response type and the alias must be free: a clash there stops generation.
//! - **Validation.** `validate()` applies the description's rules through
//!   `top_core::rules::Rule`, member by member in the vendor's order, as
//!   `top_model::Description::check_json` does, so both name the same field with the same
//!   message (see `emit`).
//! - **Redaction by type.** `redact = "mobile"` members are `top_core::Mobile`, `"secret"`
//!   ones `top_core::Sensitive<String>`: the derived `Debug` masks them, and no other code
//!   can print them by mistake.

mod api;
mod code;
mod emit;
mod example;
mod names;
mod response;
mod samples;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use top_model::overlay::{EnumDef, Wire};
use top_model::{Catalog, Description, ModelError, OVERLAY_FILE, VENDOR_FILE};

use self::api::{Api, Fault};
use self::emit::Placement;
use crate::error::CodegenError;
use crate::generate::rustfmt;

pub(crate) use self::emit::GENERATED_MARK;

/// Where a crate's generated modules live, relative to the crate.
pub(crate) const GENERATED_DIR: &str = "src/generated";

/// A crate's generated sample tests, relative to the crate (see [`samples`]).
pub(crate) const SAMPLES_TEST: &str = "tests/samples.rs";

/// The generated Rust files and what the run should tell the user.
#[derive(Debug, Default)]
pub(crate) struct RustOutputs {
    pub(crate) files: Vec<(PathBuf, String)>,
    pub(crate) notes: Vec<String>,
}

/// Who holds a name of a crate's root namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Claim {
    /// An enum the generated code can use as it is.
    Enum(EnumSig),
    /// Any other type.
    Type,
}

/// What makes two enums the same: the wire form and the codes with their variant names.
type EnumSig = (bool, BTreeSet<(String, String)>);

fn enum_sig(def: &EnumDef) -> EnumSig {
    let number = def.wire == Wire::Number;
    let values = def
        .values
        .iter()
        .map(|v| {
            let code = if number {
                v.code
                    .trim()
                    .parse::<i64>()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|_| v.code.trim().to_owned())
            } else {
                v.code.clone()
            };
            (code, v.name.clone())
        })
        .collect();
    (number, values)
}

fn fault(method: &str, fault: Fault) -> CodegenError {
    let file = if fault.in_overlay {
        OVERLAY_FILE
    } else {
        VENDOR_FILE
    };
    ModelError::member(fault.path, fault.reason)
        .in_file(Path::new("apis").join(method).join(file))
        .into()
}

/// Computes the generated Rust of every crate of `catalog`.
pub(crate) fn outputs(root: &Path, catalog: &Catalog) -> Result<RustOutputs, CodegenError> {
    let mut by_crate: BTreeMap<&str, Vec<&Description>> = BTreeMap::new();
    for d in catalog.iter() {
        by_crate
            .entry(d.overlay.crate_name.as_str())
            .or_default()
            .push(d);
    }
    let mut out = RustOutputs::default();
    for (crate_name, apis) in by_crate {
        crate_outputs(root, crate_name, &apis, &mut out)?;
    }
    Ok(out)
}

fn crate_outputs(
    root: &Path,
    crate_name: &str,
    apis: &[&Description],
    out: &mut RustOutputs,
) -> Result<(), CodegenError> {
    let safe = !crate_name.is_empty()
        && crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !safe {
        let method = apis.first().map(|d| d.method()).unwrap_or_default();
        return Err(fault(
            method,
            Fault::overlay("crate", "a crate name is letters, digits, `-` and `_`"),
        ));
    }
    let crate_dir = Path::new("crates").join(crate_name);
    if !root.join(&crate_dir).join("Cargo.toml").is_file() {
        let waiting: Vec<&str> = apis
            .iter()
            .filter(|d| !d.overlay.hand_written)
            .map(|d| d.method())
            .collect();
        if !waiting.is_empty() {
            out.notes.push(format!(
                "crate {crate_name} has no {}; not generated: {}",
                crate_dir.join("Cargo.toml").display(),
                waiting.join(", ")
            ));
        }
        return Ok(());
    }
    let defined = hand_defined(&root.join(&crate_dir).join("src"))?;

    let mut hand = Vec::new();
    let mut generated = Vec::new();
    for d in apis {
        let request = names::request_type(d.method());
        if d.overlay.hand_written {
            hand.push(*d);
        } else if defined.get(&request) == Some(&Kind::Struct) {
            out.notes.push(format!(
                "{}: skipped, {} defines {request} by hand; add `hand_written = true` to apis/{}/{OVERLAY_FILE} (or remove the hand-written code)",
                d.method(),
                crate_dir.display(),
                d.method()
            ));
            hand.push(*d);
        } else {
            generated.push(*d);
        }
    }
    let lib = crate_dir.join("src/lib.rs");
    let wired = std::fs::read_to_string(root.join(&lib))
        .map(|text| text.contains("mod generated;"))
        .unwrap_or(false);
    if generated.is_empty() {
        if wired {
            out.notes.push(format!(
                "{} declares `mod generated;` but no API of crate {crate_name} is generated: remove it",
                lib.display()
            ));
        }
        return Ok(());
    }

    // The crate's root namespace: hand-written names first.
    let mut claims: BTreeMap<String, Claim> = BTreeMap::new();
    for d in &hand {
        let method = d.method();
        let mut names = vec![names::request_type(method), names::response_type(method)];
        names.extend(d.overlay.alias.clone());
        let mut stack: Vec<_> = d
            .vendor
            .request_params
            .iter()
            .chain(&d.vendor.response_params)
            .collect();
        while let Some(param) = stack.pop() {
            if let Some(name) = param
                .type_ref()
                .ok()
                .and_then(|t| t.object_name().map(str::to_owned))
            {
                names.push(name);
            }
            stack.extend(&param.sub_params);
        }
        for name in names {
            claims.insert(name, Claim::Type);
        }
        for (name, def) in &d.overlay.enums {
            let claim = if defined.get(name) == Some(&Kind::Enum) {
                Claim::Enum(enum_sig(def))
            } else {
                Claim::Type
            };
            claims.insert(name.clone(), claim);
        }
    }
    for name in defined.keys() {
        claims.entry(name.clone()).or_insert(Claim::Type);
    }

    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    let mut exports: Vec<(String, Vec<String>)> = Vec::new();
    // Sample tests call the sandbox: only a crate that has it among its dev-dependencies
    // gets them.
    let with_samples = std::fs::read_to_string(root.join(&crate_dir).join("Cargo.toml"))
        .is_ok_and(|manifest| manifest.contains("top-sandbox"));
    let mut sample_tests = Vec::new();
    for d in generated {
        let method = d.method();
        let module = names::module(method, crate_name);
        if let Some(other) = modules.insert(module.clone(), method) {
            return Err(CodegenError::Usage(format!(
                "{other} and {method} of crate {crate_name} would both be module `{module}`"
            )));
        }
        let api = Api::new(d, module.clone()).map_err(|f| fault(method, f))?;
        let mut placement = Placement::default();
        let mut own: Vec<String> = Vec::new();
        for name in api.type_names() {
            if own.iter().any(|n| n == name) {
                return Err(fault(
                    method,
                    Fault::overlay(
                        "$",
                        format!("`{name}` names two types of this API (check `alias`)"),
                    ),
                ));
            }
            own.push(name.to_owned());
            let must_be_free =
                name == api.request || name == api.response || api.alias() == Some(name);
            match claims.get(name) {
                Some(_) if must_be_free => {
                    let key = if api.alias() == Some(name) {
                        "alias"
                    } else {
                        "$"
                    };
                    return Err(fault(
                        method,
                        Fault::overlay(
                            key,
                            format!("crate {crate_name} already has a type `{name}`"),
                        ),
                    ));
                }
                Some(_) => {
                    placement.local_only.insert(name.to_owned());
                }
                None => {
                    claims.insert(name.to_owned(), Claim::Type);
                }
            }
        }
        for name in &api.enums {
            let Some(def) = d.overlay.enums.get(name) else {
                continue;
            };
            if own.iter().any(|n| n == name) {
                return Err(fault(
                    method,
                    Fault::overlay(
                        format!("enums.{name}"),
                        format!("`{name}` is also a type of the vendor part; rename the enum"),
                    ),
                ));
            }
            let sig = enum_sig(def);
            match claims.get(name) {
                Some(Claim::Enum(theirs)) if *theirs == sig => {
                    placement.imported_enums.insert(name.clone());
                }
                Some(_) => {
                    placement.local_only.insert(name.clone());
                    own.push(name.clone());
                }
                None => {
                    claims.insert(name.clone(), Claim::Enum(sig));
                    own.push(name.clone());
                }
            }
        }
        let text = emit::module(&api, &placement).map_err(|f| fault(method, f))?;
        let text = rustfmt(&text).map_err(|e| {
            CodegenError::Usage(format!(
                "{method}: the generated module does not format: {e}"
            ))
        })?;
        out.files.push((
            crate_dir.join(GENERATED_DIR).join(format!("{module}.rs")),
            text,
        ));
        if with_samples {
            match samples::test(crate_name, &api, &placement) {
                Ok(test) => sample_tests.push(test),
                Err(why) => out.notes.push(format!("{method}: no sample test ({why})")),
            }
        }
        own.retain(|n| !placement.local_only.contains(n));
        own.sort();
        exports.push((module, own));
    }
    out.files.push((
        crate_dir.join(GENERATED_DIR).join("mod.rs"),
        rustfmt(&mod_rs(&exports))?,
    ));
    if with_samples {
        out.files.push((
            crate_dir.join(SAMPLES_TEST),
            rustfmt(&samples::file(&sample_tests))?,
        ));
    }
    if !wired {
        out.notes.push(format!(
            "{} does not declare `mod generated;`: add `mod generated;` and `pub use generated::*;` once",
            lib.display()
        ));
    }
    Ok(())
}

/// `generated/mod.rs`: the modules, and their types re-exported.
fn mod_rs(exports: &[(String, Vec<String>)]) -> String {
    let mut text = format!(
        "{GENERATED_MARK} from apis/: do not edit\n// (`top-codegen check` fails on any difference).\n\n\
         //! The APIs of this crate whose code is generated from their descriptions in `apis/`,\n\
         //! one module each; the crate root re-exports their types.\n\n"
    );
    for (module, _) in exports {
        text.push_str(&format!("pub mod {module};\n"));
    }
    text.push('\n');
    for (module, names) in exports {
        match names.as_slice() {
            [] => {}
            [one] => text.push_str(&format!("pub use {module}::{one};\n")),
            many => text.push_str(&format!("pub use {module}::{{{}}};\n", many.join(", "))),
        }
    }
    text
}

/// A new crate's README example: the request of its first API built from the sample, with
/// the names to import from the API's module.
#[derive(Debug)]
pub(crate) struct ReadmeExample {
    pub(crate) module: String,
    pub(crate) types: Vec<String>,
    pub(crate) code: String,
}

/// Types by their plain names, imported from the module by the example's `use` line.
struct Plain;

impl example::TypePaths for Plain {
    fn path(&self, name: &str) -> String {
        name.to_owned()
    }
}

/// The README example of crate `crate_name`, whose first API is `d`.
pub(crate) fn readme_example(
    crate_name: &str,
    d: &Description,
) -> Result<ReadmeExample, CodegenError> {
    let method = d.method();
    let module = names::module(method, crate_name);
    let api = Api::new(d, module.clone()).map_err(|f| fault(method, f))?;
    let sample = d.sample_request().map_err(|e| {
        CodegenError::Usage(format!(
            "{method}: no valid sample request for the README: {e}"
        ))
    })?;
    let example = example::request(&api, &sample, &Plain)
        .map_err(|why| CodegenError::Usage(format!("{method}: no README example: {why}")))?;
    Ok(ReadmeExample {
        module,
        types: example.types.into_iter().collect(),
        code: example.code,
    })
}

/// What a hand-written name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Struct,
    Enum,
    Type,
}

/// The types the crate's hand-written sources (`src/` without `src/generated/`) define, by
/// name: `struct X`, `enum X`, `type X`.
fn hand_defined(src: &Path) -> Result<BTreeMap<String, Kind>, CodegenError> {
    let mut found = BTreeMap::new();
    let generated = src.join("generated");
    let mut stack = vec![src.to_owned()];
    while let Some(dir) = stack.pop() {
        if dir == generated {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).map_err(CodegenError::io(&path))?;
                for line in text.lines() {
                    let line = line.trim_start();
                    if line.starts_with("//") {
                        continue;
                    }
                    let words: Vec<&str> = line.split_whitespace().collect();
                    for pair in words.windows(2) {
                        let kind = match pair[0] {
                            "struct" => Kind::Struct,
                            "enum" => Kind::Enum,
                            "type" => Kind::Type,
                            _ => continue,
                        };
                        let name: String = pair[1]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                            found.entry(name).or_insert(kind);
                        }
                    }
                }
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
