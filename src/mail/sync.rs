//! One sync pass: read what is new in each folder, classify it, store the envelope and
//! the classification, advance the folder's cursor in the same transaction, and update
//! the timeline of every contact involved.
//!
//! A message the parser rejects is recorded with the reason and skipped; it never stalls
//! the folder. A changed UIDVALIDITY rescans the lookback window; Message-IDs keep
//! anything from being doubled. Bodies are read only for messages that need them and
//! are never stored.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::HashSet;
use std::io::IsTerminal;
use std::io::Write as _;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use jiff::{Timestamp, ToSpan};
use sha2::{Digest, Sha256};

use crate::config::Loaded;
use crate::core::attribution::Parties;
use crate::core::classify;
use crate::mail::imap;
use crate::store::{self, Cursor, NewMessage, Store};

mod body;
mod evidence;
mod pipeline;
mod reread;
mod writer;

pub use body::{Known, Need, need};
pub use evidence::read_again;

/// Messages whose headers are fetched per round trip (and stored per transaction).
pub const BATCH: usize = 1000;

/// At most this much of a message's text (of each part, when a large attachment is left
/// on the server: `imap::parts`) is fetched: the fresh text, the calendar part and a
/// bounce's report come first; the tail of a large attachment is never read.
pub const TEXT_CAP: u32 = 256 * 1024;

/// What one folder's sync did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct FolderReport {
    pub account: String,
    pub folder: String,
    pub read: usize,
    pub new: usize,
    pub bodies: usize,
    pub interactions: usize,
    pub labels: std::collections::BTreeMap<String, usize>,
    pub uidvalidity_changed: bool,
    pub error: Option<String>,
}

impl FolderReport {
    /// Counts one message recorded: read, new or not, with its label and the timeline
    /// entries it made. The IMAP and the Maildir sync count alike through this.
    pub fn count(&mut self, m: &NewMessage, new: bool, interactions: usize) {
        self.read += 1;
        if new {
            self.new += 1;
            *self.labels.entry(m.label.as_str().to_string()).or_default() += 1;
        }
        self.interactions += interactions;
    }
}

/// The addresses that are the user's.
pub fn user_addresses(cfg: &Loaded) -> Vec<String> {
    let id = &cfg.config.identity;
    let mut v = vec![id.email.to_lowercase()];
    v.extend(id.aliases.iter().map(|a| a.to_lowercase()));
    v
}

/// Everything classification needs besides the message.
pub struct Classifier {
    pub user: Vec<String>,
    pub sent_ids: HashSet<String>,
    pub tz: jiff::tz::TimeZone,
    pub now: Timestamp,
    /// The learned reader: the shipped weights plus what the user taught it.
    pub reader: Option<classify::model::Reader>,
    /// The account the messages are read in (`Loaded::account`).
    pub account: String,
}

impl Classifier {
    pub fn new(store: &Store, cfg: &Loaded, now: Timestamp) -> Result<Classifier> {
        Ok(Classifier {
            user: user_addresses(cfg),
            sent_ids: store.sent_message_ids()?,
            tz: cfg.tz.clone(),
            now,
            reader: reader(store)?,
            account: cfg.account.clone(),
        })
    }

    /// Parses and classifies raw bytes into a message record; `arrived` is when the
    /// server says it arrived (INTERNALDATE, a Maildir file's time), also the date of a
    /// message without one.
    pub fn prepare(&self, raw: &[u8], arrived: Option<Timestamp>) -> NewMessage {
        self.prepare_parsed(raw, None, arrived)
    }

