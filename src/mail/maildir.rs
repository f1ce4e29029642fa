//! A local Maildir (with Maildir++ subfolders) as a mail source, through the same
//! pipeline as IMAP: for people who already sync with mbsync or offlineimap, and for
//! the demo. Read-only: files are never moved, renamed or flagged. A folder's files are
//! read and classified on up to four threads at once while a writer thread stores the
//! batch read before (`Source::sync_folder`), as an IMAP first sync does.
//!
//! Maildir has no UIDs; a message is known by the unique part of its file name (before
//! `:2,` and the flags), kept as text, so flag changes that rename a file do not make it
//! new and two files can never be mistaken for one. What this module must never do:
//! read a file whole (headers plus the first `max_body_bytes` of the body at most), hold
//! a whole folder in one transaction (progress is committed in bounded batches, so a
//! kill part-way never repeats the same work forever), or keep going after a stop was
//! asked for (checked between files).

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::Timestamp;

use super::sync::{Classifier, FolderReport, Known, Need, need, record_with};
use crate::config::Loaded;
use crate::store::{Cursor, NewMessage, Store};

/// Folders never read: they hold nobody's conversation.
const SKIP: &[&str] = &[".Junk", ".Spam", ".Trash", ".Drafts", ".Deleted Messages"];

/// Most header bytes read from one file; a message whose header block is longer is
/// classified on these bytes alone.
pub const HEADER_CAP: usize = 256 * 1024;

/// At most this many threads read and classify a batch's files at once.
const READERS: usize = 4;

/// A transaction is committed after this many files read...
const BATCH_FILES: usize = 200;
/// ...or this many bytes read, whichever comes first.
const BATCH_BYTES: usize = 32 * 1024 * 1024;

/// The folders of a Maildir++ tree: `INBOX` (the root) and every `.Sub` folder.
pub fn folders(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = vec![("INBOX".to_string(), root.to_path_buf())];
    let entries = std::fs::read_dir(root)
        .with_context(|| format!("Reading the Maildir {}", root.display()))?;
    let mut subs = Vec::new();
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            && name != "."
            && name != ".."
            && !SKIP.iter().any(|s| s.eq_ignore_ascii_case(&name))
            && e.path().join("cur").is_dir()
        {
            subs.push((name, e.path()));
        }
    }
    subs.sort();
    out.extend(subs);
    Ok(out)
}

/// Whether a Maildir++ folder holds the user's sent mail, by the names mail programs
/// give it (`.Sent`, `.Sent Messages`, `.Sent Items`, `.Sent Mail`).
fn is_sent_folder(name: &str) -> bool {
    let n = name.trim_start_matches('.').to_lowercase();
    n == "sent" || n.starts_with("sent ") || n.ends_with(".sent")
}

/// The unique part of a Maildir file name: everything before the `:` that starts the
/// info (`:2,FLAGS`). The Maildir specification keeps `:` out of unique names.
pub fn unique_name(file_name: &str) -> &str {
    file_name.split(':').next().unwrap_or(file_name)
}

/// Reads a message's header block (up to [`HEADER_CAP`] bytes) and at most `max_body`
/// bytes of its body, never more, however large the file is.
pub fn read_capped(file: impl Read, max_body: usize) -> std::io::Result<Vec<u8>> {
    let limit = HEADER_CAP.saturating_add(max_body);
    let mut buf = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut buf)?;
    let end = header_end(&buf).unwrap_or(HEADER_CAP.min(buf.len()));
    buf.truncate(end.saturating_add(max_body).min(buf.len()));
    Ok(buf)
}

/// Where the body starts: just after the first empty line, within [`HEADER_CAP`].
fn header_end(buf: &[u8]) -> Option<usize> {
    let window = &buf[..buf.len().min(HEADER_CAP)];
    let mut at_line_start = true;
    for (i, &b) in window.iter().enumerate() {
        match b {
            b'\n' if at_line_start => return Some(i + 1),
            b'\n' => at_line_start = true,
            b'\r' => {}
            _ => at_line_start = false,
        }
    }
    None
}

