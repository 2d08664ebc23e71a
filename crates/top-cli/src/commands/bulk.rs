//! The bulk runner shared by `top blacklist sync`, `top tag import`, `top crm import` and
//! `top sync retry`: open or resume the job, read the input, send, report.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use serde_json::json;
use top_sync::{
    InputFormat, InputSettings, JobSpec, ReadOptions, RunOptions, RunReport, StopReason, SyncJob,
    TextEncoding,
};

use crate::client;
use crate::commands::Ctx;
use crate::error::{CliError, EXIT_FAILED, EXIT_OK, EXIT_STOPPED};
use crate::progress::ProgressView;
use crate::rss::peak_rss_kib;

/// Input options of a bulk import.
#[derive(Debug, Args)]
pub(crate) struct BulkArgs {
    /// The input: CSV with a header row of vendor field names, JSON Lines, or a workbook
    /// (.xlsx, .xls, .ods) whose sheet has such a header row.
    pub file: PathBuf,
    /// Input format (default: by extension; .jsonl/.ndjson/.json are JSON Lines,
    /// .xlsx/.xlsm/.xls/.ods workbooks, anything else CSV).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Text encoding of a CSV or JSON Lines file: auto (default: a byte order mark, else
    /// UTF-8, else GB18030/GBK; JSON Lines: UTF-8 unless a BOM says UTF-16), utf-8,
    /// utf-16le, utf-16be, gb18030 or gbk.
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<Option<TextEncoding>>,
    /// The workbook sheet to read (default: the first visible one).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Send mobiles exactly as written (default: `+86 138 0000 0001`, `138-0000-0001`,
    /// `8613800000001` and full-width digits are sent as their 11 digits).
    #[arg(long)]
    pub no_normalize: bool,
    /// Refuse the file when a column is not one of the API's (default: such a column is
    /// ignored with a warning, unless it looks like a misspelt one).
    #[arg(long)]
    pub strict: bool,
    /// The job's journal (default: FILE.journal next to the input). Run the same command
    /// again to resume.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Check every row, preview the first ones as they will be sent (masked) and report the
    /// invalid ones; send nothing, write no journal.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    /// CSV with a header row.
    Csv,
    /// JSON Lines.
    Jsonl,
    /// An Excel workbook (.xlsx, .xlsm).
    Xlsx,
    /// An Excel 97-2003 workbook (.xls).
    Xls,
    /// An OpenDocument spreadsheet (.ods).
    Ods,
}

fn parse_encoding(text: &str) -> Result<Option<TextEncoding>, String> {
    if text.trim().eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|e| format!("{e}"))
}

/// How a bulk job sends and reports.
#[derive(Debug, Clone, Args)]
pub(crate) struct RunArgs {
    /// Calls in flight at once.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub concurrency: usize,
    /// Calls per second, all workers together.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub qps: u32,
    /// Write failed, invalid and unknown rows to this CSV
    /// (line,state,code,sub_code,message, then the id column).
    #[arg(long, value_name = "PATH")]
    pub failures: Option<PathBuf>,
    /// Show real mobile numbers in the failures file (masked by default).
    #[arg(long)]
    pub unmask: bool,
}

impl BulkArgs {
    /// The job spec with the input options applied.
    pub(crate) fn spec(&self, mut spec: JobSpec) -> JobSpec {
        if let Some(format) = self.format {
            spec = spec.format(match format {
                FormatArg::Csv => InputFormat::Csv,
                FormatArg::Jsonl => InputFormat::Jsonl,
                FormatArg::Xlsx => InputFormat::Xlsx,
                FormatArg::Xls => InputFormat::Xls,
                FormatArg::Ods => InputFormat::Ods,
            });
        }
        let mut read = ReadOptions::default()
            .normalize(!self.no_normalize)
            .strict(self.strict);
        if let Some(Some(encoding)) = self.encoding {
            read = read.encoding(encoding);
        }
        if let Some(sheet) = &self.sheet {
            read = read.sheet(sheet.clone());
        }
        spec = spec.read_options(read);
        if let Some(journal) = &self.journal {
            spec = spec.journal(journal.clone());
        }
        spec
    }
}

