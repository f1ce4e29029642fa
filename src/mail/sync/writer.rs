//! Where a sync's read groups are stored: on a thread of its own with a second
//! connection to the database, so that SQLite works while the connection fetches and the
//! classifier reads the next group; or on the calling thread, for a sync of a single
//! message (nothing to overlap) or a database without a file (in memory, in tests).
//!
//! Either way every group is stored with its cursor in one transaction, in the order it
//! was handed in, so the cursor never passes a message that is not stored. The thread
//! holds no bodies (only read envelopes), and the channel to it holds one group, so a
//! slow disk holds the fetching back instead of piling groups up in memory. The thread's
//! connection commits with `synchronous=NORMAL`: a commit is not waited onto the disk,
//! which is safe only because the cursor is in the same transaction (a crash re-reads,
//! never skips; `store::sync_batch` has the whole argument). This module
//! never reads mail nor decides anything about it: it calls `store_batch`.

use std::io::Write as _;

use anyhow::{Context as _, Result, anyhow};
use jiff::Timestamp;
use tokio::sync::mpsc;

use super::{FolderReport, Location, Prepared, store_batch};
use crate::store::Store;

/// A read group and the cursor to store with it.
pub(super) type Group = (Vec<Prepared>, u32);

/// The folder a writer stores into, owned so that its thread can hold it.
struct Place {
    account: String,
    folder: String,
    uidvalidity: u32,
}

impl Place {
    fn at(&self) -> Location<'_> {
        Location {
            account: &self.account,
            folder: &self.folder,
            uidvalidity: self.uidvalidity,
        }
    }
}

/// Stores read groups, here or on a thread of its own.
pub(super) enum Writer {
    /// A thread with its own connection, fed through a channel of one group.
    Thread {
        tx: mpsc::Sender<Group>,
        done: tokio::task::JoinHandle<Result<FolderReport>>,
    },
    /// The calling thread, on the caller's connection.
    Here { progress: Option<usize> },
}

/// Shows how far a long sync is (a terminal only; a closed stderr must not stop it).
fn show(progress: Option<usize>, folder: &str, read: usize) {
    if let Some(total) = progress {
        let _ = write!(std::io::stderr(), "\r{folder}: {read}/{total} messages");
    }
}

/// Adds what a writer thread stored to the folder's report.
fn merge(into: &mut FolderReport, from: FolderReport) {
    into.read += from.read;
    into.new += from.new;
    into.interactions += from.interactions;
    for (label, n) in from.labels {
        *into.labels.entry(label).or_default() += n;
    }
}

/// The writer thread: stores each group as it comes, until the channel closes.
fn write_all(
    mut store: Store,
    place: &Place,
    mut rx: mpsc::Receiver<Group>,
    mut report: FolderReport,
    now: Timestamp,
    progress: Option<usize>,
) -> Result<FolderReport> {
    let at = place.at();
    while let Some((prepared, next_uid)) = rx.blocking_recv() {
        store_batch(&mut store, &at, &prepared, next_uid, &mut report, now)?;
        show(progress, &place.folder, report.read);
    }
    Ok(report)
}

impl Writer {
    /// A writer for `at`: a thread when `messages` is more than one and the database
    /// has a file, else the calling thread. `read` is what the report counts so far.
    pub(super) fn start(
        store: &Store,
        at: &Location<'_>,
        messages: usize,
        read: usize,
        now: Timestamp,
        progress: Option<usize>,
    ) -> Result<Writer> {
        let second = if messages > 1 { store.another()? } else { None };
        let Some(second) = second else {
            return Ok(Writer::Here { progress });
        };
        let place = Place {
            account: at.account.to_string(),
            folder: at.folder.to_string(),
            uidvalidity: at.uidvalidity,
        };
        let (tx, rx) = mpsc::channel(1);
        // Its counts start where the folder's are, so that progress reads on.
        let base = FolderReport {
            read,
            ..FolderReport::default()
        };
        let done = tokio::task::spawn_blocking(move || {
            write_all(second, &place, rx, base, now, progress).map(|mut r| {
                r.read -= read;
                r
            })
        });
        Ok(Writer::Thread { tx, done })
    }

    /// Stores `group` (on the thread: hands it over, waiting while the thread is busy
    /// with the one before).
    pub(super) async fn put(
        &mut self,
        store: &mut Store,
        at: &Location<'_>,
        report: &mut FolderReport,
        group: Group,
        now: Timestamp,
    ) -> Result<()> {
        match self {
            Writer::Here { progress } => {
                let (prepared, next_uid) = group;
                store_batch(store, at, &prepared, next_uid, report, now)?;
                show(*progress, at.folder, report.read);
                Ok(())
            }
            // A closed channel means the thread stopped on an error; `close` tells it.
            Writer::Thread { tx, .. } => tx
                .send(group)
                .await
                .map_err(|_| anyhow!("the database writer stopped")),
        }
    }

    /// Waits until everything handed over is stored, and adds it to `report`. The
    /// thread's own error (a full disk, say) comes out here.
    pub(super) async fn close(self, report: &mut FolderReport) -> Result<()> {
        match self {
            Writer::Here { .. } => Ok(()),
            Writer::Thread { tx, done } => {
                drop(tx);
                let stored = done.await.context("storing a batch of messages")??;
                merge(report, stored);
                Ok(())
            }
        }
    }
}