/// Syncs every folder of the configured Maildir once.
pub fn sync_maildir(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<Vec<FolderReport>> {
    sync_maildir_until(store, cfg, now, &|| false)
}

/// [`sync_maildir`], stopping between two files as soon as `stop` says so; what was read
/// until then is committed, and the next sync goes on from there.
pub fn sync_maildir_until(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
    stop: &dyn Fn() -> bool,
) -> Result<Vec<FolderReport>> {
    let Some(mcfg) = &cfg.config.maildir else {
        anyhow::bail!("no [maildir] section in {}", cfg.path.display());
    };
    let root = crate::config::expand_tilde(&mcfg.path);
    let source = Source {
        account: format!("maildir:{}", root.display()),
        max_body: usize::try_from(mcfg.max_body_bytes).unwrap_or(usize::MAX),
        classifier: Classifier::new(store, cfg, now)?,
        contacts: store.contact_addresses()?,
        now,
    };
    let mut reports = Vec::new();
    // The sent folders first, so that a reply is read knowing the request it answers;
    // the classifier is built again per folder to know what the last one held.
    let mut list = folders(&root)?;
    list.sort_by_key(|(name, _)| !is_sent_folder(name));
    let mut source = source;
    for (folder, dir) in list {
        if stop() {
            return Ok(reports);
        }
        source.classifier = Classifier::new(store, cfg, now)?;
        source.contacts = store.contact_addresses()?;
        let (report, finished) = source.sync_folder(store, &folder, &dir, stop)?;
        reports.push(report);
        if !finished {
            return Ok(reports);
        }
    }
    super::sync::confirm_unknown(store, now)?;
    Ok(reports)
}

/// One Maildir account, ready to read.
struct Source {
    account: String,
    max_body: usize,
    classifier: Classifier,
    /// Contact addresses, lowercased: their mail is always read whole.
    contacts: HashSet<String>,
    now: Timestamp,
}

/// The message files of one folder (`cur` and `new`), sorted by name.
fn list_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for sub in ["cur", "new"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // The directory entry says a plain file's type without a stat; a link (or a
            // file system that does not say) is followed as before.
            let file = match e.file_type() {
                Ok(t) if t.is_file() => true,
                Ok(t) if t.is_dir() => false,
                _ => e.path().is_file(),
            };
            if !name.starts_with('.') && file {
                files.push((name, e.path()));
            }
        }
    }
    files.sort();
    files
}

/// One file read and classified, waiting to be stored.
struct ReadFile {
    unique: String,
    message: NewMessage,
}

/// Reads and classifies one file (on a reader thread). An unreadable file is warned
/// about and skipped, as it always was.
fn read_file(source: &Source, (name, path): &(String, PathBuf)) -> Option<ReadFile> {
    let opened = std::fs::File::open(path).and_then(|f| {
        let meta = f.metadata()?;
        let mtime = meta.modified().ok();
        read_capped(f, source.max_body).map(|raw| (raw, mtime, meta.len()))
    });
    let (raw, mtime, size) = match opened {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(file = %path.display(), error = %e, "unreadable, skipped");
            return None;
        }
    };
    let mtime = mtime.and_then(|t| Timestamp::try_from(t).ok());
    Some(ReadFile {
        unique: unique_name(name).to_string(),
        message: source.read(&raw, size, mtime),
    })
}

/// Stores one batch of read files in one transaction (with their names, which are the
/// folder's progress: a kill part-way re-reads only what was not committed).
fn store_files(
    store: &mut Store,
    (account, folder): (&str, &str),
    files: &[ReadFile],
    report: &mut FolderReport,
    now: Timestamp,
) -> Result<()> {
    let tx = store.batch()?;
    for f in files {
        report.bodies += 1;
        let (new, n) = record_with(&tx, &f.message, now, |conn, row| {
            conn.add_maildir_file(account, folder, &f.unique, row)
        })?;
        report.count(&f.message, new, n);
    }
    tx.commit()
}

impl Source {
    /// Classifies one file's bytes as an IMAP sync would read the message: list mail
    /// and anything larger than `max_body_bytes` from its header block alone, parsed
    /// once (`sync::need`); everything else whole. A stranger's mail is read whole
    /// (a file costs nothing to fetch, and Maildir has no re-reading of what was read
    /// from headers once its sender becomes a contact).
    fn read(&self, raw: &[u8], size: u64, mtime: Option<Timestamp>) -> NewMessage {
        let head = raw
            .get(..header_end(raw).unwrap_or(raw.len()))
            .unwrap_or(raw);
        let parsed = crate::core::classify::Parsed::new(head);
        let known = Known {
            contacts: &self.contacts,
            sent_ids: &self.classifier.sent_ids,
        };
        let size = u32::try_from(size).unwrap_or(u32::MAX);
        let max = u32::try_from(self.max_body).unwrap_or(u32::MAX);
        match need(&parsed, size, max, &known) {
            Need::Headers => self.classifier.prepare_parsed(head, Some(&parsed), mtime),
            Need::Body | Need::Deferred => self.classifier.prepare(raw, mtime),
        }
    }

