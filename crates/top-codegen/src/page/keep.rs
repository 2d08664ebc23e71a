//! A page re-imported over a vendor part that came from the vendor's JSON: what the copied
//! text cannot carry is kept from the file instead of being lost. The vendor's API id is not on
//! a page, and a copied page prints full-width punctuation as ASCII (`（` as `(`) and
//! collapses runs of spaces, so a description equal but for those keeps the file's text.

use std::collections::BTreeMap;

use top_model::{VendorApi, VendorParam};

/// `page` with the facts of `before` that a page loses.
pub(crate) fn keep_what_pages_lose(before: &VendorApi, mut page: VendorApi) -> VendorApi {
    if page.id.is_none() {
        page.id = before.id;
    }
    if same_copied(&page.api_chinese_name, &before.api_chinese_name) {
        page.api_chinese_name.clone_from(&before.api_chinese_name);
    }
    if same_copied(&page.description, &before.description) {
        page.description.clone_from(&before.description);
    }
    keep_in(&mut page.request_params, &before.request_params);
    keep_in(&mut page.response_params, &before.response_params);
    page
}

fn keep_in(page: &mut [VendorParam], before: &[VendorParam]) {
    let before: BTreeMap<&str, &VendorParam> =
        before.iter().map(|p| (p.name.as_str(), p)).collect();
    for param in page {
        let Some(old) = before.get(param.name.as_str()) else {
            continue;
        };
        if same_copied(&param.description, &old.description) {
            param.description.clone_from(&old.description);
        }
        keep_in(&mut param.sub_params, &old.sub_params);
    }
}

/// Whether `copied` is `original` as a copied page prints it.
fn same_copied(copied: &str, original: &str) -> bool {
    fn folded(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split_whitespace().map(|word| {
            word.chars()
                .map(|c| match c {
                    // Full-width forms of ASCII, and the ideographic space.
                    '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                    '\u{3000}' => ' ',
                    other => other,
                })
                .collect()
        })
    }
    copied != original && folded(copied).eq(folded(original))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_id_and_wording_stay() {
        let before = VendorApi::from_json(
            r#"{"name":"taobao.demo.thing.add","id":42,"description":"同步（增量）",
                "requestParams":[{"name":"a","type":"String","description":"业务请求ID，用于做幂等"},
                                 {"name":"b","type":"String","description":"旧的"}]}"#,
        )
        .unwrap();
        let page = VendorApi::from_json(
            r#"{"name":"taobao.demo.thing.add","description":"同步(增量)",
                "requestParams":[{"name":"a","type":"String","description":"业务请求ID,用于做幂等"},
                                 {"name":"b","type":"String","description":"新的"},
                                 {"name":"c","type":"String","description":"新"}]}"#,
        )
        .unwrap();
        let kept = keep_what_pages_lose(&before, page);
        assert_eq!(kept.id, Some(42));
        assert_eq!(kept.description, "同步（增量）");
        assert_eq!(kept.request_params[0].description, "业务请求ID，用于做幂等");
        assert_eq!(
            kept.request_params[1].description, "新的",
            "a real change is taken"
        );
        assert_eq!(kept.request_params[2].description, "新");
    }
}
