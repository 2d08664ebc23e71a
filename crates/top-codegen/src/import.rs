//! `top-codegen import FILE... [--crate NAME]`: vendor descriptions into `apis/<method>/`.
//! A file is the vendor's JSON (with or without its `{"success":..,"data":{..}}` wrapper) or a
//! vendor page copied as text (see [`crate::page`]); a page's samples go to
//! `apis/<method>/samples/`. Every file is read and checked, and every new crate planned,
//! before anything is written, so a bad file leaves the workspace as it was. An API already
//! described keeps its overlay; the report says what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use top_model::{Description, OVERLAY_FILE, Overlay, TypeRef, VENDOR_FILE, VendorApi};

use crate::changes::Changes;
use crate::error::CodegenError;
use crate::page;
use crate::scaffold;

/// Where a page's samples are kept, inside `apis/<method>/`.
pub(crate) const SAMPLES_DIR: &str = "samples";

/// One API to write.
struct Planned {
    dir: PathBuf,
    vendor_text: String,
    overlay_text: Option<String>,
    /// Files of `samples/`, by name.
    samples: Vec<(&'static str, String)>,
    report: String,
    /// The description, for a new crate's README.
    description: Description,
    /// The crate it joins, when it is new to `apis/`.
    new_in: Option<String>,
}

/// A vendor description read from a file.
struct Read {
    vendor: VendorApi,
    /// Read from page text, which lacks some facts of the vendor's JSON.
    from_page: bool,
    samples: Vec<(&'static str, String)>,
    guesses: Vec<String>,
}

/// Imports `files`; returns one report line per API (and per crate created).
pub(crate) fn import(
    root: &Path,
    files: &[PathBuf],
    crate_name: Option<&str>,
) -> Result<Vec<String>, CodegenError> {
    if let Some(name) = crate_name {
        scaffold::check_name(name)?;
    }
    let mut seen = BTreeSet::new();
    let mut planned = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(CodegenError::io(file))?;
        let read = read(&text, file)?;
        if !seen.insert(read.vendor.name.clone()) {
            return Err(CodegenError::Usage(format!(
                "{}: {} is imported twice in one run",
                file.display(),
                read.vendor.name
            )));
        }
        planned.push(plan(root, read, crate_name).map_err(|e| in_input(e, file))?);
    }
    // New crates: created once, from their first API.
    let mut created: BTreeMap<String, scaffold::NewCrate> = BTreeMap::new();
    for p in &planned {
        let Some(name) = &p.new_in else { continue };
        if created.contains_key(name) || root.join("crates").join(name).join("Cargo.toml").is_file()
        {
            continue;
        }
        created.insert(
            name.clone(),
            scaffold::new_crate(root, name, &p.description)?,
        );
    }
    if created.len() > 1 {
        return Err(CodegenError::Usage(
            "one import creates at most one crate".into(),
        ));
    }
    for p in &planned {
        std::fs::create_dir_all(&p.dir).map_err(CodegenError::io(&p.dir))?;
        let vendor_path = p.dir.join(VENDOR_FILE);
        std::fs::write(&vendor_path, &p.vendor_text).map_err(CodegenError::io(&vendor_path))?;
        if let Some(overlay) = &p.overlay_text {
            let overlay_path = p.dir.join(OVERLAY_FILE);
            std::fs::write(&overlay_path, overlay).map_err(CodegenError::io(&overlay_path))?;
        }
        if !p.samples.is_empty() {
            let dir = p.dir.join(SAMPLES_DIR);
            std::fs::create_dir_all(&dir).map_err(CodegenError::io(&dir))?;
            for (name, text) in &p.samples {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(CodegenError::io(&path))?;
            }
        }
    }
    let mut reports: Vec<String> = planned.into_iter().map(|p| p.report).collect();
    for (name, new_crate) in created {
        for (relative, text) in &new_crate.files {
            let path = root.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(CodegenError::io(parent))?;
            }
            std::fs::write(&path, text).map_err(CodegenError::io(&path))?;
        }
        reports.push(format!(
            "crate {name}: created in crates/{name}/ (Cargo.toml, src/lib.rs, README.md) and wired into the root Cargo.toml (feature `{name}`); run `top-codegen generate`"
        ));
    }
    Ok(reports)
}

