//! Input files as users have them, through the real binary into an in-process sandbox: GBK
//! and UTF-16 CSV, Excel workbooks (numeric and text mobiles, dates, a chosen sheet), extra
//! and misspelt columns, and mobiles written with country codes, separators and full-width
//! digits. Every fixture is generated here; each run ends with the sandbox holding exactly
//! the valid rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The 300 rows of the "done when": mobile `139000000NN`, two reasons each.
fn rows() -> Vec<(String, String)> {
    (0..300)
        .map(|i| {
            let a = 1 + i % 5;
            let b = 1 + (i + 2) % 5;
            (format!("139{i:08}"), format!("{},{}", a.min(b), a.max(b)))
        })
        .collect()
}

/// What the sandbox must hold: the 300 mobiles with their sorted reasons.
fn expected() -> Entries {
    rows()
        .into_iter()
        .map(|(mobile, reason)| {
            let reasons = reason.split(',').map(|r| r.parse().unwrap()).collect();
            (mobile, reasons)
        })
        .collect()
}

/// The ways people write a mobile, cycled over the rows.
fn written(i: usize, mobile: &str) -> String {
    let (a, b, c) = (&mobile[..3], &mobile[3..7], &mobile[7..]);
    let full_width: String = mobile
        .chars()
        .map(|d| char::from_u32(u32::from(d) - u32::from('0') + u32::from('０')).unwrap())
        .collect();
    match i % 9 {
        0 => format!("+86 {a} {b} {c}"),
        1 => format!("{a}-{b}-{c}"),
        2 => format!("86{mobile}"),
        3 => format!("0086 {mobile}"),
        4 => format!("  {mobile}  "),
        5 => full_width,
        6 => format!("{a}.{b}.{c}"),
        7 => format!("+86-{a}-{b}-{c}"),
        _ => mobile.to_owned(),
    }
}

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn sync(
    home: &Path,
    url: &str,
    file: &Path,
    supplier: &str,
    extra: &[&str],
) -> (i32, String, String) {
    let mut args = vec![
        "blacklist",
        "sync",
        file.to_str().unwrap(),
        "--supplier-id",
        supplier,
        "--qps",
        "5000",
        "--output",
        "json",
    ];
    args.extend_from_slice(extra);
    run(top(home, url).args(args))
}

/// A workbook of the 300 rows in sheet `名单` (after a sheet `说明` of notes): mobiles as
/// numbers in even rows and as text in odd ones, the reasons, a date added and a remark.
fn workbook(path: &Path) {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "黑名单 2026").unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("名单").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (col, name) in ["mobile", "reason", "添加日期", "备注"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    for (i, (mobile, reason)) in rows().iter().enumerate() {
        let row = i as u32 + 1;
        if i % 2 == 0 {
            sheet
                .write_number(row, 0, mobile.parse::<f64>().unwrap())
                .unwrap();
        } else {
            sheet.write_string(row, 0, mobile).unwrap();
        }
        sheet.write_string(row, 1, reason).unwrap();
        let added = ExcelDateTime::from_ymd(2026, 1, 2)
            .unwrap()
            .and_hms(9, 30, 0)
            .unwrap();
        sheet
            .write_datetime_with_format(row, 2, &added, &date)
            .unwrap();
        sheet.write_string(row, 3, "恶意下单").unwrap();
    }
    workbook.save(path).unwrap();
}

