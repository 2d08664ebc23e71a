//! `top-codegen import FILE... [--crate NAME]`: vendor descriptions into `apis/<method>/`.
//! Every file is read and checked before anything is written, so a bad file leaves `apis/`
//! as it was. An API already described keeps its overlay; the report says what changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use top_model::{Description, OVERLAY_FILE, Overlay, VENDOR_FILE, VendorApi};

use crate::changes::Changes;
use crate::error::CodegenError;

/// One API to write.
struct Planned {
    dir: PathBuf,
    vendor_text: String,
    overlay_text: Option<String>,
    report: String,
}

/// Imports `files`; returns one report line per API.
pub(crate) fn import(
    root: &Path,
    files: &[PathBuf],
    crate_name: Option<&str>,
) -> Result<Vec<String>, CodegenError> {
    let mut seen = BTreeSet::new();
    let mut planned = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(CodegenError::io(file))?;
        let vendor = VendorApi::from_json(&text).map_err(|e| e.in_file(file))?;
        if !seen.insert(vendor.name.clone()) {
            return Err(CodegenError::Usage(format!(
                "{}: {} is imported twice in one run",
                file.display(),
                vendor.name
            )));
        }
        planned.push(plan(root, vendor, crate_name)?);
    }
    for p in &planned {
        std::fs::create_dir_all(&p.dir).map_err(CodegenError::io(&p.dir))?;
        let vendor_path = p.dir.join(VENDOR_FILE);
        std::fs::write(&vendor_path, &p.vendor_text).map_err(CodegenError::io(&vendor_path))?;
        if let Some(overlay) = &p.overlay_text {
            let overlay_path = p.dir.join(OVERLAY_FILE);
            std::fs::write(&overlay_path, overlay).map_err(CodegenError::io(&overlay_path))?;
        }
    }
    Ok(planned.into_iter().map(|p| p.report).collect())
}

fn plan(root: &Path, vendor: VendorApi, crate_name: Option<&str>) -> Result<Planned, CodegenError> {
    let dir = root.join("apis").join(&vendor.name);
    let vendor_text = vendor_json(&vendor)?;
    let vendor_path = dir.join(VENDOR_FILE);
    let overlay_path = dir.join(OVERLAY_FILE);
    let old = match std::fs::read_to_string(&vendor_path) {
        Ok(text) => Some(VendorApi::from_json(&text).map_err(|e| e.in_file(&vendor_path))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(CodegenError::io(&vendor_path)(e)),
    };
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
            Description::new(vendor, overlay).map_err(|e| e.in_file(&overlay_path))?;
            Ok(Planned {
                dir,
                vendor_text,
                overlay_text: None,
                report: format!("{method}: updated, overlay kept; {changes}"),
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
            Description::new(vendor, overlay)?;
            Ok(Planned {
                dir,
                vendor_text,
                overlay_text: Some(overlay_text),
                report: format!(
                    "{method}: new in crate {crate_name}, {requests} request and {responses} response members; write its English summary in {}",
                    overlay_path.display()
                ),
            })
        }
    }
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