/// Reads a file as the vendor's JSON or as a vendor page.
fn read(text: &str, file: &Path) -> Result<Read, CodegenError> {
    if text.trim_start().starts_with(['{', '[']) {
        let raw: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        if let Some((path, reason)) = undescribed(&raw) {
            return Err(top_model::ModelError::member(path, reason)
                .in_file(file)
                .into());
        }
        let vendor = VendorApi::from_json(text).map_err(|e| e.in_file(file))?;
        refuse_uploads(&vendor).map_err(|e| e.in_file(file))?;
        return Ok(Read {
            vendor,
            from_page: false,
            samples: Vec::new(),
            guesses: Vec::new(),
        });
    }
    if !page::looks_like_page(text) {
        return Err(CodegenError::Usage(format!(
            "{}: neither the vendor's JSON description nor a vendor page copied as text (no `请求参数` section)",
            file.display()
        )));
    }
    let page =
        page::read(text).map_err(|e| CodegenError::Usage(format!("{}: {e}", file.display())))?;
    refuse_uploads(&page.vendor).map_err(|e| e.in_file(file))?;
    let mut samples = Vec::new();
    if let Some(request) = page.samples.request {
        samples.push(("request.txt", request));
    }
    // A page shows XML samples, or JSON ones: the file says which (the sandbox answers with
    // an XML response sample).
    let json = |text: &str| text.trim_start().starts_with('{');
    if let Some(response) = page.samples.response {
        let name = if json(&response) {
            "response.json"
        } else {
            crate::generate::RESPONSE_SAMPLE
        };
        samples.push((name, response));
    }
    if let Some(error) = page.samples.error {
        let name = if json(&error) {
            "error.json"
        } else {
            "error.xml"
        };
        samples.push((name, error));
    }
    Ok(Read {
        vendor: page.vendor,
        from_page: true,
        samples,
        guesses: page.guesses,
    })
}

/// Refuses an API that uploads a file (`byte[]`): the client cannot send files yet, and a
/// generated type for one would be wrong.
fn refuse_uploads(vendor: &VendorApi) -> Result<(), top_model::ModelError> {
    fn walk(params: &[top_model::VendorParam], path: &str) -> Result<(), top_model::ModelError> {
        for p in params {
            let here = format!("{path}.{}", p.name);
            if p.type_ref().is_ok_and(|t| t == TypeRef::Bytes) {
                return Err(top_model::ModelError::member(
                    here,
                    "a file upload (`byte[]`): taobao-top cannot send files yet, so this API cannot be imported",
                ));
            }
            walk(&p.sub_params, &here)?;
        }
        Ok(())
    }
    walk(&vendor.request_params, "request")
}

/// The first member of an object type that no member of the API describes (an object member
/// without `subParams`; `"subParams": []` is a type without members), as (path, reason).
fn undescribed(raw: &Value) -> Option<(String, String)> {
    let api = match raw {
        Value::Object(map) if map.contains_key("data") && !map.contains_key("name") => {
            map.get("data")?
        }
        other => other,
    };
    let mut described = BTreeSet::new();
    let mut used: Vec<(String, String)> = Vec::new();
    fn walk(
        params: Option<&Value>,
        path: &str,
        described: &mut BTreeSet<String>,
        used: &mut Vec<(String, String)>,
    ) {
        let Some(Value::Array(params)) = params else {
            return;
        };
        for p in params {
            let (Some(name), Some(Value::String(type_name))) =
                (p.get("name").and_then(Value::as_str), p.get("type"))
            else {
                continue;
            };
            let here = format!("{path}.{name}");
            let Some(object) = TypeRef::parse(type_name)
                .ok()
                .and_then(|t| t.object_name().map(str::to_owned))
            else {
                continue;
            };
            if p.get("subParams").is_some() {
                described.insert(object);
            } else {
                used.push((here.clone(), object));
            }
            walk(p.get("subParams"), &here, described, used);
        }
    }
    walk(
        api.get("requestParams"),
        "request",
        &mut described,
        &mut used,
    );
    walk(
        api.get("responseParams"),
        "response",
        &mut described,
        &mut used,
    );
    used.into_iter()
        .find(|(_, object)| !described.contains(object))
        .map(|(path, object)| {
            (
                path,
                format!(
                    "type `{object}` is used but never described (no `subParams`; a type without members has `\"subParams\": []`)"
                ),
            )
        })
}

