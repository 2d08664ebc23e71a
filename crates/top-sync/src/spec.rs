//! What a job is: the kind, the input file, its format, the journal, the blacklist target
//! or the flags of a described job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::api::{BlacklistTarget, BulkKind, JobKind};
use crate::input::{InputFormat, ReadOptions};

/// The description of a bulk job.
///
/// ```
/// use top_sync::{BlacklistTarget, JobSpec, Operate};
/// let spec = JobSpec::blacklist("users.csv", BlacklistTarget::new("SUP-1", Operate::Add));
/// assert_eq!(spec.journal_path(), std::path::Path::new("users.csv.journal"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    /// What the job sends.
    pub kind: BulkKind,
    /// The input file.
    pub input: PathBuf,
    /// Its format; `None` decides by extension ([`InputFormat::from_path`]).
    pub format: Option<InputFormat>,
    /// The journal; `None` puts it next to the input (`FILE.journal`).
    pub journal: Option<PathBuf>,
    /// Supplier and operation (blacklist jobs only).
    pub target: Option<BlacklistTarget>,
    /// The flags of a described job: flag name (`supplier-id`) → value.
    pub flags: BTreeMap<String, String>,
    /// How the input is read: encoding, sheet, mobile normalisation, strict columns. A
    /// resumed job reads as its journal recorded; asking otherwise is refused.
    pub read: ReadOptions,
}

impl JobSpec {
    /// A blacklist sync of `input` for `target`.
    pub fn blacklist(input: impl Into<PathBuf>, target: BlacklistTarget) -> Self {
        JobSpec {
            kind: BulkKind::Named(JobKind::Blacklist),
            input: input.into(),
            format: None,
            journal: None,
            target: Some(target),
            flags: BTreeMap::new(),
            read: ReadOptions::default(),
        }
    }

    /// A retail tag import of `input`.
    pub fn tag(input: impl Into<PathBuf>) -> Self {
        Self::plain(JobKind::Tag, input.into())
    }

    /// A CRM customer import of `input`.
    pub fn crm(input: impl Into<PathBuf>) -> Self {
        Self::plain(JobKind::Crm, input.into())
    }

    /// An import of `input` into any described API with bulk settings (`top import`),
    /// with the flags its description names (`bulk.flags`: flag name → value).
    ///
    /// ```
    /// use top_sync::JobSpec;
    /// let spec = JobSpec::described("alibaba.alsc.crm.customer.update", "updates.csv", []);
    /// assert_eq!(spec.kind.method(), "alibaba.alsc.crm.customer.update");
    /// ```
    pub fn described(
        method: impl Into<String>,
        input: impl Into<PathBuf>,
        flags: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        JobSpec {
            kind: BulkKind::Described(method.into()),
            input: input.into(),
            format: None,
            journal: None,
            target: None,
            flags: flags.into_iter().collect(),
            read: ReadOptions::default(),
        }
    }

    fn plain(kind: JobKind, input: PathBuf) -> Self {
        JobSpec {
            kind: BulkKind::Named(kind),
            input,
            format: None,
            journal: None,
            target: None,
            flags: BTreeMap::new(),
            read: ReadOptions::default(),
        }
    }

    /// Reads the input as `format` whatever its extension.
    pub fn format(mut self, format: InputFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// Reads the input as `options` say (encoding, sheet, normalisation, strict columns).
    pub fn read_options(mut self, options: ReadOptions) -> Self {
        self.read = options;
        self
    }

    /// Keeps the journal at `path`.
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// The journal's path.
    pub fn journal_path(&self) -> PathBuf {
        self.journal
            .clone()
            .unwrap_or_else(|| default_journal(&self.input))
    }

    /// The input's format.
    pub fn input_format(&self) -> InputFormat {
        self.format
            .unwrap_or_else(|| InputFormat::from_path(&self.input))
    }
}

/// `FILE.journal` next to `FILE`.
pub fn default_journal(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}
