//! One run at a time per journal: an advisory lock on `<journal>.lock`, held while a job
//! reads its input into the journal or sends. Two runs on one journal would send the same
//! rows. The operating system releases the lock when the holder exits, even on SIGKILL, so a
//! killed run never leaves a stale lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::SyncError;

/// The lock; released when dropped.
#[derive(Debug)]
pub(crate) struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock of `journal`, or says another run holds it.
    pub(crate) fn acquire(journal: &Path) -> Result<Self, SyncError> {
        let path = lock_path(journal);
        let file_error = |source| SyncError::JournalFile {
            path: path.clone(),
            source,
        };
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(file_error)?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(SyncError::JournalBusy {
                journal: journal.to_owned(),
            }),
            Err(TryLockError::Error(source)) => Err(file_error(source)),
        }
    }
}

/// `<journal>.lock`, beside the journal.
fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("job.journal");
        let held = RunLock::acquire(&journal).unwrap();
        assert!(matches!(
            RunLock::acquire(&journal),
            Err(SyncError::JournalBusy { .. })
        ));
        drop(held);
        assert!(RunLock::acquire(&journal).is_ok());
        assert!(dir.path().join("job.journal.lock").exists());
    }
}