/// A new or resumed job, an existing journal, or a dry run.
pub(crate) enum Job {
    /// Create or resume from an input file.
    Open(JobSpec),
    /// An opened journal (`top sync retry`).
    Existing(SyncJob),
    /// Check the input only.
    DryRun(JobSpec),
}

/// Runs a bulk job to the end (or to a stop) and prints the summary.
pub(crate) async fn run(
    ctx: &Ctx,
    job: Job,
    args: &RunArgs,
    batch_size: Option<usize>,
) -> Result<u8, CliError> {
    let options = RunOptions {
        concurrency: args.concurrency,
        qps: args.qps,
        batch_size: batch_size.unwrap_or(RunOptions::default().batch_size),
        ..RunOptions::default()
    };
    if let Job::DryRun(spec) = &job {
        return dry_run(ctx, spec, args);
    }
    options.validate()?;
    // Credentials are checked before a journal is created.
    let client = client::single(&ctx.settings()?)?;
    let job = match job {
        Job::Open(spec) => SyncJob::open(&spec)?,
        Job::Existing(job) => job,
        Job::DryRun(spec) => return dry_run(ctx, &spec, args),
    };
    warn_ignored(&job.meta().kind.to_string(), &job.meta().settings());
    let stop = job.stop_signal();
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("interrupted: finishing the calls in flight (Ctrl-C again to quit at once)");
            stop.stop();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(i32::from(EXIT_STOPPED));
            }
        }
    });
    let meta = job.meta().clone();
    let view = ProgressView::start(
        job.progress(),
        format!("{} {}", meta.kind, file_name(&meta.input)),
    );
    let reader = job.clone();
    let ingested = tokio::task::spawn_blocking(move || reader.ingest()).await;
    let report = match ingested {
        Ok(Ok(_)) => job.run(&client, &options).await,
        Ok(Err(e)) => Err(e),
        Err(e) => Err(top_sync::SyncError::Worker(e)),
    };
    view.finish().await;
    interrupt.abort();
    let report = report?;
    let failures = match &args.failures {
        Some(path) => Some((path.clone(), job.write_failures(path, args.unmask)?)),
        None => None,
    };
    print_summary(ctx, &job, &report, failures.as_ref());
    Ok(exit_code(&report))
}

/// The one warning naming the columns that are read but not sent.
fn warn_ignored(kind: &str, settings: &InputSettings) {
    if !settings.ignored.is_empty() {
        let names: Vec<String> = settings.ignored.iter().map(|n| format!("`{n}`")).collect();
        eprintln!(
            "warning: ignoring {} {} (not columns of a {kind} file; --strict refuses them)",
            if names.len() == 1 {
                "column"
            } else {
                "columns"
            },
            names.join(", ")
        );
    }
}

