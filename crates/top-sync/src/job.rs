//! A job bound to its journal: create or resume, read the input, run, retry, report.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use sha2::{Digest, Sha256};
use top_core::TopClient;

use crate::api::{BulkKind, BulkPlan, JobKind, checked_flags, ignored_columns, job_flags};
use crate::error::SyncError;
use crate::input::{DryRunReport, RecordReader, dry_run, ingest};
use crate::journal::{JobMeta, Journal, RunLock, sha256_file};
use crate::report::{FailuresWriter, RunReport, Summary};
use crate::run::unit_context;
use crate::run::{Engine, Progress, RunOptions, StopSignal};
use crate::spec::JobSpec;

/// A bulk job and its journal. Cheap to clone; clones share the journal, the progress
/// counters and the stop signal.
#[derive(Debug, Clone)]
pub struct SyncJob {
    journal: Arc<Journal>,
    meta: Arc<JobMeta>,
    plan: &'static BulkPlan,
    input: PathBuf,
    input_checked: bool,
    progress: Arc<Progress>,
    stop: Arc<StopSignal>,
    /// The journal's run lock, once this job reads or sends (see [`RunLock`]).
    lock: Arc<Mutex<Option<RunLock>>>,
}

impl SyncJob {
    /// Creates the job's journal, or opens it to resume. A new job whose input is refused
    /// (a CSV header with an unknown, repeated or missing column) gets no journal. A resume
    /// is refused when the input file changed (SHA-256), or when the journal belongs to
    /// another kind of job or another supplier or operation.
    pub fn open(spec: &JobSpec) -> Result<Self, SyncError> {
        let (plan, flags) = check_spec(spec)?;
        let journal_path = spec.journal_path();
        // Before the journal is looked at: two runs starting together must not both create it.
        let lock = RunLock::acquire(&journal_path)?;
        let current = sha256_file(&spec.input)?;
        if journal_path.exists() && Journal::is_unborn(&journal_path)? {
            tracing::warn!(
                journal = %journal_path.display(),
                "the journal was never finished (a run stopped while creating it): starting it again"
            );
            Journal::remove_unborn(&journal_path)?;
        }
        let journal = if journal_path.exists() {
            let journal = Journal::open(&journal_path)?;
            let meta = journal.meta()?;
            let mismatch = |reason: String| SyncError::JobMismatch {
                journal: journal_path.clone(),
                reason,
            };
            if meta.kind != spec.kind {
                return Err(mismatch(format!(
                    "it is a {} job, not a {} job",
                    meta.kind, spec.kind
                )));
            }
            if meta.target != spec.target || meta.flags != flags {
                let show =
                    |t: &Option<crate::BlacklistTarget>,
                     flags: &std::collections::BTreeMap<String, String>| {
                        let mut text = t.as_ref().map_or_else(String::new, |t| {
                            format!("supplier {} ({})", t.supplier_id, t.operate)
                        });
                        for (flag, value) in flags {
                            text.push_str(&format!(" --set {flag}={value}"));
                        }
                        text.trim().to_owned()
                    };
                return Err(mismatch(format!(
                    "it is for {}, not {}",
                    show(&meta.target, &meta.flags),
                    show(&spec.target, &flags)
                )));
            }
            if let Some(read) = &meta.read
                && let Some(reason) = read.conflict(&spec.read)
            {
                return Err(mismatch(reason));
            }
            if meta.input_sha256 != current {
                return Err(SyncError::InputChanged {
                    input: spec.input.clone(),
                    journal: journal_path,
                    recorded: meta.input_sha256,
                    current,
                });
            }
            journal
        } else {
            // A file the job cannot read (its header) is refused before a journal exists:
            // a journal would pin the refused file's hash, and refuse the corrected one.
            let reader =
                RecordReader::open_with(&spec.input, spec.input_format(), &spec.kind, &spec.read)?;
            let read = reader.settings().clone();
            drop(reader);
            let meta = JobMeta {
                read: Some(read),
                job_id: new_job_id(&current),
                kind: spec.kind.clone(),
                input: std::fs::canonicalize(&spec.input).unwrap_or_else(|_| spec.input.clone()),
                input_sha256: current,
                format: spec.input_format(),
                target: spec.target.clone(),
                flags,
                created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ingest_complete: false,
            };
            Journal::create(&journal_path, &meta)?
        };
        let job = Self::from_journal(journal, Some(spec.input.clone()), Some(plan))?;
        *job.lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(lock);
        Ok(job)
    }

