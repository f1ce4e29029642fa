//! The loop of a folder's first (or catching-up) sync, overlapped: while one group of
//! messages is read (classified) on blocking threads, the next batch's headers and the
//! next group's texts are fetched on the connection, and the group read before is
//! stored (with the folder's cursor, in one transaction) by the writer on a thread of
//! its own. A group's messages read from their headers alone (most of a first sync) are
//! read while the group's texts are still coming, so the readers never wait for the
//! server's round trips; the group is put back in UID order before it is stored.
//!
//! At most two groups with bodies are held at once (one being read, one being fetched),
//! each under [`BODY_BATCH_BYTES`] of bodies; the writer holds read envelopes only. The
//! cursor stored with a group only ever covers messages already stored (headers are
//! taken in UID order, groups are stored in order, and a group's cursor stops after its
//! last UID unless it ends its batch, and never passes the lowest UID asked for whose
//! header, or wanted text, did not come), so a stop or an error leaves nothing skipped.
//! A batch the server refused or cut is an error naming the folder and the UID range,
//! after what was stored before it is kept; a message whose text was wanted and did not
//! come is not stored from its headers alone.
//! A message read from its headers alone is stored without its evidence (`why` reads it
//! again on demand, `sync::evidence`). This module never classifies nor writes SQL
//! itself: `Classifier::prepare` reads, `writer` stores.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use jiff::Timestamp;

use super::body::{self, Known, Need};
use super::writer::Writer;
use super::{
    BATCH, BODY_BATCH_BYTES, Classifier, FolderReport, Location, Prepared, TEXT_CAP, body_groups,
};
use crate::core::classify::Parsed;
use crate::mail::imap;
use crate::store::Store;

/// One message as fetched: its header, and its text where it was worth reading.
struct Raw {
    uid: u32,
    internal_date: Option<Timestamp>,
    header: Vec<u8>,
    text: Option<Vec<u8>>,
    deferred: bool,
    /// Its header block did not end within [`imap::HEADER_CAP`].
    oversized: bool,
    /// The header block as parsed to judge it, when no text was fetched: classified
    /// from this parse, not parsed again.
    parsed: Option<Parsed>,
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
                None => {
                    // Read from its headers alone: its evidence is not stored (most of a
                    // first sync's mail, and the writer's cost); `rapport why` reads the
                    // headers again to show it.
                    let mut m = c.prepare_parsed(&r.header, r.parsed.as_ref(), r.internal_date);
                    m.classification.evidence.clear();
                    m
                }
            };
            let mut message = message;
            if r.oversized {
                message.parse_error = format!(
                    "its header block is larger than {} KiB (no blank line ends it): recorded from its first {} KiB only and not read further",
                    imap::HEADER_CAP / 1024,
                    imap::HEADER_CAP / 1024
                );
            }
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
    /// Parts of the group, each read on a thread of its own (those read from their
    /// headers alone first, then those with a text).
    reading: Vec<tokio::task::JoinHandle<Vec<Prepared>>>,
    next_uid: u32,
}

/// Waits for the group in flight, if any.
async fn land(flight: &mut Option<Flight>) -> Result<Option<(Vec<Prepared>, u32)>> {
    let Some(f) = flight.take() else {
        return Ok(None);
    };
    let mut prepared = Vec::new();
    for part in f.reading {
        prepared.extend(part.await.context("reading a batch of messages")?);
    }
    // The messages read from their headers were started before the texts came: put back
    // in UID order, the order the group is stored in.
    prepared.sort_by_key(|p| p.uid);
    Ok(Some((prepared, f.next_uid)))
}

/// A batch's headers, sorted by UID, with what each one needs.
struct Headers {
    list: Vec<imap::Fetched>,
    /// Each header block parsed once: judged here, classified from it when its text is
    /// not fetched.
    parsed: Vec<Option<Parsed>>,
    needs: Vec<Need>,
    wanted: Vec<bool>,
    /// The cursor once the whole batch is stored.
    end: u32,
    /// The lowest UID asked for whose answer did not come (its header, or its text when
    /// wanted): no cursor stored for this batch goes past it.
    first_missing: Option<u32>,
    /// The UIDs asked for whose answer did not come.
    missing: Vec<u32>,
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
    /// How many threads read a group at once.
    pub readers: usize,
}

