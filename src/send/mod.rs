//! Sending approved drafts, exactly once.
//!
//! `approved → sending` is committed (and on disk) before the first byte goes to the
//! server; then `sent`, `approved` again with a retry time (the server accepted nothing:
//! 4xx or a connection failure before the message was handed over), `failed` (5xx), or
//! `unknown` (the connection broke after the message went out: never resent on its own).
//! Only one process sends at a time: a lock file beside the database. The SMTP session,
//! and with it the password or token, is opened *before* a draft is claimed, so a secret
//! command that hangs, fails or is killed never leaves a draft `unknown`.
//!
//! A refusal saying the recipient does not exist (5.1.1 and kin, see
//! [`recipient_unknown`]) marks the address bounced and withdraws its other drafts.
//!
//! Every email also obeys the send window and the daily cap, and goes to one recipient.
//! `rapport send` and the daemon both call [`send_due`].

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

pub mod explain;
pub mod smtp;
mod window;

pub use window::window_check;

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::{Timestamp, ToSpan};

use crate::config::{Loaded, Transport};
use crate::core::model::{DraftStatus, InteractionKind};
use crate::store::{Draft, Store, fmt_ts};

/// One message for one recipient.
pub struct Delivery<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// The second visible recipient (an introduction's B, in Cc); `None` for the rest.
    pub cc: Option<&'a str>,
    pub message: &'a [u8],
}

/// How a delivery failed; callers branch on the kind.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DeliveryError {
    /// Nothing was accepted; trying again later is safe.
    #[error("temporary failure: {message}")]
    Transient { message: String },
    /// The server refused the message for good.
    #[error("refused: {message}")]
    Permanent { message: String },
    /// The server says the recipient's mailbox does not exist (5.1.1 and kin).
    #[error("no such recipient: {message}")]
    RecipientUnknown { message: String },
    /// The message may or may not have arrived.
    #[error("outcome unknown: {message}")]
    Unknown { message: String },
    /// The setup is wrong (TLS, login, config); nothing was sent and retrying will not help
    /// until the user fixes it.
    #[error("{message}")]
    Config { message: String },
    /// No working credential: the password or token helper failed, or the server refused
    /// what it gave. Nothing was sent; the draft waits, approved, for a working login
    /// (`crate::login_health`), and this never counts as a failed attempt.
    #[error("{message}")]
    Login { message: String },
}

/// What one run did, for printing.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub sent: Vec<i64>,
    pub retrying: Vec<(i64, String)>,
    pub failed: Vec<(i64, String)>,
    pub unknown: Vec<(i64, String)>,
    pub recovered_unknown: Vec<i64>,
    pub skipped: Vec<(i64, String)>,
    /// Drafts kept back this time, still approved.
    pub held_drafts: Vec<(i64, String)>,
    /// Why nothing more could be sent, if something held it back.
    pub held: Option<String>,
}

impl Report {
    /// Adds one account's part of a run; what held it back names the account.
    fn merge(&mut self, part: Report, account: &str) {
        self.sent.extend(part.sent);
        self.retrying.extend(part.retrying);
        self.failed.extend(part.failed);
        self.unknown.extend(part.unknown);
        self.skipped.extend(part.skipped);
        self.held_drafts.extend(part.held_drafts);
        if let Some(h) = part.held {
            let h = format!("account {account}: {h}");
            self.held = Some(
                self.held
                    .take()
                    .map_or(h.clone(), |before| format!("{before}; {h}")),
            );
        }
    }
}

/// The exclusive right to send, held for the length of a run (or the daemon's life).
pub struct SendLock {
    _file: File,
}

/// Takes the send lock beside the database; `Ok(None)` when another process holds it.
pub fn try_lock(store_path: &Path) -> Result<Option<SendLock>> {
    crate::store::ensure_data_dir(store_path)?;
    let path = lock_path(store_path);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("Opening the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(SendLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("Locking {}", path.display()))
        }
    }
}

fn lock_path(store_path: &Path) -> PathBuf {
    crate::store::lock_path(store_path, ".send.lock")
}

/// The start and end of the local day holding `now`.
fn local_day(tz: &jiff::tz::TimeZone, now: Timestamp) -> Result<(Timestamp, Timestamp)> {
    let local = now.to_zoned_datetime(tz.clone());
    let start = local.start_of_day()?;
    let end = start.checked_add(1.day())?;
    Ok((start.timestamp(), end.timestamp()))
}