    /// Opens an existing journal on its own (for `status` and `retry`); the input file is
    /// needed only if it was not read to the end, and is then checked against its hash.
    pub fn open_journal(path: &Path) -> Result<Self, SyncError> {
        if !path.exists() {
            return Err(SyncError::JournalFile {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such journal"),
            });
        }
        Self::from_journal(Journal::open(path)?, None, None)
    }

    fn from_journal(
        journal: Journal,
        input: Option<PathBuf>,
        plan: Option<&'static BulkPlan>,
    ) -> Result<Self, SyncError> {
        let meta = journal.meta()?;
        let plan = match plan {
            Some(plan) => plan,
            None => meta.kind.plan()?,
        };
        let input_checked = input.is_some();
        let input = input.unwrap_or_else(|| meta.input.clone());
        let progress = Arc::new(Progress::new());
        let job = SyncJob {
            journal: Arc::new(journal),
            meta: Arc::new(meta),
            plan,
            input,
            input_checked,
            progress,
            stop: Arc::new(StopSignal::new()),
            lock: Arc::new(Mutex::new(None)),
        };
        job.refresh_progress()?;
        Ok(job)
    }

    /// Takes the journal's run lock if this job does not hold it yet: reading the input,
    /// sending and retrying change the journal, and only one run may do that.
    fn hold_lock(&self) -> Result<(), SyncError> {
        let mut held = self
            .lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if held.is_none() {
            *held = Some(RunLock::acquire(self.journal.path())?);
        }
        Ok(())
    }

    fn refresh_progress(&self) -> Result<Summary, SyncError> {
        let s = self.journal.summary()?;
        let p = &self.progress;
        Progress::set(&p.read, s.total);
        Progress::set(&p.total, s.total);
        Progress::set(&p.done, s.done);
        Progress::set(&p.failed, s.failed);
        Progress::set(&p.invalid, s.invalid);
        Progress::set(&p.unknown, s.unknown);
        Ok(s)
    }

    /// What the journal knows about the job.
    pub fn meta(&self) -> &JobMeta {
        &self.meta
    }

    /// The journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Live counters, to show progress from another task.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    /// The signal that stops [`SyncJob::run`] (wire it to Ctrl-C).
    pub fn stop_signal(&self) -> Arc<StopSignal> {
        Arc::clone(&self.stop)
    }

    /// Reads the input into the journal (blocking I/O; run it on a blocking thread in an
    /// async program). Nothing is read again once the whole input is in. Stops early (the
    /// next call goes on where it stopped) when the stop signal is raised.
    pub fn ingest(&self) -> Result<Summary, SyncError> {
        self.hold_lock()?;
        if !self.meta.ingest_complete {
            if !self.input_checked {
                let current = sha256_file(&self.input)?;
                if current != self.meta.input_sha256 {
                    return Err(SyncError::InputChanged {
                        input: self.input.clone(),
                        journal: self.journal.path().to_owned(),
                        recorded: self.meta.input_sha256.clone(),
                        current,
                    });
                }
            }
            ingest(
                &self.journal,
                &self.meta,
                self.plan,
                &self.input,
                &self.progress,
                &self.stop,
            )?;
        }
        let summary = self.refresh_progress()?;
        Ok(summary)
    }

    /// Sends every pending row (and resends work left in flight), then reports. Returns
    /// early, with [`RunReport::stopped`] set, when the stop signal is raised or TOP bans
    /// the app for longer than [`RunOptions::max_ban_wait`].
    pub async fn run(
        &self,
        client: &TopClient,
        options: &RunOptions,
    ) -> Result<RunReport, SyncError> {
        options.validate()?;
        self.hold_lock()?;
        if !self.journal.meta()?.ingest_complete && !self.stop.is_stopped() {
            return Err(SyncError::Options {
                option: "ingest",
                rule: "the input is not fully read: call SyncJob::ingest before SyncJob::run"
                    .into(),
            });
        }
        if let Some(max) = self.plan.max_items()
            && self.plan.batched()
            && options.batch_size > max
        {
            return Err(SyncError::Options {
                option: "batch-size",
                rule: format!(
                    "must be at most {max} ({} takes no more per call)",
                    self.plan.method()
                ),
            });
        }
        let context = unit_context(
            self.plan,
            self.meta.kind.as_str(),
            job_flags(self.plan, &self.meta)?,
            ignored_columns(&self.meta),
        );
        let started = Instant::now();
        let before = self.journal.summary()?;
        let calls_before = self.progress.snapshot().calls;
        let engine = Arc::new(Engine::new(
            Arc::clone(&self.journal),
            Arc::clone(&self.meta),
            context,
            client.clone(),
            options.clone(),
            Arc::clone(&self.progress),
            Arc::clone(&self.stop),
        ));
        engine.run().await?;
        let summary = self.refresh_progress()?;
        let finished = |s: &Summary| s.done + s.failed + s.unknown;
        Ok(RunReport {
            summary,
            stopped: self.stop.reason(),
            processed: finished(&summary).saturating_sub(finished(&before)),
            calls: self.progress.snapshot().calls.saturating_sub(calls_before),
            elapsed: started.elapsed(),
        })
    }