#[test]
fn the_same_300_rows_as_gbk_csv_as_xlsx_and_as_written_mobiles_end_as_the_same_300_mobiles() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();

    // GBK CSV as Excel saves it on Chinese Windows: CRLF, a Chinese remark column.
    let mut text = String::from("mobile,reason,备注\r\n");
    for (mobile, reason) in rows() {
        text.push_str(&format!("{mobile},{},恶意下单\r\n", csv_cell(&reason)));
    }
    let gbk_csv = dir.join("gbk.csv");
    std::fs::write(&gbk_csv, gbk(&text)).unwrap();
    let (code, out, err) = sync(dir, &sandbox.url, &gbk_csv, "S-GBK", &[]);
    assert_eq!(code, 0, "{out}{err}");
    let summary = json(&out);
    assert_eq!(summary["done"], 300, "{out}");
    assert_eq!(summary["input"]["encoding"], "gb18030");
    assert_eq!(summary["input"]["detected"], true);
    assert_eq!(summary["input"]["ignored"], serde_json::json!(["备注"]));
    assert!(
        err.contains("warning: ignoring column `备注`"),
        "one warning names the extra column: {err}"
    );
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert_eq!(blacklist_of(&sandbox.state(), "S-GBK"), expected());

    // The same rows in a workbook, through `top import`, the sheet chosen by name.
    let xlsx = dir.join("名单.xlsx");
    workbook(&xlsx);
    let (code, out, err) = run(top(dir, &sandbox.url).args([
        "import",
        BLACKLIST,
        xlsx.to_str().unwrap(),
        "--sheet",
        "名单",
        "--set",
        "supplier-id=S-XLSX",
        "--set",
        "operate=1",
        "--qps",
        "5000",
        "--output",
        "json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let summary = json(&out);
    assert_eq!(summary["done"], 300, "{out}");
    assert_eq!(summary["format"], "xlsx");
    assert_eq!(summary["input"]["sheet"], "名单");
    assert_eq!(blacklist_of(&sandbox.state(), "S-XLSX"), expected());

    // The same mobiles as people write them (UTF-8 with a BOM).
    let mut text = String::from("\u{feff}mobile,reason\n");
    for (i, (mobile, reason)) in rows().iter().enumerate() {
        text.push_str(&format!(
            "{},{}\n",
            csv_cell(&written(i, mobile)),
            csv_cell(reason)
        ));
    }
    let forms = dir.join("forms.csv");
    std::fs::write(&forms, text).unwrap();
    let (code, out, err) = sync(dir, &sandbox.url, &forms, "S-FORMS", &[]);
    assert_eq!(code, 0, "{out}{err}");
    let summary = json(&out);
    assert_eq!(summary["done"], 300, "{out}");
    assert_eq!(summary["input"]["encoding"], "utf-8");
    // Spaces around a value are trimmed by any reader; the other forms are normalised.
    let changed = (0..300).filter(|i| !matches!(i % 9, 4 | 8)).count();
    assert_eq!(summary["normalized"], changed as u64);
    assert_eq!(blacklist_of(&sandbox.state(), "S-FORMS"), expected());

    // The journal keeps what was sent, and the file's text beside it.
    let db = journal_db(&dir.join("forms.csv.journal"));
    let (payload, source): (String, String) = db
        .query_row("SELECT payload, source FROM rows WHERE line = 2", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(payload.contains("\"13900000000\""), "{payload}");
    assert!(source.contains("+86 139 0000 0000"), "{source}");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM rows WHERE source IS NOT NULL"),
        changed as u64
    );
}

#[test]
fn utf16_csv_extra_and_misspelt_columns_and_strict() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();

    // UTF-16 with a BOM (Excel's "Unicode text"), a bad mobile on line 4.
    let text = "mobile,reason,备注\r\n13100000001,1,张三\r\n13100000002,\"1,2\",\r\n1310000000x,1,坏\r\n13100000004,5,李四\r\n";
    let mut utf16 = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let file = dir.join("unicode.csv");
    std::fs::write(&file, utf16).unwrap();
    let failures = dir.join("failures.csv");
    let (code, out, err) = sync(
        dir,
        &sandbox.url,
        &file,
        "S-16",
        &["--failures", failures.to_str().unwrap()],
    );
    assert_eq!(code, 1, "the invalid row: {out}{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["done"].as_u64(), summary["invalid"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(summary["input"]["encoding"], "utf-16le");
    let held: Vec<String> = blacklist_of(&sandbox.state(), "S-16")
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(held, ["13100000001", "13100000002", "13100000004"]);
    let listed = std::fs::read_to_string(&failures).unwrap();
    assert!(
        listed
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("4,invalid,invalid,mobile,"),
        "{listed}"
    );

    // A misspelt column is refused before anything is sent, naming the column it means.
    let calls = sandbox.state().calls_to(BLACKLIST);
    for (name, header, near) in [
        ("reasons.csv", "mobile,reasons", "reason"),
        ("cap.csv", "Mobile ,reason", "mobile"),
        ("no.csv", "mobile_no,reason", "mobile"),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, format!("{header}\n13100000009,1\n")).unwrap();
        let (code, out, err) = sync(dir, &sandbox.url, &file, "S-TYPO", &[]);
        assert_eq!(code, 2, "{out}{err}");
        let said = format!("{out}{err}");
        assert!(said.contains(&format!("did you mean `{near}`?")), "{said}");
        assert!(!dir.join(format!("{name}.journal")).exists());
    }
    assert_eq!(sandbox.state().calls_to(BLACKLIST), calls, "nothing sent");

    // --strict refuses any unknown column; without it the column is ignored.
    let file = dir.join("extra.csv");
    std::fs::write(&file, "mobile,remark\n13100000009\n").unwrap();
    let (code, out, err) = sync(dir, &sandbox.url, &file, "S-STRICT", &["--strict"]);
    let said = format!("{out}{err}");
    assert_eq!(code, 2, "{said}");
    assert!(
        said.contains("unknown column `remark`") && said.contains("--strict"),
        "{said}"
    );
    let (code, out, err) = sync(dir, &sandbox.url, &file, "S-STRICT", &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("ignoring column `remark`"), "{err}");

    // Bytes that are no supported encoding are refused, naming what was tried.
    let file = dir.join("latin.csv");
    std::fs::write(&file, b"mobile,name\n13100000009,M\xfcller \xe9\n").unwrap();
    let (code, out, err) = sync(dir, &sandbox.url, &file, "S-LATIN", &[]);
    let said = format!("{out}{err}");
    assert_eq!(code, 2, "{said}");
    assert!(
        said.contains("tried UTF-8 (line 2 is not UTF-8)") && said.contains("GB18030"),
        "{said}"
    );
}

#[test]
fn workbook_failures_name_sheet_and_row_dry_run_previews_and_a_resume_keeps_the_reading() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let xlsx = dir.join("list.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("名单").unwrap();
    sheet.write_string(0, 0, "mobile").unwrap();
    sheet.write_string(0, 1, "reason").unwrap();
    sheet.write_number(1, 0, 13_100_000_001.0).unwrap();
    sheet.write_string(2, 0, "+86 131 0000 0002").unwrap();
    sheet.write_number(3, 0, 1_310_000_003.0).unwrap(); // ten digits: invalid
    sheet.write_string(3, 1, "1").unwrap();
    sheet.write_string(5, 0, "131-0000-0005").unwrap(); // after a blank row
    sheet.write_string(5, 1, "9").unwrap(); // bad reason
    sheet.write_number(6, 0, 13_100_000_006.0).unwrap();
    workbook.save(&xlsx).unwrap();

    // A dry run previews the rows as they will be sent, masked, and counts them.
    let (code, out, err) = run(top(dir, &sandbox.url).args([
        "blacklist",
        "sync",
        xlsx.to_str().unwrap(),
        "--supplier-id",
        "S-W",
        "--dry-run",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("total 5, valid 3, invalid 2"), "{out}");
    assert!(
        out.contains("input xlsx, sheet 名单; 1 mobile normalised"),
        "{out}"
    );
    assert!(out.contains("row 2: {\"mobile\":\"131****0001\"}"), "{out}");
    assert!(out.contains("(normalised: mobile)"), "{out}");
    assert!(out.contains("sheet 名单 row 4: mobile:"), "{out}");
    assert!(out.contains("sheet 名单 row 6: reason:"), "{out}");
    for full in ["13100000001", "13100000002", "1310000003", "13100000006"] {
        assert!(!out.contains(full), "masked: {out}");
    }
    assert!(!dir.join("list.xlsx.journal").exists());
    assert_eq!(sandbox.state().calls_to(BLACKLIST), 0);

    // With --no-normalize the written mobile is invalid; a resume must keep that choice.
    let failures = dir.join("failures.csv");
    let (code, out, err) = run(top(dir, &sandbox.url).args([
        "blacklist",
        "sync",
        xlsx.to_str().unwrap(),
        "--supplier-id",
        "S-W",
        "--no-normalize",
        "--unmask",
        "--failures",
        failures.to_str().unwrap(),
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(json(&out)["invalid"], 3);
    let listed = std::fs::read_to_string(&failures).unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines[0], "sheet,row,state,code,sub_code,message,mobile");
    assert!(
        lines[1].starts_with("名单,3,invalid,invalid,mobile,"),
        "{listed}"
    );
    assert!(
        lines[1].ends_with(",+86 131 0000 0002"),
        "unmasked, as written: {listed}"
    );
    assert!(lines[2].starts_with("名单,4,invalid,"), "{listed}");
    assert!(
        lines[3].starts_with("名单,6,invalid,invalid,mobile,"),
        "{listed}"
    );
    let held: Vec<String> = blacklist_of(&sandbox.state(), "S-W")
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(held, ["13100000001", "13100000006"]);

    let (code, _, err) = run(top(dir, &sandbox.url).args([
        "blacklist",
        "sync",
        xlsx.to_str().unwrap(),
        "--supplier-id",
        "S-W",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("it sends mobiles as written; run it with --no-normalize"),
        "{err}"
    );

    // A sheet that does not exist is named, with the workbook's sheets.
    let (code, _, err) = run(top(dir, &sandbox.url).args([
        "blacklist",
        "sync",
        xlsx.to_str().unwrap(),
        "--supplier-id",
        "S-W2",
        "--sheet",
        "名",
        "--journal",
        dir.join("other.journal").to_str().unwrap(),
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no sheet `名`") && err.contains("its sheets: 名单"),
        "{err}"
    );
}

/// A CRM import from a workbook: a birthday typed as an Excel date arrives as the GMT+8
/// datetime it shows, a mobile typed as a number as its digits, `outer_id` normalised only
/// because `outer_type` is `mobile`.
#[test]
fn a_crm_workbook_reads_dates_and_numbers_as_they_show() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let xlsx: PathBuf = dir.join("customers.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let headers = [
        "outer_type",
        "outer_id",
        "channel",
        "customer_type",
        "mobile",
        "birthday",
        "name",
    ];
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let birthday = ExcelDateTime::from_ymd(1990, 5, 17).unwrap();
    for (row, outer_type, outer_id) in [
        (1, "mobile", "+86 135 0000 0001"),
        (2, "card", "+86 135 0000 0002"),
    ] {
        sheet.write_string(row, 0, outer_type).unwrap();
        sheet.write_string(row, 1, outer_id).unwrap();
        sheet.write_string(row, 2, "APP").unwrap();
        sheet.write_number(row, 3, 1.0).unwrap();
        sheet
            .write_number(row, 4, 13_500_000_000.0 + f64::from(row))
            .unwrap();
        sheet
            .write_datetime_with_format(row, 5, &birthday, &date)
            .unwrap();
        sheet.write_string(row, 6, "王小二").unwrap();
    }
    workbook.save(&xlsx).unwrap();
    let (code, out, err) = run(top(dir, &sandbox.url).args([
        "crm",
        "import",
        xlsx.to_str().unwrap(),
        "--qps",
        "1000",
        "--output",
        "json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["done"], 2, "{out}");
    let customers = sandbox.state().crm_customers;
    let by_type = |t: &str| {
        customers
            .iter()
            .find(|c| c.outer_type == t)
            .unwrap()
            .clone()
    };
    let mobile = by_type("mobile");
    assert_eq!(
        mobile.outer_id, "13500000001",
        "normalised: outer_type is mobile"
    );
    assert_eq!(
        mobile.mobile.as_deref(),
        Some("13500000001"),
        "a number as its digits"
    );
    assert_eq!(
        mobile.birthday.as_deref(),
        Some("1990-05-17 00:00:00"),
        "the date, GMT+8"
    );
    assert_eq!(mobile.name.as_deref(), Some("王小二"));
    let card = by_type("card");
    assert_eq!(
        card.outer_id, "+86 135 0000 0002",
        "left as written otherwise"
    );
    assert_eq!(card.mobile.as_deref(), Some("13500000002"));
}
