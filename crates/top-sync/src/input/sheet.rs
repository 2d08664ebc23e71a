//! Workbook input (calamine): one sheet (the first visible one, or the one named), read row
//! by row. An `.xlsx` sheet is streamed cell by cell (calamine's cell reader: memory holds
//! the workbook's shared-strings table, which the reader itself needs, and a few rows); an
//! `.xls` or `.ods` sheet is read whole by calamine first (an `.xls` sheet has at most 65 536
//! rows).
//!
//! The workbook is read on a thread of its own, which hands rows over through a bounded
//! channel: calamine's cell reader borrows the workbook, so the two cannot live in one
//! reader struct, and a workbook calamine cannot read (or a panic inside it) ends as an
//! error here rather than a crash.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use calamine::{Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

use crate::error::SyncError;
use crate::input::cell::{CellText, cell_ref_text, cell_text};
use crate::input::format::InputFormat;

/// Rows the reading thread may be ahead of the consumer.
const AHEAD: usize = 256;

/// One row of a sheet: its 0-based index and its non-empty cells by 0-based column.
pub(crate) type SheetRow = (u32, Vec<(u32, CellText)>);

enum Message {
    /// The workbook is open: the sheet being read.
    Opened(String),
    Row(SheetRow),
    /// The workbook cannot be read (or the sheet does not exist).
    Failed(String),
    End,
}

/// Rows of one sheet, read on a thread.
pub(crate) struct SheetReader {
    rx: Receiver<Message>,
    sheet: String,
    done: bool,
    thread: Option<JoinHandle<()>>,
}

impl SheetReader {
    /// Opens the workbook and its sheet (`sheet`, else the first visible worksheet).
    ///
    /// # Errors
    /// [`SyncError::InputShape`] when the workbook cannot be read or has no such sheet.
    pub(crate) fn open(
        path: &Path,
        format: InputFormat,
        sheet: Option<&str>,
    ) -> Result<Self, SyncError> {
        let file = File::open(path).map_err(|source| SyncError::Input {
            path: path.to_owned(),
            source,
        })?;
        let (tx, rx) = sync_channel(AHEAD);
        let wanted = sheet.map(str::to_owned);
        let spawned = std::thread::Builder::new()
            .name("top-sync-workbook".into())
            .spawn(move || read_workbook(BufReader::new(file), format, wanted.as_deref(), &tx));
        let thread = spawned.map_err(|source| SyncError::Input {
            path: path.to_owned(),
            source,
        })?;
        let mut reader = SheetReader {
            rx,
            sheet: String::new(),
            done: false,
            thread: Some(thread),
        };
        match reader.rx.recv() {
            Ok(Message::Opened(name)) => {
                reader.sheet = name;
                Ok(reader)
            }
            Ok(Message::Failed(reason)) => Err(shape(path, reason)),
            _ => Err(shape(
                path,
                format!("it is not a readable {} workbook", format.as_str()),
            )),
        }
    }

    /// The sheet being read.
    pub(crate) fn sheet(&self) -> &str {
        &self.sheet
    }

    /// The next row with a value in it, `None` at the end.
    ///
    /// # Errors
    /// [`SyncError::InputShape`] when the workbook turns out unreadable part way.
    pub(crate) fn next_row(&mut self, path: &Path) -> Result<Option<SheetRow>, SyncError> {
        if self.done {
            return Ok(None);
        }
        match self.rx.recv() {
            Ok(Message::Row(row)) => Ok(Some(row)),
            Ok(Message::End) => {
                self.done = true;
                Ok(None)
            }
            Ok(Message::Failed(reason)) => {
                self.done = true;
                Err(shape(path, format!("sheet {}: {reason}", self.sheet)))
            }
            Ok(Message::Opened(_)) | Err(_) => {
                self.done = true;
                Err(shape(
                    path,
                    format!("sheet {}: the workbook reader stopped", self.sheet),
                ))
            }
        }
    }
}