/// The verdict of a check made just before a draft goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Proceed,
    /// Not now (e.g. the mailbox could not be checked); it stays approved.
    Hold(String),
    /// Never: the reason for the draft went away.
    Supersede(String),
}

/// A check made just before a draft goes out.
/// It may update the store (the daemon syncs the inbox in it, so a reply that came
/// during the turn is seen before the SMTP transaction).
pub type PreSendCheck<'a> = dyn FnMut(&mut Store, &Draft) -> Result<Verdict> + 'a;

/// The interaction kinds that mean the contact wrote to the user.
pub const INBOUND_HUMAN: &[InteractionKind] = &[
    InteractionKind::Reply,
    InteractionKind::ThankYouReceived,
    InteractionKind::EmailReceived,
    InteractionKind::RequestReceived,
];

/// The calendar traffic that answers a request (a booking tool's confirmation among it).
const CALENDAR_ANSWERS: &[InteractionKind] = &[
    InteractionKind::MeetingScheduled,
    InteractionKind::MeetingMoved,
    InteractionKind::MeetingCancelled,
    InteractionKind::MeetingDeclined,
];

/// What `new` messages, found by a look at the mailbox just before draft `d` goes out,
/// mean for it: none, it goes; else the plan runs again (withdrawing what lost its
/// reason) and the hard rule below is checked. The CLI's `send` and the daemon's turn
/// both end their look here.
pub fn after_new_mail(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
    d: &Draft,
    new: usize,
) -> Result<Verdict> {
    if new == 0 {
        return Ok(Verdict::Proceed);
    }
    tracing::info!(
        new,
        draft = d.id,
        "new mail just before sending; planning again"
    );
    let plan = crate::followup::bring_current(store, cfg, now)?;
    if let Some((_, why)) = plan.superseded.iter().find(|(id, _)| *id == d.id) {
        return Ok(Verdict::Supersede(why.clone()));
    }
    replied_since(store, d)
}

/// Debug builds only: `RAPPORT_TEST_SEND_GATE=PATH` holds a send between the look at
/// the mailbox and the first email (the daemon's turn after its sync, the CLI's batch
/// before its second and every later look), so a test can deliver mail there. When set,
/// this announces the wait (creates `PATH.waiting`) and returns PATH; the caller waits,
/// at most [`TEST_GATE_WAIT`], until it exists.
pub fn test_gate_armed() -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let gate = PathBuf::from(std::env::var_os("RAPPORT_TEST_SEND_GATE")?);
    let mut waiting = gate.clone().into_os_string();
    waiting.push(".waiting");
    let _ = std::fs::write(&waiting, b"");
    Some(gate)
}

/// How long a caller of [`test_gate_armed`] waits for the gate at most.
pub const TEST_GATE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The hard rule: nothing goes to a contact who wrote since the draft was made. "Since"
/// is by arrival: a message rapport first read after the draft was made counts, whatever
/// its `Date:` says (written offline, a phone in the wrong zone). Which was first is the
/// store's order (the message stored after the draft), never the clock: times are to the
/// second, and a turn reads mail under the time it started.
pub fn replied_since(store: &Store, d: &Draft) -> Result<Verdict> {
    let created = crate::store::parse_ts(&d.created_at)?;
    let read_after = |i: &crate::store::Interaction| {
        let row = i.detail.get("message").and_then(serde_json::Value::as_i64);
        if let (Some(row), true) = (row, d.read_upto >= 0) {
            return row > d.read_upto;
        }
        // A draft from before the order was kept: the second it was first read.
        i.detail
            .get("seen")
            .and_then(serde_json::Value::as_str)
            .and_then(|s| s.parse::<Timestamp>().ok())
            .is_some_and(|s| s > created)
    };
    // A nudge asks for an answer: a booking or any calendar reply is one too.
    let answers = |k: InteractionKind| {
        INBOUND_HUMAN.contains(&k)
            || (d.kind == crate::core::model::DraftKind::Nudge && CALENDAR_ANSWERS.contains(&k))
    };
    let wrote = store
        .interactions(d.contact_id)?
        .into_iter()
        .find(|i| answers(i.kind) && (i.at > created || read_after(i)));
    Ok(match wrote {
        Some(i) => Verdict::Supersede(format!(
            "they wrote on {} after this was drafted ({})",
            i.at.strftime("%Y-%m-%d"),
            i.summary
        )),
        None => Verdict::Proceed,
    })
}