fn plan(root: &Path, read: Read, crate_name: Option<&str>) -> Result<Planned, CodegenError> {
    let Read {
        vendor,
        from_page,
        samples,
        guesses,
    } = read;
    let dir = root.join("apis").join(&vendor.name);
    let vendor_path = dir.join(VENDOR_FILE);
    let overlay_path = dir.join(OVERLAY_FILE);
    let old = match std::fs::read_to_string(&vendor_path) {
        Ok(text) => Some(VendorApi::from_json(&text).map_err(|e| e.in_file(&vendor_path))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(CodegenError::io(&vendor_path)(e)),
    };
    let vendor = match &old {
        Some(old) if from_page => page::keep_what_pages_lose(old, vendor),
        _ => vendor,
    };
    let vendor_text = vendor_json(&vendor)?;
    let overlay =
        match std::fs::read_to_string(&overlay_path) {
            Ok(text) => Some(Overlay::from_toml(&text).map_err(|reason| {
                top_model::ModelError::member("$", reason).in_file(&overlay_path)
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(CodegenError::io(&overlay_path)(e)),
        };
    let method = vendor.name.clone();
    match overlay {
        Some(overlay) => {
            if let Some(name) = crate_name
                && name != overlay.crate_name
            {
                return Err(CodegenError::Usage(format!(
                    "{method} belongs to crate {} (its overlay says so); move it by editing {}",
                    overlay.crate_name,
                    overlay_path.display()
                )));
            }
            let changes = old
                .as_ref()
                .map(|old| Changes::between(old, &vendor))
                .unwrap_or_default();
            // The overlay must still fit the new vendor part: a member it speaks of may be gone.
            let description =
                Description::new(vendor, overlay).map_err(|e| e.in_file(&overlay_path))?;
            Ok(Planned {
                dir,
                vendor_text,
                overlay_text: None,
                samples,
                report: with_guesses(
                    format!("{method}: updated, overlay kept; {changes}"),
                    &guesses,
                ),
                description,
                new_in: None,
            })
        }
        None => {
            let Some(crate_name) = crate_name else {
                return Err(CodegenError::Usage(format!(
                    "{method} is new: say which crate it joins with --crate NAME"
                )));
            };
            let overlay_text = new_overlay(&vendor, crate_name);
            let overlay = Overlay::from_toml(&overlay_text).map_err(CodegenError::Usage)?;
            let requests = vendor.request_params.len();
            let responses = vendor.response_params.len();
            let description = Description::new(vendor, overlay)?;
            Ok(Planned {
                dir,
                vendor_text,
                overlay_text: Some(overlay_text),
                samples,
                report: with_guesses(
                    format!(
                        "{method}: new in crate {crate_name}, {requests} request and {responses} response members; write its English summary in {}",
                        overlay_path.display()
                    ),
                    &guesses,
                ),
                description,
                new_in: Some(crate_name.to_owned()),
            })
        }
    }
}

/// A description error found while planning names the input file (the overlay's errors
/// already name the overlay).
fn in_input(error: CodegenError, file: &Path) -> CodegenError {
    match error {
        CodegenError::Model(e) if e.file().is_none() => CodegenError::Model(e.in_file(file)),
        other => other,
    }
}

/// A report line followed by the reader's guesses, one per line, for the overlay to settle.
fn with_guesses(report: String, guesses: &[String]) -> String {
    let mut report = report;
    for guess in guesses {
        report.push_str("\n  guess: ");
        report.push_str(guess);
    }
    report
}

/// The canonical text of a vendor part: pretty JSON and a final newline.
pub(crate) fn vendor_json(vendor: &VendorApi) -> Result<String, CodegenError> {
    let mut text = serde_json::to_string_pretty(vendor)
        .map_err(|e| CodegenError::Usage(format!("{}: cannot write JSON: {e}", vendor.name)))?;
    text.push('\n');
    Ok(text)
}

/// The overlay of a new API: its crate and a summary to write in English.
fn new_overlay(vendor: &VendorApi, crate_name: &str) -> String {
    let vendor_words = if vendor.api_chinese_name.is_empty() {
        vendor.name.as_str()
    } else {
        vendor.api_chinese_name.as_str()
    };
    format!(
        "# What taobao-top knows of {method} beyond the vendor's description (vendor.json).\n\
         # Written by hand; `top-codegen import` never changes it.\n\
         crate = {crate_name:?}\n\
         # One English sentence; the vendor calls it {vendor_words:?}.\n\
         summary = {summary:?}\n",
        method = vendor.name,
        summary = format!("{} ({vendor_words})", vendor.name),
    )
}
