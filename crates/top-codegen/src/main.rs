//! `top-codegen`: imports vendor API descriptions into `apis/`, generates code from them, and
//! checks that the committed generated code matches `apis/` (CI runs `check`).
//!
//! Exit codes: 0 done, 1 `check` found generated files that differ, 2 bad input (nothing
//! written).

mod changes;
mod error;
mod facade;
mod generate;
mod import;
mod page;
mod rust;
mod scaffold;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CodegenError;

/// Imports TOP API descriptions and generates code from them.
#[derive(Debug, Parser)]
#[command(name = "top-codegen", version, about)]
struct Cli {
    /// The workspace root (the folder holding `apis/` and `crates/`).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Reads vendor descriptions (the vendor's JSON, with or without its
    /// `{"success":..,"data":{..}}` wrapper) into `apis/<method>/vendor.json`, keeping each
    /// API's overlay, and reports what changed.
    Import {
        /// The vendor descriptions.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The domain crate a new API joins (written into its new overlay).
        #[arg(long = "crate", value_name = "NAME")]
        crate_name: Option<String>,
    },
    /// Writes every generated file from `apis/`.
    Generate,
    /// Exits 1, naming the files, when generated files differ from what `apis/` gives.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("top-codegen: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, CodegenError> {
    match cli.command {
        Command::Import { files, crate_name } => {
            let reports = import::import(&cli.root, &files, crate_name.as_deref())?;
            for report in reports {
                println!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate => {
            let outputs = generate::outputs(&cli.root)?;
            print_notes(&outputs.notes);
            let written = generate::write(&cli.root, &outputs)?;
            println!(
                "{} generated files from {} descriptions; {} changed",
                outputs.files.len(),
                outputs.apis,
                written
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let outputs = generate::outputs(&cli.root)?;
            print_notes(&outputs.notes);
            let stale = generate::stale(&cli.root, &outputs)?;
            if stale.is_empty() {
                println!(
                    "{} generated files match {} descriptions",
                    outputs.files.len(),
                    outputs.apis
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("generated files differ from apis/ (run `top-codegen generate`):");
                for path in stale {
                    eprintln!("  {}", path.display());
                }
                Ok(ExitCode::from(1))
            }
        }
    }
}

fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}