/// How the input was read, for summaries: `csv, gb18030 (detected); 12 mobiles
/// normalised; ignored columns 备注`.
fn input_text(format: InputFormat, settings: &InputSettings, normalized: u64) -> String {
    let mut text = format.to_string();
    let how = settings.describe();
    if !how.is_empty() {
        text.push_str(&format!(", {how}"));
    }
    if normalized > 0 {
        text.push_str(&format!(
            "; {normalized} {} normalised",
            if normalized == 1 { "mobile" } else { "mobiles" }
        ));
    }
    if !settings.ignored.is_empty() {
        text.push_str(&format!(
            "; ignored columns {}",
            settings.ignored.join(", ")
        ));
    }
    text
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// 3 when stopped early, 1 when a row is not done, else 0.
fn exit_code(report: &RunReport) -> u8 {
    let s = &report.summary;
    if report.stopped.is_some() || s.unfinished() {
        EXIT_STOPPED
    } else if s.failed + s.invalid + s.unknown > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn print_summary(ctx: &Ctx, job: &SyncJob, report: &RunReport, failures: Option<&(PathBuf, u64)>) {
    let s = &report.summary;
    let rss = peak_rss_kib();
    let meta = job.meta();
    let settings = meta.settings();
    let normalized = job.journal().normalized_rows().unwrap_or(0);
    let value = json!({
        "kind": meta.kind.as_str(),
        "journal": job.journal().path(),
        "total": s.total,
        "done": s.done,
        "failed": s.failed,
        "invalid": s.invalid,
        "unknown": s.unknown,
        "pending": s.pending,
        "in_flight": s.in_flight,
        "stopped": report.stopped,
        "processed": report.processed,
        "calls": report.calls,
        "bans": job.progress().snapshot().bans,
        "elapsed_seconds": report.elapsed.as_secs_f64(),
        "rows_per_second": report.rows_per_second(),
        "peak_rss_kib": rss,
        "failures_file": failures.map(|(p, _)| p),
        "format": meta.format.as_str(),
        "input": settings,
        "normalized": normalized,
    });
    let mut text = format!(
        "{} {}: total {}, done {}, failed {}, invalid {}, unknown {}\n  {} rows in {:.1} s ({:.0} rows/s), {} calls; journal {}",
        meta.kind,
        file_name(&meta.input),
        s.total,
        s.done,
        s.failed,
        s.invalid,
        s.unknown,
        report.processed,
        report.elapsed.as_secs_f64(),
        report.rows_per_second(),
        report.calls,
        job.journal().path().display(),
    );
    if let Some(kib) = rss {
        text.push_str(&format!("; peak RSS {:.1} MiB", kib as f64 / 1024.0));
    }
    text.push_str(&format!(
        "\n  input {}",
        input_text(meta.format, &settings, normalized)
    ));
    if let Some((path, n)) = failures {
        text.push_str(&format!("\n  failures: {} ({n} rows)", path.display()));
    } else if s.failed + s.invalid + s.unknown > 0 {
        text.push_str(&format!(
            "\n  see them with: top sync status {} (or --failures PATH)",
            job.journal().path().display()
        ));
    }
    match &report.stopped {
        Some(StopReason::Interrupted) => text.push_str(&format!(
            "\n  stopped early ({} rows left); run the same command again to resume",
            s.pending + s.in_flight
        )),
        Some(StopReason::RateLimited {
            resume_at,
            ban_seconds,
        }) => text.push_str(&format!(
            "\n  stopped: TOP banned the app for {ban_seconds} s (code 7); resume after {resume_at} with the same command"
        )),
        None if s.unknown > 0 => text.push_str(&format!(
            "\n  {} rows may or may not have been applied; after checking, resend them with: top sync retry --unknown {}",
            s.unknown,
            job.journal().path().display()
        )),
        None => {}
    }
    ctx.out.either(&text, &value);
}

fn dry_run(ctx: &Ctx, spec: &JobSpec, args: &RunArgs) -> Result<u8, CliError> {
    let progress = Arc::new(top_sync::Progress::new());
    let failures = args.failures.as_deref().map(|p| (p, args.unmask));
    let report = top_sync::validate_input(spec, &progress, failures)?;
    warn_ignored(&spec.kind.to_string(), &report.input);
    let mut text = format!(
        "dry run of {}: total {}, valid {}, invalid {}{}\n  input {}",
        spec.input.display(),
        report.total,
        report.valid,
        report.invalid,
        args.failures.as_ref().map_or_else(String::new, |p| format!(
            "; invalid rows in {}",
            p.display()
        )),
        input_text(spec.input_format(), &report.input, report.normalized),
    );
    if !report.preview.is_empty() {
        text.push_str("\n  the first rows as they will be sent (masked):");
        for row in &report.preview {
            text.push_str(&format!(
                "\n    {}: {}",
                report.input.place(row.line),
                row.sent
            ));
            if !row.normalized.is_empty() {
                text.push_str(&format!("  (normalised: {})", row.normalized.join(", ")));
            }
        }
    }
    if !report.first_invalid.is_empty() {
        text.push_str("\n  the first invalid rows:");
        for row in &report.first_invalid {
            text.push_str(&format!(
                "\n    {}: {}: {}",
                report.input.place(row.line),
                row.field,
                row.rule
            ));
        }
    }
    ctx.out.either(
        &text,
        &json!({
            "dry_run": true,
            "total": report.total,
            "valid": report.valid,
            "invalid": report.invalid,
            "normalized": report.normalized,
            "format": spec.input_format().as_str(),
            "input": report.input,
            "preview": report.preview,
            "first_invalid": report.first_invalid,
            "failures_file": args.failures,
        }),
    );
    Ok(if report.invalid > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}