    /// Reads the new files of one folder; `Ok((report, false))` when stopped part-way.
    ///
    /// The same shape as an IMAP first sync (`sync::pipeline`): each batch's files are
    /// read and classified on up to four threads at once, and the batch read before is
    /// stored meanwhile by a writer thread on a connection of its own (which commits
    /// with `synchronous=NORMAL`: a batch commits with its files' names, so a crash
    /// re-reads, never skips). A database without a file is written here, in turn.
    fn sync_folder(
        &self,
        store: &mut Store,
        folder: &str,
        dir: &Path,
        stop: &dyn Fn() -> bool,
    ) -> Result<(FolderReport, bool)> {
        let mut report = FolderReport {
            account: self.account.clone(),
            folder: folder.to_string(),
            ..FolderReport::default()
        };
        let known = store.maildir_names(&self.account, folder)?;
        let todo: Vec<(String, PathBuf)> = list_files(dir)
            .into_iter()
            .filter(|(name, _)| !known.contains(unique_name(name)))
            .collect();
        let place = (self.account.as_str(), folder);
        let finished = match store.another()? {
            Some(mut second) => std::thread::scope(|scope| -> Result<bool> {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<ReadFile>>(1);
                let now = self.now;
                let writer = scope.spawn(move || -> Result<FolderReport> {
                    let mut r = FolderReport::default();
                    for batch in rx {
                        store_files(&mut second, place, &batch, &mut r, now)?;
                    }
                    Ok(r)
                });
                let finished = self.read_batches(&todo, stop, |batch| {
                    tx.send(batch)
                        .map_err(|_| anyhow::anyhow!("the database writer stopped"))
                });
                drop(tx);
                let stored = writer
                    .join()
                    .map_err(|_| anyhow::anyhow!("the database writer stopped"))?;
                merge(&mut report, stored?);
                finished
            })?,
            None => self.read_batches(&todo, stop, |batch| {
                store_files(store, place, &batch, &mut report, self.now)
            })?,
        };
        if !finished {
            return Ok((report, false));
        }
        let cursor = Cursor {
            uidvalidity: 1,
            next_uid: 0,
        };
        store.set_cursor(&self.account, folder, cursor, self.now)?;
        Ok((report, true))
    }

    /// Cuts `todo` into batches (at most [`BATCH_FILES`] files or [`BATCH_BYTES`]
    /// bytes), reads each on the reader threads and hands it to `keep`; `stop` is asked
    /// before each file. Returns whether every file was read.
    fn read_batches(
        &self,
        todo: &[(String, PathBuf)],
        stop: &dyn Fn() -> bool,
        mut keep: impl FnMut(Vec<ReadFile>) -> Result<()>,
    ) -> Result<bool> {
        let mut rest = todo;
        while !rest.is_empty() {
            let (mut files, mut bytes) = (0usize, 0usize);
            let mut stopped = false;
            for (_, path) in rest {
                if files >= BATCH_FILES || bytes >= BATCH_BYTES {
                    break;
                }
                if stop() {
                    stopped = true;
                    break;
                }
                let len = std::fs::metadata(path).map_or(0, |m| m.len());
                let cap = HEADER_CAP.saturating_add(self.max_body);
                bytes += usize::try_from(len).unwrap_or(usize::MAX).min(cap);
                files += 1;
            }
            let (batch, later) = rest.split_at(files);
            if !batch.is_empty() {
                keep(self.read_in_parts(batch))?;
            }
            if stopped {
                return Ok(false);
            }
            rest = later;
        }
        Ok(true)
    }

    /// Reads a batch on up to [`READERS`] threads, each taking the next file not yet
    /// taken (files differ a hundredfold in cost: fixed shares would leave one thread
    /// working while the others wait); the results keep the batch's order.
    fn read_in_parts(&self, batch: &[(String, PathBuf)]) -> Vec<ReadFile> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let readers = std::thread::available_parallelism().map_or(1, |n| n.get().min(READERS));
        let next = AtomicUsize::new(0);
        let mut read: Vec<(usize, ReadFile)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..readers.min(batch.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(file) = batch.get(i) else {
                                return mine;
                            };
                            if let Some(r) = read_file(self, file) {
                                mine.push((i, r));
                            }
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                // A reader that panicked (a bug: reading never panics on input) loses
                // the files it read, which are read again by the next sync.
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        read.sort_by_key(|(i, _)| *i);
        read.into_iter().map(|(_, r)| r).collect()
    }
}

/// Adds what the writer thread stored to the folder's report.
fn merge(into: &mut FolderReport, from: FolderReport) {
    into.read += from.read;
    into.new += from.new;
    into.bodies += from.bodies;
    into.interactions += from.interactions;
    for (label, n) in from.labels {
        *into.labels.entry(label).or_default() += n;
    }
}

#[cfg(test)]
mod tests;
