//! The loop of a folder's first (or catching-up) sync, overlapped: while one group of
//! messages is read (classified) on a blocking thread, the next group's headers or
//! bodies are fetched on the connection; each read group is then stored with the
//! folder's cursor in one transaction.
//!
//! At most two groups are held at once (one being read, one being fetched), each under
//! [`BODY_BATCH_BYTES`] of bodies. The cursor stored with a group only ever covers
//! messages already stored (headers are taken in UID order, and a group's cursor stops
//! after its last UID unless it ends its batch), so a stop or an error leaves nothing
//! skipped. This module never classifies nor writes SQL itself: `Classifier::prepare`
//! reads, `store_batch` writes.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use jiff::Timestamp;

use super::body::{self, Known, Need};
use super::{
    BATCH, BODY_BATCH_BYTES, Classifier, FolderReport, Location, Prepared, TEXT_CAP, body_groups,
    store_batch,
};
use crate::mail::imap;
use crate::store::Store;

/// One message as fetched: its header, and its text where it was worth reading.
struct Raw {
    uid: u32,
    internal_date: Option<Timestamp>,
    header: Vec<u8>,
    text: Option<Vec<u8>>,
    deferred: bool,
}

/// Reads a fetched group (runs on a blocking thread).
fn read(c: &Classifier, raws: Vec<Raw>) -> Vec<Prepared> {
    let mut whole = Vec::new();
    raws.into_iter()
        .map(|r| {
            let message = match &r.text {
                Some(text) => {
                    whole.clear();
                    whole.extend_from_slice(&r.header);
                    whole.extend_from_slice(text);
                    c.prepare(&whole, r.internal_date)
                }
                None => c.prepare(&r.header, r.internal_date),
            };
            Prepared {
                uid: r.uid,
                message,
                deferred: r.deferred,
            }
        })
        .collect()
}

/// A group being read, and the cursor to store with it.
struct Flight {
    reading: tokio::task::JoinHandle<Vec<Prepared>>,
    next_uid: u32,
}

/// Waits for the group in flight, if any.
async fn land(flight: &mut Option<Flight>) -> Result<Option<(Vec<Prepared>, u32)>> {
    let Some(f) = flight.take() else {
        return Ok(None);
    };
    let prepared = f.reading.await.context("reading a batch of messages")?;
    Ok(Some((prepared, f.next_uid)))
}

/// A batch's headers, sorted by UID, with what each one needs.
struct Headers {
    list: Vec<imap::Fetched>,
    needs: Vec<Need>,
    wanted: Vec<bool>,
    /// The cursor once the whole batch is stored.
    end: u32,
}

/// Everything the loop works with.
pub(super) struct Folder<'a> {
    pub store: &'a mut Store,
    pub session: &'a mut imap::Session,
    pub classifier: Arc<Classifier>,
    pub known: Known<'a>,
    pub at: Location<'a>,
    pub max_body_bytes: u32,
    pub report: &'a mut FolderReport,
    pub now: Timestamp,
    /// The number of messages to show progress against, when showing it.
    pub progress: Option<usize>,
}

impl Folder<'_> {
    /// Stores a group that was read, with its cursor.
    fn keep(&mut self, landed: Option<(Vec<Prepared>, u32)>, next_uid: &mut u32) -> Result<()> {
        let Some((prepared, upto)) = landed else {
            return Ok(());
        };
        *next_uid = (*next_uid).max(upto);
        store_batch(
            self.store,
            &self.at,
            &prepared,
            *next_uid,
            self.report,
            self.now,
        )?;
        if let Some(total) = self.progress {
            // Progress for a terminal; a closed stderr must not stop (or panic) the sync.
            let _ = write!(
                std::io::stderr(),
                "\r{}: {}/{total} messages",
                self.at.folder,
                self.report.read
            );
        }
        Ok(())
    }

    /// Judges from the headers which bodies to fetch.
    fn judge(&self, mut list: Vec<imap::Fetched>, chunk: &[u32]) -> Headers {
        list.sort_by_key(|f| f.uid);
        let needs: Vec<Need> = list
            .iter()
            .map(|f| body::need(&f.header, f.size, self.max_body_bytes, &self.known))
            .collect();
        let wanted = needs.iter().map(|n| *n == Need::Body).collect();
        let end = chunk.iter().copied().max().unwrap_or(0).saturating_add(1);
        Headers {
            list,
            needs,
            wanted,
            end,
        }
    }

    /// Syncs `uids` (ascending); returns the cursor's next UID, or `None` when `stop`
    /// said to stop (what was read so far is stored).
    pub(super) async fn run(
        &mut self,
        uids: &[u32],
        mut next_uid: u32,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<u32>> {
        let mut flight: Option<Flight> = None;
        let mut stopped = false;
        for chunk in uids.chunks(BATCH) {
            if stop() {
                stopped = true;
                break;
            }
            // The previous group is read while this batch's headers come in.
            let (list, landed) = tokio::join!(self.session.fetch_headers(chunk), land(&mut flight));
            self.keep(landed?, &mut next_uid)?;
            let mut batch = self.judge(list?, chunk);
            let groups = body_groups(&batch.list, &batch.wanted, BODY_BATCH_BYTES);
            let last = groups.len();
            for (g, group) in groups.into_iter().enumerate() {
                let want: Vec<u32> = group
                    .clone()
                    .filter(|&i| batch.wanted[i])
                    .map(|i| batch.list[i].uid)
                    .collect();
                let (texts, landed) =
                    tokio::join!(self.session.fetch_texts(&want, TEXT_CAP), land(&mut flight));
                self.keep(landed?, &mut next_uid)?;
                let texts: HashMap<u32, Vec<u8>> = texts?.into_iter().collect();
                self.report.bodies += texts.len();
                flight = Some(self.launch(&mut batch, group, texts, g + 1 == last));
            }
        }
        let landed = land(&mut flight).await;
        self.keep(landed?, &mut next_uid)?;
        Ok((!stopped).then_some(next_uid))
    }

    /// Hands a fetched group to a blocking thread to be read.
    fn launch(
        &self,
        batch: &mut Headers,
        group: std::ops::Range<usize>,
        mut texts: HashMap<u32, Vec<u8>>,
        ends_batch: bool,
    ) -> Flight {
        let raws: Vec<Raw> = group
            .map(|i| {
                let f = &mut batch.list[i];
                Raw {
                    uid: f.uid,
                    internal_date: f.internal_date,
                    header: std::mem::take(&mut f.header),
                    text: texts.remove(&f.uid),
                    deferred: batch.needs[i] == Need::Deferred,
                }
            })
            .collect();
        // A group that does not end its batch covers only up to its last UID: the
        // batch's later groups are not stored yet.
        let next_uid = match raws.last() {
            Some(r) if !ends_batch => r.uid.saturating_add(1),
            _ => batch.end,
        };
        let c = Arc::clone(&self.classifier);
        Flight {
            reading: tokio::task::spawn_blocking(move || read(&c, raws)),
            next_uid,
        }
    }
}