/// Sends every approved draft that is due, inside the window and under the cap.
/// The caller holds the send lock.
pub fn send_due(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
    lock: &SendLock,
    pre_send: &mut PreSendCheck<'_>,
    stop: &dyn Fn() -> bool,
) -> Result<Report> {
    send(store, cfg, now, lock, Which::Due, pre_send, stop)
}

/// Sends the approved drafts `ids` now, whatever their due time and even outside the
/// send window (the user is there and decided: `queue approve ID --now`). The daily
/// cap and every other rule still hold. The caller holds the send lock.
pub fn send_now(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
    lock: &SendLock,
    ids: &[i64],
    pre_send: &mut PreSendCheck<'_>,
) -> Result<Report> {
    send(store, cfg, now, lock, Which::Now(ids), pre_send, &|| false)
}

/// Which drafts a run sends.
#[derive(Clone, Copy)]
enum Which<'a> {
    /// The approved drafts that are due, inside the window.
    Due,
    /// These approved drafts, at once.
    Now(&'a [i64]),
}

/// What the loop does after one draft.
enum Step {
    Sent,
    Next,
    Stop,
    /// No working login (the helper's or the server's words): this draft and the rest
    /// wait for one, approved.
    LoginDown(String),
}

/// The words a draft waiting for a working login carries (`queue`, `status`).
pub const WAITING_FOR_LOGIN: &str = "waiting for a working login";

fn send(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
    _lock: &SendLock,
    which: Which<'_>,
    pre_send: &mut PreSendCheck<'_>,
    stop: &dyn Fn() -> bool,
) -> Result<Report> {
    let mut report = Report {
        recovered_unknown: store.recover_interrupted(now)?,
        ..Report::default()
    };
    for id in &report.recovered_unknown {
        tracing::error!(
            draft = id,
            "this draft was being sent when rapport stopped: it may or may not have arrived, so it is `unknown` and never resent on its own; check your Sent folder, then `rapport queue resolve {id} sent` or `rapport queue resolve {id} not-sent`"
        );
    }
    store.wake_snoozed(now)?;
    let due = due_drafts(store, which, now)?;
    if due.is_empty() {
        return Ok(report);
    }
    if cfg.config.accounts.is_empty() {
        send_from(store, cfg, (&due, which, now), pre_send, stop, &mut report)?;
        return Ok(report);
    }
    // Several accounts: each draft goes out through its own account's server, inside
    // its window and under its cap; an account that cannot send holds only its own.
    for view in cfg.account_views() {
        let mine: Vec<Draft> = due
            .iter()
            .filter(|d| view.owns(&d.account))
            .cloned()
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut part = Report::default();
        send_from(store, &view, (&mine, which, now), pre_send, stop, &mut part)?;
        report.merge(part, &view.account);
    }
    Ok(report)
}