    /// [`Classifier::prepare`] of bytes already parsed (`parsed` is
    /// `classify::Parsed::new(raw)`, when given): not parsed again.
    pub fn prepare_parsed(
        &self,
        raw: &[u8],
        parsed: Option<&classify::Parsed>,
        arrived: Option<Timestamp>,
    ) -> NewMessage {
        let (c, parties) = self.classify(raw, parsed);
        // The envelope stays in the stored classification; the columns get a copy.
        let env = c.envelope.clone();
        let unreadable = env.message_id.as_deref().is_none_or(str::is_empty)
            && env.from.is_none()
            && env.date.is_none();
        let parse_error = if unreadable {
            "no readable headers (no Message-ID, From or Date); kept as an envelope only"
                .to_string()
        } else {
            String::new()
        };
        let message_id = match env.message_id {
            Some(id) if !id.is_empty() => id,
            _ => stable_id(raw),
        };
        let (from_addr, from_name) = env
            .from
            .map(|a| (a.address.to_lowercase(), a.name.unwrap_or_default()))
            .unwrap_or_default();
        let mut seen = HashSet::new();
        let to_addrs: Vec<String> = env
            .to
            .iter()
            .chain(&env.cc)
            .map(|a| a.to_lowercase())
            .filter(|a| seen.insert(a.clone()))
            .collect();
        NewMessage {
            message_id,
            in_reply_to: env.in_reply_to.unwrap_or_default(),
            refs: env.references,
            outbound: self.user.contains(&from_addr),
            from_name,
            from_addr,
            to_addrs,
            date: env.date.or(arrived).unwrap_or(self.now),
            subject: env.subject.unwrap_or_default(),
            snippet: env.snippet,
            label: c.label,
            classification: c,
            parse_error,
            arrived,
            parties,
            account: self.account.clone(),
        }
    }

    /// Classifies raw bytes, and reads who they are about beyond From/To/Cc from the
    /// same parse; rapport's own morning digest is always bulk.
    fn classify(
        &self,
        raw: &[u8],
        parsed: Option<&classify::Parsed>,
    ) -> (classify::Classification, Parties) {
        let is_sent = |id: &str| self.sent_ids.contains(id);
        let ctx = classify::Context {
            now: self.now,
            user_addresses: &self.user,
            sent_message_ids: &is_sent,
            default_tz: self.tz.clone(),
            reader: self.reader.as_ref(),
        };
        let (mut c, parties) = match parsed {
            Some(p) => classify::classify_parsed(p, raw, &ctx),
            None => classify::classify_with_parties(raw, &ctx),
        };
        if is_digest(raw) {
            // rapport's own morning digest: it quotes drafts and names contacts, and
            // must never read as mail to or from one of them.
            c.label = classify::Label::Bulk;
            c.certainty = classify::Certainty::Sure;
            c.intent = None;
            c.meeting = None;
            c.evidence.push(classify::Evidence {
                kind: "header".into(),
                detail: format!("{}: rapport's own morning digest", crate::digest::HEADER),
            });
        }
        (c, parties)
    }
}

/// The learned reader for this user: the shipped weights and every correction kept in
/// the store. Shipped weights that do not parse (a damaged build) leave the rules alone
/// in charge, with a warning; the store failing is an error.
pub fn reader(store: &Store) -> Result<Option<classify::model::Reader>> {
    let examples = store.reader_examples()?;
    match classify::model::Reader::shipped() {
        Ok(mut r) => {
            r.learn_all(examples.iter().map(|(t, c)| (t.as_str(), *c)));
            Ok(Some(r))
        }
        Err(e) => {
            tracing::warn!(
                "the learned reader is off: its shipped weights do not parse ({e}); reinstall rapport"
            );
            Ok(None)
        }
    }
}

/// A stable Message-ID for a message without one, from its bytes, so re-syncs still
/// de-duplicate it.
fn stable_id(raw: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(raw.get(..raw.len().min(65536)).unwrap_or(raw));
    let hex: String = h
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hex}@no-message-id.rapport.invalid")
}

