//! Turning typed-command flags into a [`top_sync::Record`], so a single call is read by the
//! same rules as a bulk row.

use top_sync::Record;

/// A record from `(vendor field name, flag value)` pairs; absent or blank values are left out.
pub(crate) fn record(pairs: &[(&str, &Option<String>)]) -> Record {
    let mut record = Record::default();
    for (name, value) in pairs {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            record.fields.insert((*name).to_owned(), v.to_owned());
        }
    }
    record
}
