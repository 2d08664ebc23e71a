//! Reading secrets: a hidden terminal prompt, or lines on stdin (`--password-stdin`).
//! Never from arguments.

use std::io::{BufRead, IsTerminal};

use top_core::Sensitive;

use crate::error::CliError;

/// Reads `names.len()` secrets: one line each from stdin, or a hidden prompt each.
pub(crate) fn read(names: &[&str], from_stdin: bool) -> Result<Vec<Sensitive<String>>, CliError> {
    if from_stdin {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let line = lines
                .next()
                .transpose()
                .map_err(|source| CliError::Io {
                    context: format!("could not read the {name} from stdin"),
                    source,
                })?
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--password-stdin expects {} lines ({}); the {name} is missing",
                        names.len(),
                        names.join(", ")
                    ))
                })?;
            out.push(Sensitive::new(line.trim_end_matches('\r').to_owned()));
        }
        return Ok(out);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "no terminal to prompt on: pass --password-stdin and write the secrets on stdin, one per line"
                .into(),
        ));
    }
    names
        .iter()
        .map(|name| {
            rpassword::prompt_password(format!("{name}: "))
                .map(Sensitive::new)
                .map_err(|source| CliError::Io {
                    context: format!("could not read the {name}"),
                    source,
                })
        })
        .collect()
}