impl Folder<'_> {
    /// Hands a group that was read, with its cursor, to the writer.
    async fn keep(
        &mut self,
        writer: &mut Writer,
        landed: Option<(Vec<Prepared>, u32)>,
        next_uid: &mut u32,
    ) -> Result<()> {
        let Some((prepared, upto)) = landed else {
            return Ok(());
        };
        *next_uid = (*next_uid).max(upto);
        let group = (prepared, *next_uid);
        writer
            .put(self.store, &self.at, self.report, group, self.now)
            .await
    }

    /// Judges from the headers which bodies to fetch.
    fn judge(&self, mut list: Vec<imap::Fetched>, chunk: &[u32]) -> Headers {
        list.sort_by_key(|f| f.uid);
        let (parsed, needs): (Vec<Option<Parsed>>, Vec<Need>) = self.parse_all(&list);
        let wanted = needs.iter().map(|n| *n == Need::Body).collect();
        let got: std::collections::HashSet<u32> = list.iter().map(|f| f.uid).collect();
        let mut missing: Vec<u32> = chunk.iter().copied().filter(|u| !got.contains(u)).collect();
        missing.sort_unstable();
        let first_missing = missing.first().copied();
        let end = chunk.iter().copied().max().unwrap_or(0).saturating_add(1);
        Headers {
            list,
            parsed,
            needs,
            wanted,
            end: first_missing.map_or(end, |m| m.min(end)),
            first_missing,
            missing,
        }
    }

    /// Parses every header block of a batch and judges it, on up to `readers` threads
    /// at once (the connection waits for this, so it is spread). An oversized block
    /// is recorded from its first bytes, parsed by the reader.
    fn parse_all(&self, list: &[imap::Fetched]) -> (Vec<Option<Parsed>>, Vec<Need>) {
        // Only what is shared with the threads (the store is not).
        let (known, max) = (&self.known, self.max_body_bytes);
        let judge = move |f: &imap::Fetched| match f.oversized {
            true => (None, Need::Headers),
            false => {
                let p = Parsed::new(&f.header);
                let n = body::need(&p, f.size, max, known);
                (Some(p), n)
            }
        };
        let part = list.len().div_ceil(self.readers.max(1)).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = list
                .chunks(part)
                .map(|c| scope.spawn(move || c.iter().map(judge).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    // Parsing never panics on input (mail-parser is shielded); a thread
                    // that did anyway is a bug, passed on as one.
                    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
                .unzip()
        })
    }

    /// Syncs `uids` (ascending); returns the cursor's next UID, or `None` when `stop`
    /// said to stop (what was read so far is stored).
    pub(super) async fn run(
        &mut self,
        uids: &[u32],
        next_uid: u32,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<u32>> {
        let read = self.report.read;
        let mut writer = Writer::start(
            self.store,
            &self.at,
            uids.len(),
            read,
            self.now,
            self.progress,
        )?;
        let fetched = self.fetch_all(&mut writer, uids, next_uid, stop).await;
        // Everything handed over is stored (or failed) before this returns; the
        // writer's own error explains a fetch that stopped because the writer had.
        writer.close(self.report).await?;
        fetched
    }

    /// The loop of [`Folder::run`]: fetches, reads and hands each group to `writer`.
    async fn fetch_all(
        &mut self,
        writer: &mut Writer,
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
            // The group before is still being read while this batch's headers come in
            // and are judged; it lands while the first texts are fetched.
            let list = match self.session.fetch_headers(chunk).await {
                Ok(list) => list,
                Err(e) => {
                    let landed = land(&mut flight).await;
                    self.keep(writer, landed?, &mut next_uid).await?;
                    return Err(self.not_read(chunk, None, &e.to_string()));
                }
            };
            let mut batch = self.judge(list, chunk);
            let groups = body_groups(&batch.list, &batch.wanted, BODY_BATCH_BYTES);
            let last = groups.len();
            for (g, group) in groups.into_iter().enumerate() {
                let want: Vec<u32> = group
                    .clone()
                    .filter(|&i| batch.wanted[i])
                    .map(|i| batch.list[i].uid)
                    .collect();
                // What is read from its headers alone is read while the texts come.
                let early = self.read_in_parts(headers_only(&mut batch, group.clone()));
                let (texts, landed) = tokio::join!(
                    self.session.fetch_texts_lean(&want, TEXT_CAP),
                    land(&mut flight)
                );
                self.keep(writer, landed?, &mut next_uid).await?;
                let texts = texts.map_err(|e| self.not_read(&want, None, &e.to_string()))?;
                let texts: HashMap<u32, Vec<u8>> = texts.into_iter().collect();
                // A text asked for and not sent: that message is not stored (stored from
                // its headers alone it would never be read again), nor passed.
                for uid in want.iter().filter(|u| !texts.contains_key(u)) {
                    batch.missing.push(*uid);
                    batch.first_missing = Some(batch.first_missing.map_or(*uid, |m| m.min(*uid)));
                }
                self.report.bodies += texts.len();
                flight = Some(self.launch(&mut batch, group, texts, g + 1 == last, early));
            }
            if !batch.missing.is_empty() {
                let landed = land(&mut flight).await;
                self.keep(writer, landed?, &mut next_uid).await?;
                return Err(self.unanswered(chunk, &mut batch.missing));
            }
        }
        let landed = land(&mut flight).await;
        self.keep(writer, landed?, &mut next_uid).await?;
        Ok((!stopped).then_some(next_uid))
    }

    /// A batch the server refused or cut, named by folder and UID range.
    fn not_read(&self, uids: &[u32], from: Option<u32>, why: &str) -> anyhow::Error {
        let (first, last) = (
            uids.iter().min().copied().unwrap_or(0),
            uids.iter().max().copied().unwrap_or(0),
        );
        let from = from.unwrap_or(first);
        anyhow::anyhow!(
            "UIDs {first}-{last} of {} could not be read ({why}); the folder's cursor stays before UID {from} and the next sync asks again; if this repeats, the server is failing on these messages: look at them in your mail client or ask your provider",
            imap::escape_words(self.at.folder)
        )
    }

    /// A batch the server answered OK without all the messages asked for.
    fn unanswered(&self, chunk: &[u32], missing: &mut Vec<u32>) -> anyhow::Error {
        missing.sort_unstable();
        missing.dedup();
        let first = missing.first().copied().unwrap_or(0);
        let shown: Vec<String> = missing.iter().take(10).map(u32::to_string).collect();
        let more = missing.len().saturating_sub(10);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        self.not_read(
            chunk,
            Some(first),
            &format!(
                "the server's answer lacked UID {}{more}; a message deleted meanwhile is not asked for again",
                shown.join(", ")
            ),
        )
    }

    /// Hands a fetched group's texts to blocking threads to be read; `early` reads the
    /// group's messages that need no text, started before the texts came.
    fn launch(
        &self,
        batch: &mut Headers,
        group: std::ops::Range<usize>,
        mut texts: HashMap<u32, Vec<u8>>,
        ends_batch: bool,
        early: Vec<tokio::task::JoinHandle<Vec<Prepared>>>,
    ) -> Flight {
        let last_uid = group.clone().last().map(|i| batch.list[i].uid);
        let kept: Vec<usize> = group
            .filter(|&i| batch.wanted[i] && texts.contains_key(&batch.list[i].uid))
            .collect();
        let raws: Vec<Raw> = kept
            .into_iter()
            .map(|i| {
                let text = texts.remove(&batch.list[i].uid);
                raw(batch, i, text)
            })
            .collect();
        // A group that does not end its batch covers only up to its last UID: the
        // batch's later groups are not stored yet. No group passes a UID whose answer
        // did not come.
        let next_uid = match last_uid {
            Some(u) if !ends_batch => u.saturating_add(1),
            _ => batch.end,
        };
        let next_uid = batch.first_missing.map_or(next_uid, |m| next_uid.min(m));
        let mut reading = early;
        reading.extend(self.read_in_parts(raws));
        Flight { reading, next_uid }
    }

    /// Reads `raws` on up to `readers` threads at once, in consecutive parts of about
    /// the same bytes (reading is most of a first sync's work, and one message's reading
    /// does not depend on another's); the parts are stored in order.
    fn read_in_parts(&self, raws: Vec<Raw>) -> Vec<tokio::task::JoinHandle<Vec<Prepared>>> {
        // A message costs about its bytes to read, plus a fixed part.
        let weight = |r: &Raw| r.header.len() + r.text.as_ref().map_or(0, Vec::len) + 2048;
        let share = raws
            .iter()
            .map(weight)
            .sum::<usize>()
            .div_ceil(self.readers.max(1))
            .max(1);
        let mut parts = Vec::with_capacity(self.readers);
        let (mut part, mut bytes) = (Vec::new(), 0);
        for r in raws {
            bytes += weight(&r);
            part.push(r);
            if bytes >= share {
                parts.push(std::mem::take(&mut part));
                bytes = 0;
            }
        }
        if !part.is_empty() {
            parts.push(part);
        }
        parts
            .into_iter()
            .map(|part| {
                let c = Arc::clone(&self.classifier);
                tokio::task::spawn_blocking(move || read(&c, part))
            })
            .collect()
    }
}

/// Message `i` of a batch as it is handed to a reader (its header moves out of the
/// batch), with its text when one was fetched.
fn raw(batch: &mut Headers, i: usize, text: Option<Vec<u8>>) -> Raw {
    let f = &mut batch.list[i];
    // With a text, the whole message is parsed again: the block's parse goes.
    let parsed = batch.parsed.get_mut(i).and_then(Option::take);
    Raw {
        uid: f.uid,
        internal_date: f.internal_date,
        header: std::mem::take(&mut f.header),
        parsed: if text.is_none() { parsed } else { None },
        text,
        deferred: batch.needs[i] == Need::Deferred,
        oversized: f.oversized,
    }
}

/// The messages of `group` that are read from their headers alone (no text wanted).
fn headers_only(batch: &mut Headers, group: std::ops::Range<usize>) -> Vec<Raw> {
    let picked: Vec<usize> = group.filter(|&i| !batch.wanted[i]).collect();
    picked.into_iter().map(|i| raw(batch, i, None)).collect()
}

/// How many threads read a group at once: the cores there are, at most four.
pub(super) fn readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}
