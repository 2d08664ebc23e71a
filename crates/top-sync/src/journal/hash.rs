//! The input file's fingerprint: a resume with a changed file is refused.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::SyncError;

/// SHA-256 of a file, lower-case hex, read in 64 KiB chunks.
pub fn sha256_file(path: &Path) -> Result<String, SyncError> {
    let input_error = |source| SyncError::Input {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(input_error)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0_u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(input_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