/// Stores one prepared message at a location and derives its timeline entries.
/// Returns (new?, interactions written).
pub fn record(
    conn: &store::Batch<'_>,
    account: &str,
    folder: &str,
    uidvalidity: u32,
    uid: u32,
    m: &NewMessage,
    now: Timestamp,
) -> Result<(bool, usize)> {
    record_with(conn, m, now, |conn, row| {
        conn.add_location(account, folder, uidvalidity, uid, row)
    })
}

/// Stores one prepared message, lets `locate` remember where it was found (an IMAP UID,
/// a Maildir file name), and derives its timeline entries. Returns (new?, interactions).
pub fn record_with(
    conn: &store::Batch<'_>,
    m: &NewMessage,
    now: Timestamp,
    locate: impl FnOnce(&store::Batch<'_>, i64) -> Result<()>,
) -> Result<(bool, usize)> {
    let (row, new) = conn.upsert_message(m, now)?;
    locate(conn, row)?;
    if !new {
        return Ok((false, 0));
    }
    // What was just written, as it would read back: the row is not read again.
    let stored = store::sync_batch::stored(row, m, now)?;
    let mut n = crate::mail::timeline::derive_new(conn, &stored, now)?;
    // The user's message may be the context of answers stored before it (read from
    // INBOX before Sent, or filed in Sent late): they are derived and read again.
    n += crate::mail::timeline::context_arrived(conn, &stored, now)?;
    Ok((true, n))
}

/// Drafts whose sending was interrupted and whose Message-ID is now in the Sent folder
/// did go out; they are recorded as sent (DESIGN §7), never resent.
pub fn confirm_unknown(store: &mut Store, now: Timestamp) -> Result<()> {
    for id in store.confirm_unknown_from_mailbox(now)? {
        tracing::info!(draft = id, "found in the Sent folder: recorded as sent");
    }
    Ok(())
}

/// Which folders to read: the configured ones (in their order, patterns such as
/// `"Clients/*"` expanded against `found`), else the Sent folder
/// ([`crate::mail::sent_folder::find`]) and then the inbox. Sent comes first so that a reply is read with the request it
/// answers already known; when the order is otherwise, the reply is read again once its
/// context arrives (`mail::timeline::context_arrived`), so the result is the same.
pub fn choose_folders(cfg: &crate::config::Imap, found: &[imap::Folder]) -> Vec<String> {
    if !cfg.folders.is_empty() {
        return crate::mail::folder_pattern::expand(&cfg.folders, found);
    }
    let sent = crate::mail::sent_folder::find(cfg, found).map(|s| s.name);
    let mut out: Vec<String> = sent.into_iter().filter(|s| s != "INBOX").collect();
    out.push("INBOX".to_string());
    out
}

/// Whether the message carries the digest's header (sync ignores rapport's own digest).
fn is_digest(raw: &[u8]) -> bool {
    // A byte scan of the header block first: a full header parse for every message
    // (the classifier already did one) only where the name appears at all.
    let name = crate::digest::HEADER.as_bytes();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |p| p + 2);
    let head = raw.get(..end).unwrap_or(raw);
    if !head
        .windows(name.len())
        .any(|w| w.eq_ignore_ascii_case(name))
    {
        return false;
    }
    mail_parser::MessageParser::new()
        .parse_headers(raw)
        .is_some_and(|h| h.header(crate::digest::HEADER).is_some())
}

/// At most this many bytes of message bodies are held at once during a sync.
pub const BODY_BATCH_BYTES: u64 = 16 * 1024 * 1024;

