//! A description's response sample: read from `samples/response.xml` when the folder has one,
//! absent otherwise, an unreadable one refused naming its file, and the built-in catalogue
//! carrying the same samples as `apis/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use top_model::{Catalog, Description};

const APIS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../apis");
const METHOD: &str = "taobao.demo.sample.get";
const SAMPLE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<demo_sample_get_response>\n    <total>3</total>\n</demo_sample_get_response>\n";

/// A fresh folder under the system's temporary one, removed when dropped (this crate has
/// no `tempfile`).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "top-model-response-sample-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `dir/<METHOD>/` with a minimal description.
fn api_dir(dir: &Path) -> PathBuf {
    let api = dir.join(METHOD);
    std::fs::create_dir_all(&api).unwrap();
    std::fs::write(
        api.join("vendor.json"),
        format!(
            r#"{{"name": "{METHOD}", "requestParams": [{{"name": "q", "type": "String"}}],
               "responseParams": [{{"name": "total", "type": "Number"}}]}}"#
        ),
    )
    .unwrap();
    std::fs::write(
        api.join("overlay.toml"),
        "crate = \"demo\"\nsummary = \"A demo.\"\n",
    )
    .unwrap();
    api
}

#[test]
fn a_description_without_samples_has_no_response_sample() {
    let dir = TempDir::new("none");
    let api = api_dir(dir.path());
    assert_eq!(Description::load(&api).unwrap().response_sample, None);
    // A samples folder without the response sample is the same.
    std::fs::create_dir(api.join("samples")).unwrap();
    std::fs::write(api.join("samples/request.txt"), "q=1").unwrap();
    assert_eq!(Description::load(&api).unwrap().response_sample, None);
}

#[test]
fn the_response_sample_is_read_as_it_is_written() {
    let dir = TempDir::new("read");
    let api = api_dir(dir.path());
    std::fs::create_dir(api.join("samples")).unwrap();
    std::fs::write(api.join("samples/response.xml"), SAMPLE).unwrap();
    let description = Description::load(&api).unwrap();
    assert_eq!(description.response_sample.as_deref(), Some(SAMPLE));
    // The catalogue reads it too, and a built description says the same.
    let catalog = Catalog::load_dir(dir.path()).unwrap();
    assert_eq!(catalog.get(METHOD), Some(&description));
    let built = Description::new(description.vendor.clone(), description.overlay.clone())
        .unwrap()
        .with_response_sample(SAMPLE);
    assert_eq!(built, description);
}

#[test]
fn an_unreadable_response_sample_is_refused_naming_its_file() {
    let dir = TempDir::new("unreadable");
    let api = api_dir(dir.path());
    std::fs::create_dir(api.join("samples")).unwrap();
    let file = api.join("samples/response.xml");
    // Not UTF-8: not a text a page gives.
    std::fs::write(&file, b"<r>\xff\xfe</r>").unwrap();
    let e = Description::load(&api).unwrap_err();
    assert!(e.to_string().contains(&file.display().to_string()), "{e}");
    assert!(e.to_string().contains("cannot read"), "{e}");
    let e = Catalog::load_dir(dir.path()).unwrap_err();
    assert!(e.to_string().contains(&file.display().to_string()), "{e}");
}

#[test]
fn the_built_in_catalogue_carries_the_samples_of_apis() {
    let builtin = Catalog::builtin().unwrap();
    let apis = Catalog::load_dir(Path::new(APIS)).unwrap();
    for description in apis.iter() {
        assert_eq!(
            builtin
                .get(description.method())
                .map(|d| &d.response_sample),
            Some(&description.response_sample),
            "{}: run `top-codegen generate`",
            description.method()
        );
    }
}