impl Drop for SheetReader {
    fn drop(&mut self) {
        // Dropping the receiver first makes the thread's next send fail, so it ends.
        let (_, rx) = sync_channel(1);
        drop(std::mem::replace(&mut self.rx, rx));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn shape(path: &Path, reason: String) -> SyncError {
    SyncError::InputShape {
        path: path.to_owned(),
        reason,
    }
}

/// The thread: opens the workbook, picks the sheet, sends its rows.
fn read_workbook<RS: Read + Seek>(
    reader: RS,
    format: InputFormat,
    wanted: Option<&str>,
    tx: &SyncSender<Message>,
) {
    let outcome = match format {
        InputFormat::Xls => Xls::new(reader)
            .map_err(|e| e.to_string())
            .and_then(|wb| read_range(wb, wanted, tx)),
        InputFormat::Ods => Ods::new(reader)
            .map_err(|e| e.to_string())
            .and_then(|wb| read_range(wb, wanted, tx)),
        _ => Xlsx::new(reader)
            .map_err(|e| e.to_string())
            .and_then(|wb| stream_xlsx(wb, wanted, tx)),
    };
    let last = match outcome {
        Ok(()) => Message::End,
        Err(reason) => Message::Failed(reason),
    };
    let _ = tx.send(last);
}

/// The sheet to read: the one named, else the first visible worksheet (else the first).
fn pick_sheet<RS: Read + Seek, W: Reader<RS>>(
    workbook: &W,
    wanted: Option<&str>,
) -> Result<String, String> {
    let sheets = workbook.sheets_metadata();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    if let Some(wanted) = wanted {
        if names.contains(&wanted) {
            return Ok(wanted.to_owned());
        }
        let near = top_model::did_you_mean(wanted, names.iter().copied())
            .map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
        return Err(format!(
            "the workbook has no sheet `{wanted}`{near}; its sheets: {}",
            names.join(", ")
        ));
    }
    sheets
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(|s| s.typ == SheetType::WorkSheet))
        .or_else(|| sheets.first())
        .map(|s| s.name.clone())
        .ok_or_else(|| "the workbook has no sheet".to_owned())
}

/// Sends a message; `false` when the consumer is gone (stop reading).
fn send(tx: &SyncSender<Message>, message: Message) -> bool {
    tx.send(message).is_ok()
}

/// Streams an `.xlsx` sheet, cell by cell, grouped into rows.
fn stream_xlsx<RS: Read + Seek>(
    mut workbook: Xlsx<RS>,
    wanted: Option<&str>,
    tx: &SyncSender<Message>,
) -> Result<(), String> {
    let sheet = pick_sheet(&workbook, wanted)?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| format!("sheet {sheet}: {e}"))?;
    if !send(tx, Message::Opened(sheet)) {
        return Ok(());
    }
    let mut current: Option<(u32, Vec<(u32, CellText)>)> = None;
    while let Some(cell) = cells.next_cell().map_err(|e| e.to_string())? {
        let (row, column) = cell.get_position();
        let text = cell_ref_text(cell.get_value().clone());
        if text == CellText::Empty {
            continue;
        }
        match &mut current {
            Some((at, values)) if *at == row => values.push((column, text)),
            _ => {
                if let Some(done) = current.take()
                    && !send(tx, Message::Row(done))
                {
                    return Ok(());
                }
                current = Some((row, vec![(column, text)]));
            }
        }
    }
    if let Some(done) = current {
        send(tx, Message::Row(done));
    }
    Ok(())
}

/// Sends an `.xls` or `.ods` sheet, read whole by calamine.
fn read_range<RS: Read + Seek, W: Reader<RS>>(
    mut workbook: W,
    wanted: Option<&str>,
    tx: &SyncSender<Message>,
) -> Result<(), String>
where
    W::Error: std::fmt::Display,
{
    let sheet = pick_sheet(&workbook, wanted)?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| format!("sheet {sheet}: {e}"))?;
    if !send(tx, Message::Opened(sheet)) {
        return Ok(());
    }
    let (top, left) = range.start().unwrap_or((0, 0));
    for (i, cells) in range.rows().enumerate() {
        let values: Vec<(u32, CellText)> = cells
            .iter()
            .enumerate()
            .filter_map(|(j, cell)| match cell_text(cell) {
                CellText::Empty => None,
                text => Some((left + u32::try_from(j).unwrap_or(u32::MAX), text)),
            })
            .collect();
        if values.is_empty() {
            continue;
        }
        let row = top.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        if !send(tx, Message::Row((row, values))) {
            return Ok(());
        }
    }
    Ok(())
}