    /// Rows by state.
    pub fn summary(&self) -> Result<Summary, SyncError> {
        self.journal.summary()
    }

    /// Puts failed rows (and unknown ones with `include_unknown`) back to pending for the
    /// next [`SyncJob::run`]. Returns how many.
    pub fn retry(&self, include_unknown: bool) -> Result<u64, SyncError> {
        self.hold_lock()?;
        let n = self.journal.reset_for_retry(include_unknown)?;
        self.refresh_progress()?;
        Ok(n)
    }

    /// Writes the failed, invalid and unknown rows to a CSV file; returns how many. A
    /// workbook job's file names the sheet and row of each (`sheet,row,...`).
    pub fn write_failures(&self, path: &Path, unmask: bool) -> Result<u64, SyncError> {
        let mut writer = FailuresWriter::create_for_sheet(
            path,
            &self.meta.kind,
            unmask,
            self.meta.settings().sheet,
        )?;
        writer.from_journal(&self.journal)?;
        writer.finish()
    }
}

/// Checks every row of `spec`'s input without a journal and without sending, read as a run
/// would read it (encoding, sheet, normalisation, columns). Invalid rows go to `failures`
/// when given; the report previews the first rows as they would be sent, masked.
pub fn validate_input(
    spec: &JobSpec,
    progress: &Progress,
    failures: Option<(&Path, bool)>,
) -> Result<DryRunReport, SyncError> {
    let (plan, flags) = check_spec(spec)?;
    let meta = JobMeta {
        read: None,
        job_id: "dry-run".into(),
        kind: spec.kind.clone(),
        input: spec.input.clone(),
        input_sha256: String::new(),
        format: spec.input_format(),
        target: spec.target.clone(),
        flags,
        created_at: String::new(),
        ingest_complete: false,
    };
    // The file is opened (its header checked, its sheet found) before the failures file is
    // created, so that a refused file leaves none behind.
    let mut writer: Option<FailuresWriter> = None;
    let report = dry_run(
        &meta,
        plan,
        &spec.input,
        &spec.read,
        progress,
        |sheet, invalid| {
            if writer.is_none()
                && let Some((path, unmask)) = failures
            {
                writer = Some(FailuresWriter::create_for_sheet(
                    path,
                    &spec.kind,
                    unmask,
                    sheet.map(str::to_owned),
                )?);
            }
            match writer.as_mut() {
                Some(w) => w.invalid(invalid),
                None => Ok(()),
            }
        },
    )?;
    if writer.is_none()
        && let Some((path, unmask)) = failures
    {
        writer = Some(FailuresWriter::create_for_sheet(
            path,
            &spec.kind,
            unmask,
            report.input.sheet.clone(),
        )?);
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    Ok(report)
}

/// The spec's plan and its flags as journaled (enum names read as codes; none for a
/// blacklist job, whose target holds them), once its options are known to work: a
/// blacklist job has a supplier and only it has one, and the flags are those of the API
/// and follow its rules.
fn check_spec(
    spec: &JobSpec,
) -> Result<
    (
        &'static BulkPlan,
        std::collections::BTreeMap<String, String>,
    ),
    SyncError,
> {
    let blacklist = spec.kind == BulkKind::Named(JobKind::Blacklist);
    match (blacklist, &spec.target) {
        (true, None) => {
            return Err(SyncError::Options {
                option: "supplier-id",
                rule: "a blacklist job needs a supplier id".into(),
            });
        }
        (false, Some(_)) => {
            return Err(SyncError::Options {
                option: "supplier-id",
                rule: format!(
                    "only blacklist jobs have a supplier id, not {} jobs",
                    spec.kind
                ),
            });
        }
        _ => {}
    }
    let plan = spec.kind.plan()?;
    match &spec.target {
        Some(target) if spec.flags.is_empty() => {
            checked_flags(plan, &target.flags())?;
            Ok((plan, std::collections::BTreeMap::new()))
        }
        _ => Ok((plan, checked_flags(plan, &spec.flags)?)),
    }
}

/// 16 hex digits from the input hash, the clock and the process id: unique per job.
fn new_job_id(input_sha256: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(input_sha256.as_bytes());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(fastrand::u64(..).to_le_bytes());
    hex::encode(&hasher.finalize()[..8])
}