/// Sends `due`, all of one account (`cfg` is its view), in its window and under its cap.
fn send_from(
    store: &mut Store,
    cfg: &Loaded,
    (due, which, now): (&[Draft], Which<'_>, Timestamp),
    pre_send: &mut PreSendCheck<'_>,
    stop: &dyn Fn() -> bool,
    report: &mut Report,
) -> Result<()> {
    if let (Which::Due, Err(next)) = (which, window_check(&cfg.window, &cfg.tz, now)) {
        report.held = Some(format!(
            "outside the send window; it next opens {}",
            next.strftime("%a %Y-%m-%d %H:%M %Z")
        ));
        return Ok(());
    }
    let (day_start, day_end) = local_day(&cfg.tz, now)?;
    let cap = i64::from(cfg.config.policy.daily_send_cap);
    let mut sent_today = if cfg.config.accounts.is_empty() {
        store.sent_between(day_start, day_end)?
    } else {
        store.sent_between_from(&cfg.account, day_start, day_end)?
    };
    let mut session: Option<smtp::Session> = None;
    for (i, draft) in due.iter().enumerate() {
        if stop() {
            report.held = Some("rapport is stopping; the rest go at the next start".into());
            break;
        }
        if sent_today >= cap {
            report.held = Some(format!(
                "the daily cap of {cap} emails is reached; the rest go tomorrow (policy.daily_send_cap)"
            ));
            break;
        }
        match send_one(store, cfg, draft, &mut session, pre_send, now, report)? {
            Step::Sent => sent_today += 1,
            Step::Next => {}
            Step::Stop => break,
            Step::LoginDown(message) => {
                wait_for_login(
                    store,
                    cfg,
                    due.get(i..).unwrap_or_default(),
                    &message,
                    now,
                    report,
                )?;
                break;
            }
        }
    }
    if let Some(s) = session {
        s.quit();
    }
    Ok(())
}

/// The approved drafts a run sends: those due, or those asked for by id.
fn due_drafts(store: &Store, which: Which<'_>, now: Timestamp) -> Result<Vec<Draft>> {
    Ok(match which {
        Which::Due => store.due_approved(now)?,
        Which::Now(ids) => {
            let mut v = Vec::new();
            for &id in ids {
                if let Some(d) = store
                    .draft(id)?
                    .filter(|d| d.status == DraftStatus::Approved)
                {
                    v.push(d);
                }
            }
            v
        }
    })
}

/// One approved draft: the hard rules and the caller's last look, then the connection
/// (and its secret), then the claim, then the bytes, then the outcome.
fn send_one(
    store: &mut Store,
    cfg: &Loaded,
    draft: &Draft,
    session: &mut Option<smtp::Session>,
    pre_send: &mut PreSendCheck<'_>,
    now: Timestamp,
    report: &mut Report,
) -> Result<Step> {
    match last_checks(store, cfg, now, draft, pre_send)? {
        Verdict::Proceed => {}
        Verdict::Hold(why) => {
            report.held_drafts.push((draft.id, why));
            return Ok(Step::Next);
        }
        Verdict::Supersede(why) => {
            store.supersede(draft.id, &why, now)?;
            report.skipped.push((draft.id, why));
            return Ok(Step::Next);
        }
    }
    // Connected and logged in before the claim: a password command that hangs or
    // fails, or a server out of reach, leaves the draft approved — never `unknown`,
    // as nothing left the machine.
    if cfg.config.smtp.transport == Transport::Smtp
        && let Err(e) = ensure_session(store, cfg, session, now)
    {
        if let DeliveryError::Login { message } = e {
            return Ok(Step::LoginDown(message));
        }
        retry_or_give_up(store, cfg, draft, &e.to_string(), false, now, report)?;
        // The server is out of reach or refuses us: the other drafts wait for the
        // next run instead of each timing out in turn.
        report.held = Some(e.to_string());
        return Ok(Step::Stop);
    }
    let stamp = |m: &[u8]| crate::core::render::stamp_date(m, now, &cfg.tz);
    let Some(claimed) = store.claim_stamped(draft.id, now, stamp)? else {
        report.skipped.push((
            draft.id,
            "changed since approval or taken by another process; see `rapport queue`".into(),
        ));
        return Ok(Step::Next);
    };
    let bytes = claimed.outgoing();
    let delivery = Delivery {
        from: cfg.config.identity.email.as_str(),
        to: &claimed.to_addr,
        cc: (!claimed.cc_addr.is_empty()).then_some(claimed.cc_addr.as_str()),
        message: bytes,
    };
    let result = match (cfg.config.smtp.transport, session.as_mut()) {
        (Transport::File, _) => write_file(cfg, &claimed, bytes),
        (Transport::Smtp, Some(s)) => s.deliver(&delivery),
        (Transport::Smtp, None) => Err(DeliveryError::Transient {
            message: "no SMTP session".into(),
        }),
    };
    let sent = result.is_ok();
    settle(store, cfg, &claimed, result, now, report)?;
    Ok(if sent { Step::Sent } else { Step::Next })
}

/// The rules that hold whatever was approved, then the caller's own look.
fn last_checks(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
    d: &Draft,
    pre_send: &mut PreSendCheck<'_>,
) -> Result<Verdict> {
    if let Some(why) = blocked_recipient(store, d)? {
        return Ok(Verdict::Supersede(why));
    }
    // An introduction's email goes only at its stage: nothing to B before A's yes,
    // the introduction never before both (checked afresh, whatever was approved).
    if let Some(why) = crate::followup::intros::refusal(store, cfg, now, d)? {
        return Ok(Verdict::Supersede(why));
    }
    match replied_since(store, d)? {
        Verdict::Proceed => pre_send(store, d),
        Verdict::Hold(why) | Verdict::Supersede(why) => Ok(Verdict::Supersede(why)),
    }
}

/// Opens (or keeps) the SMTP session; a login that works ends a recorded login problem.
fn ensure_session(
    store: &Store,
    cfg: &Loaded,
    session: &mut Option<smtp::Session>,
    now: Timestamp,
) -> Result<(), DeliveryError> {
    if session.as_ref().is_some_and(smtp::Session::is_usable) {
        return Ok(());
    }
    *session = Some(open_session(cfg)?);
    let noted = crate::login_health::clear(store, &cfg.state_key("smtp"), now)
        .and_then(|()| crate::login_health::note_expiries(store, now));
    if let Err(e) = noted {
        tracing::warn!(error = %format!("{e:#}"), "could not record that the SMTP login works again");
    }
    Ok(())
}

/// The SMTP login does not work: the failure is recorded (with its backoff), and every
/// draft of this run that was not tried yet waits, approved and never failed, until the
/// next try. The helper runs afresh then, so a fixed one is picked up without a restart.
fn wait_for_login(
    store: &Store,
    cfg: &Loaded,
    drafts: &[Draft],
    message: &str,
    now: Timestamp,
    report: &mut Report,
) -> Result<()> {
    let p = crate::login_health::record(
        store,
        &cfg.state_key("smtp"),
        message,
        cfg.config.policy.retry_seconds,
        now,
    )?;
    let why = format!("{WAITING_FOR_LOGIN}: {message}");
    for d in drafts {
        if !store.mark_waiting_login(d.id, &why, p.retry_at, now)? {
            refused(store, d, "waiting for a working login")?;
            continue;
        }
        report.held_drafts.push((d.id, why.clone()));
    }
    report.held = Some(format!(
        "{WAITING_FOR_LOGIN} ({message}); the approved emails stay approved and rapport tries again at {}",
        p.retry_at
            .to_zoned_datetime(cfg.tz.clone())
            .strftime("%H:%M %Z")
    ));
    Ok(())
}

/// The one place an SMTP session is built from the config (the drafts' sender and the
/// digest both use it): the login name defaults to the identity address, EHLO names
/// the identity's domain.
pub fn open_session(cfg: &Loaded) -> Result<smtp::Session, DeliveryError> {
    let identity = &cfg.config.identity;
    let username = cfg
        .config
        .smtp
        .login
        .username
        .clone()
        .unwrap_or_else(|| identity.email.clone());
    let hello = identity.email.rsplit('@').next().unwrap_or("localhost");
    smtp::Session::connect(&cfg.config.smtp, &username, hello)
}

/// Records the outcome of one delivery.
fn settle(
    store: &mut Store,
    cfg: &Loaded,
    d: &Draft,
    result: Result<(), DeliveryError>,
    now: Timestamp,
    report: &mut Report,
) -> Result<()> {
    match result {
        Ok(()) => {
            store.mark_sent(d.id, now)?;
            tracing::info!(draft = d.id, to = %d.to_addr, "sent");
            report.sent.push(d.id);
        }
        Err(DeliveryError::Permanent { message }) => {
            if !store.mark_failed(d.id, &message, now)? {
                return refused(store, d, "failed");
            }
            tracing::info!(draft = d.id, %message, "refused by the server");
            report.failed.push((d.id, message));
        }
        Err(DeliveryError::RecipientUnknown { message }) => {
            // As a bounce would: the address is marked bounced and nothing else goes
            // to it.
            let withdrawn = store.mark_recipient_unknown(d.id, &message, now)?;
            tracing::info!(draft = d.id, to = %d.to_addr, %message, withdrawn = withdrawn.len(), "no such recipient");
            for id in withdrawn {
                report
                    .skipped
                    .push((id, format!("{} does not exist (draft {})", d.to_addr, d.id)));
            }
            report.failed.push((d.id, message));
        }
        Err(DeliveryError::Unknown { message }) => {
            if !store.mark_unknown(d.id, &message, now)? {
                return refused(store, d, "unknown");
            }
            tracing::error!(draft = d.id, %message, "outcome unknown");
            report.unknown.push((d.id, message));
        }
        Err(
            e @ (DeliveryError::Transient { .. }
            | DeliveryError::Config { .. }
            | DeliveryError::Login { .. }),
        ) => {
            retry_or_give_up(store, cfg, d, &e.to_string(), true, now, report)?;
        }
    }
    Ok(())
}

/// A compare-and-set on draft `d` was refused: another process moved it on between the
/// claim and this outcome (the send lock makes this rare). Its state stands; the run logs
/// it and reports nothing for the draft, neither failed nor retrying nor sent.
fn refused(store: &Store, d: &Draft, outcome: &str) -> Result<()> {
    let status = store.draft(d.id)?.map_or("gone", |x| x.status.as_str());
    tracing::warn!(
        draft = d.id,
        outcome,
        status,
        "outcome not recorded: the draft changed state meanwhile; `rapport queue --all` shows it"
    );
    Ok(())
}

/// Nothing was accepted: try again later with a growing wait, or give up after
/// `policy.max_attempts`. `claimed` says whether the draft is in `sending` (else it is
/// still `approved`, and this failure counts as its attempt).
fn retry_or_give_up(
    store: &Store,
    cfg: &Loaded,
    d: &Draft,
    message: &str,
    claimed: bool,
    now: Timestamp,
    report: &mut Report,
) -> Result<()> {
    let policy = &cfg.config.policy;
    let attempts = if claimed { d.attempts } else { d.attempts + 1 };
    if attempts >= i64::from(policy.max_attempts) {
        let message = format!("gave up after {attempts} attempts: {message}");
        if !store.mark_failed_from(d.id, claimed, &message, now)? {
            return refused(store, d, "failed");
        }
        report.failed.push((d.id, message));
        return Ok(());
    }
    let exp = (attempts.max(1) - 1).min(10) as u32;
    let wait = policy.retry_seconds.saturating_mul(1 << exp).min(3600);
    let retry_at = now
        .checked_add(jiff::SignedDuration::from_secs(wait as i64))
        .unwrap_or(now);
    if !store.mark_retry_from(d.id, claimed, message, retry_at, now)? {
        return refused(store, d, "retried");
    }
    tracing::info!(draft = d.id, %message, retry_at = %fmt_ts(retry_at), "will retry");
    report.retrying.push((d.id, message.to_string()));
    Ok(())
}

/// Whether a permanent SMTP refusal says the recipient's mailbox does not exist (RFC
/// 3463 5.1.1, 5.1.2, 5.1.3, 5.1.6, 5.1.10, or the usual words where a server sends no
/// enhanced code) — as opposed to a policy or content refusal, or a sender problem
/// (5.1.7, 5.1.8).
pub fn recipient_unknown(reply: &str) -> bool {
    let lower = reply.to_ascii_lowercase();
    let enhanced = lower
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|w| w.starts_with("5.") && w.matches('.').count() == 2);
    if let Some(code) = enhanced {
        return matches!(code, "5.1.1" | "5.1.2" | "5.1.3" | "5.1.6" | "5.1.10");
    }
    [
        "user unknown",
        "unknown user",
        "no such user",
        "no such mailbox",
        "mailbox not found",
        "does not exist",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// A reason never to send to this draft's recipient, whatever was approved.
fn blocked_recipient(store: &Store, d: &Draft) -> Result<Option<String>> {
    let Some(c) = store.contact(d.contact_id)? else {
        return Ok(Some("the contact was removed".into()));
    };
    if c.do_not_contact {
        return Ok(Some(format!(
            "{} is marked do-not-contact",
            c.display_name()
        )));
    }
    let bounced = c
        .emails
        .iter()
        .any(|e| e.address == d.to_addr && e.bounced_at.is_some());
    if bounced {
        return Ok(Some(format!("{} has bounced", d.to_addr)));
    }
    if !c.emails.iter().any(|e| e.address == d.to_addr) {
        return Ok(Some(format!(
            "{} is no longer one of {}'s addresses",
            d.to_addr,
            c.display_name()
        )));
    }
    Ok(None)
}

/// The file transport: one `.eml` per draft, written whole or not at all.
fn write_file(cfg: &Loaded, d: &Draft, bytes: &[u8]) -> Result<(), DeliveryError> {
    let Some(dir) = &cfg.config.smtp.file_dir else {
        return Err(DeliveryError::Config {
            message: "[smtp] transport = \"file\" needs file_dir".into(),
        });
    };
    let dir = crate::config::expand_tilde(dir);
    let io = |e: std::io::Error| DeliveryError::Transient {
        message: format!("writing into {}: {e}", dir.display()),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let safe: String = d
        .message_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{:05}-{safe}.eml", d.id));
    let tmp = dir.join(format!(".{:05}-{safe}.eml.tmp", d.id));
    write_private(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(())
}

/// Writes a new file readable by its owner only (an email is private).
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = File::options();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    // A leftover temporary file keeps its old mode: set it either way.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests;