/// Cuts a batch of fetched headers into consecutive groups whose wanted bodies add up to
/// at most `cap` bytes (by their RFC822.SIZE); a single larger message is a group alone.
pub fn body_groups(
    headers: &[imap::Fetched],
    wanted: &[bool],
    cap: u64,
) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in headers.iter().enumerate() {
        if !wanted.get(i).copied().unwrap_or(false) {
            continue;
        }
        let size = u64::from(f.size);
        if bytes > 0 && bytes + size > cap {
            groups.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < headers.len() {
        groups.push(start..headers.len());
    }
    groups
}

/// A folder's account key.
pub fn imap_account(cfg: &crate::config::Imap, username: &str) -> String {
    format!("imap:{username}@{}", cfg.host)
}

/// Syncs every chosen IMAP folder once, from outside any async runtime (the CLI).
pub fn sync_imap(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<Vec<FolderReport>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("Starting the async runtime")?;
    rt.block_on(sync_imap_async(store, cfg, now))
}

/// Syncs every chosen IMAP folder once on a new connection.
pub async fn sync_imap_async(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
) -> Result<Vec<FolderReport>> {
    let Some(icfg) = &cfg.config.imap else {
        anyhow::bail!("no [imap] section in {}", cfg.path.display());
    };
    let username = imap_username(cfg, icfg);
    let account = imap_account(icfg, &username);
    let mut session = crate::login_health::connect_imap(store, cfg, icfg, now).await?;
    let folders = session.folders().await?;
    let chosen = choose_folders(icfg, &folders);
    let sent = crate::mail::sent_folder::find(icfg, &folders);
    if let Some(s) = sent
        .as_ref()
        .filter(|s| s.how != crate::mail::sent_folder::How::Marked)
    {
        tracing::info!(host = %icfg.host, sent = %s.describe(), "the Sent folder");
    }
    record_sent_choice(store, cfg, sent.as_ref(), &chosen, (now, true))?;
    let waiting = store.rereads_waiting()?;
    let mut reports = Vec::with_capacity(chosen.len());
    for folder in &chosen {
        reports.push(sync_one(store, cfg, &mut session, &account, folder, now).await?);
        if session.is_broken() {
            // The answer broke off: nothing more on this connection can be trusted. The
            // folder's error says what happened; the next sync connects again.
            return Ok(reports);
        }
    }
    // A folder read before the one holding the context of its messages (INBOX before
    // Sent, when configured so) reads those messages again now, not on the next sync:
    // the result is the same whatever order the folders were read in.
    if store.rereads_waiting()? > waiting {
        for folder in &chosen {
            let again = sync_one(store, cfg, &mut session, &account, folder, now).await?;
            if let Some(r) = reports.iter_mut().find(|r| r.folder == *folder) {
                r.bodies += again.bodies;
                r.interactions += again.interactions;
                r.error = r.error.take().or(again.error);
            }
            if session.is_broken() {
                return Ok(reports);
            }
        }
    }
    confirm_unknown(store, now)?;
    let copies = crate::mail::sent_copy::save_copies(store, cfg, &mut session, &folders, now);
    if let Err(e) = copies.await {
        tracing::warn!(error = %format!("{e:#}"), "could not file a copy in Sent; the next sync tries again");
    }
    session.logout().await;
    Ok(reports)
}

/// Records which Sent folder this sync reads (empty: none, for `status` and the
/// digest), and warns in the log when there is none (on a `fresh` connection, and
/// whenever it changes): without it rapport never sees the user's own requests.
pub fn record_sent_choice(
    store: &Store,
    cfg: &Loaded,
    sent: Option<&crate::mail::sent_folder::SentFolder>,
    chosen: &[String],
    (now, fresh): (Timestamp, bool),
) -> Result<()> {
    let Some(icfg) = &cfg.config.imap else {
        return Ok(());
    };
    let key = cfg.state_key(crate::mail::sent_folder::STATE_KEY);
    let read = sent.filter(|s| chosen.contains(&s.name));
    let before = store.state(&key)?;
    let was_none = before.is_some_and(|(v, _)| v.is_empty());
    if read.is_none() && (fresh || !was_none) {
        tracing::warn!("{}", crate::mail::sent_folder::none_warning(&icfg.host));
    }
    store.set_state(&key, &crate::mail::sent_folder::state_value(read), now)
}

/// Syncs one folder; a failure is recorded on the folder and reported, not returned.
async fn sync_one(
    store: &mut Store,
    cfg: &Loaded,
    session: &mut imap::Session,
    account: &str,
    folder: &str,
    now: Timestamp,
) -> Result<FolderReport> {
    match sync_folder(store, cfg, session, account, folder, now, &|| false).await {
        Ok(r) => Ok(r),
        Err(e) => {
            let msg = format!("{e:#}");
            store.set_sync_error(account, folder, &msg)?;
            Ok(FolderReport {
                account: account.to_string(),
                folder: folder.to_string(),
                error: Some(msg),
                ..FolderReport::default()
            })
        }
    }
}

/// The IMAP login name: `[imap] username`, else the identity's address.
pub fn imap_username(cfg: &Loaded, icfg: &crate::config::Imap) -> String {
    icfg.login
        .username
        .clone()
        .unwrap_or_else(|| cfg.config.identity.email.clone())
}

/// The state key remembering that an account's server answered BODYSTRUCTURE in a way
/// that broke the connection: its texts are fetched whole from then on.
fn whole_texts_key(account: &str) -> String {
    format!("imap.whole_texts:{account}")
}

/// Syncs one folder on an open session. Texts are fetched without their large
/// attachments (`imap::parts`), unless the server's BODYSTRUCTURE once broke a
/// connection: that is remembered, and its texts are fetched whole from then on, so
/// that one unreadable answer never stalls a folder.
pub async fn sync_folder(
    store: &mut Store,
    cfg: &Loaded,
    session: &mut imap::Session,
    account: &str,
    folder: &str,
    now: Timestamp,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<FolderReport> {
    let key = whole_texts_key(account);
    if store.state(&key)?.is_some() {
        session.fetch_texts_whole();
    }
    let r = read_folder(store, cfg, session, account, folder, now, stop).await;
    if r.is_err() && session.structures_broke() {
        tracing::warn!(
            account,
            "the server's answer to BODYSTRUCTURE broke the connection; its messages' texts are fetched whole from now on"
        );
        store.set_state(&key, "BODYSTRUCTURE broke a connection", now)?;
    }
    r
}

/// [`sync_folder`]'s work.
async fn read_folder(
    store: &mut Store,
    cfg: &Loaded,
    session: &mut imap::Session,
    account: &str,
    folder: &str,
    now: Timestamp,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<FolderReport> {
    let icfg = cfg.config.imap.as_ref().context("no [imap] section")?;
    let mut report = FolderReport {
        account: account.to_string(),
        folder: folder.to_string(),
        ..FolderReport::default()
    };
    let shown = imap::escape_words(folder);
    let status = session.examine(folder).await.map_err(|e| {
        let step = match e {
            imap::ImapError::Refused(_) => "check that the folder exists and can be read (`rapport doctor` lists the folders; see [imap] folders and sent_folder)",
            _ => "the next sync tries again",
        };
        anyhow::anyhow!("{e}; {step}")
    })?;
    let cursor = store.cursor(account, folder)?.unwrap_or_default();
    let uids = to_read(session, cfg, icfg, &cursor, &status, now, &mut report)
        .await
        .with_context(|| {
            format!("could not search {shown} for new mail; the folder's cursor stays where it is and the next sync asks again")
        })?;
    let same = cursor.uidvalidity == status.uidvalidity;
    let first = if same { cursor.next_uid.max(1) } else { 1 };
    let waiting = if same {
        store.rereads(account, folder, status.uidvalidity)?
    } else {
        Vec::new()
    };
    if uids.is_empty() && waiting.is_empty() {
        // Nothing to read: no classifier is built (it loads every Message-ID the user
        // sent, a scan of the whole message table), only the cursor moves.
        finish(store, account, folder, &status, first, now)?;
        return Ok(report);
    }
    let classifier = Arc::new(Classifier::new(store, cfg, now)?);
    let contacts = store.contact_addresses()?;
    let at = Location {
        account,
        folder,
        uidvalidity: status.uidvalidity,
    };
    reread::run(store, session, &classifier, &waiting, &mut report, now).await?;
    let progress = (std::io::stderr().is_terminal() && uids.len() > BATCH).then_some(uids.len());
    let mut run = pipeline::Folder {
        store,
        session,
        classifier: Arc::clone(&classifier),
        known: Known {
            contacts: &contacts,
            sent_ids: &classifier.sent_ids,
        },
        at,
        max_body_bytes: icfg.max_body_bytes,
        report: &mut report,
        now,
        progress,
        readers: pipeline::readers(),
    };
    let done = run.run(&uids, first, stop).await?;
    let store = run.store;
    if progress.is_some() {
        let _ = writeln!(std::io::stderr());
    }
    let Some(next_uid) = done else {
        // The cursor is saved after every batch: the next sync goes on from here.
        return Ok(report);
    };
    finish(store, account, folder, &status, next_uid, now)?;
    Ok(report)
}

/// Saves the cursor of a folder read through to its end.
fn finish(
    store: &Store,
    account: &str,
    folder: &str,
    status: &imap::FolderStatus,
    next_uid: u32,
    now: Timestamp,
) -> Result<()> {
    // Called only once every UID the search returned is stored: the search completed
    // (its tagged OK was checked), so everything below UIDNEXT at EXAMINE time was
    // stored, or does not exist, or is older than the lookback window; what arrives
    // later has a higher UID. See the cursor invariant in docs/ARCHITECTURE.md.
    store.set_cursor(
        account,
        folder,
        Cursor {
            uidvalidity: status.uidvalidity,
            next_uid: next_uid.max(status.uidnext),
        },
        now,
    )
}

/// The UIDs a sync reads: those above the cursor, or (on a first sync or a changed
/// UIDVALIDITY) every message inside the lookback window.
async fn to_read(
    session: &mut imap::Session,
    cfg: &Loaded,
    icfg: &crate::config::Imap,
    cursor: &Cursor,
    status: &imap::FolderStatus,
    now: Timestamp,
    report: &mut FolderReport,
) -> Result<Vec<u32>> {
    if cursor.uidvalidity == status.uidvalidity && cursor.next_uid > 0 {
        if status.uidnext != 0 && cursor.next_uid >= status.uidnext {
            return Ok(Vec::new());
        }
        return Ok(session.uids_from(cursor.next_uid).await?);
    }
    report.uidvalidity_changed = cursor.uidvalidity != 0;
    let since = now
        .to_zoned_datetime(cfg.tz.clone())
        .checked_sub(i64::from(icfg.lookback_days).days())?
        .date();
    Ok(session.uids_since(since).await?)
}

/// Where a folder's messages are: account, folder and UIDVALIDITY.
pub struct Location<'a> {
    pub account: &'a str,
    pub folder: &'a str,
    pub uidvalidity: u32,
}

/// One message fetched and read: its UID, its record, and whether only its headers
/// were read for want of a contact (so that adding one later reads it again).
pub struct Prepared {
    pub uid: u32,
    pub message: NewMessage,
    pub deferred: bool,
}

/// Stores a batch and moves the folder's cursor, in one transaction.
fn store_batch(
    store: &mut Store,
    at: &Location<'_>,
    prepared: &[Prepared],
    next_uid: u32,
    report: &mut FolderReport,
    now: Timestamp,
) -> Result<()> {
    let tx = store.batch()?;
    for p in prepared {
        let m = &p.message;
        let mut row = 0;
        let (new, n) = record_with(&tx, m, now, |conn, r| {
            row = r;
            conn.add_location(at.account, at.folder, at.uidvalidity, p.uid, r)
        })?;
        report.count(m, new, n);
        if new && p.deferred {
            tx.mark_headers_only(row)?;
        }
    }
    tx.set_cursor(
        at.account,
        at.folder,
        Cursor {
            uidvalidity: at.uidvalidity,
            next_uid,
        },
        now,
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests;
