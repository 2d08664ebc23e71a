//! Writes a generated blacklist input for the input benchmark (`benches/inputs.sh`):
//!
//! ```text
//! cargo run --release -p top-cli --example make_input -- xlsx list.xlsx 1000000
//! cargo run --release -p top-cli --example make_input -- csv list.csv 1000000
//! ```
//!
//! The same rows either way: `mobile,reason,备注`, mobiles `13000000000 + i`, reasons 1-5.
//! The workbook is written as Excel writes one: strings in the shared-strings table (the
//! remark, the reasons, and every other mobile, typed as text; the others are numbers), rows
//! streamed to disk while writing (rust_xlsxwriter's low-memory mode).

use std::error::Error;
use std::io::{BufWriter, Write};

use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, path, rows] = args.as_slice() else {
        return Err("usage: make_input xlsx|csv PATH ROWS".into());
    };
    let rows: u32 = rows.parse()?;
    let row = |i: u32| (13_000_000_000_u64 + u64::from(i), format!("{}", 1 + i % 5));
    match kind.as_str() {
        "xlsx" => {
            let mut workbook = Workbook::new();
            let sheet = workbook.add_worksheet_with_low_memory()?;
            sheet.set_name("名单")?;
            sheet.write_string(0, 0, "mobile")?;
            sheet.write_string(0, 1, "reason")?;
            sheet.write_string(0, 2, "备注")?;
            for i in 0..rows {
                let (mobile, reason) = row(i);
                if i % 2 == 0 {
                    sheet.write_number(i + 1, 0, mobile as f64)?;
                } else {
                    sheet.write_string(i + 1, 0, mobile.to_string())?;
                }
                sheet.write_string(i + 1, 1, reason)?;
                sheet.write_string(i + 1, 2, "恶意下单")?;
            }
            workbook.save(path)?;
        }
        "csv" => {
            let mut out = BufWriter::new(std::fs::File::create(path)?);
            writeln!(out, "mobile,reason,备注")?;
            for i in 0..rows {
                let (mobile, reason) = row(i);
                writeln!(out, "{mobile},{reason},恶意下单")?;
            }
            out.flush()?;
        }
        other => return Err(format!("unknown kind `{other}`: xlsx or csv").into()),
    }
    Ok(())
}
