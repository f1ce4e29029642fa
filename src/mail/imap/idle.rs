//! IMAP IDLE (RFC 2177) with bounded waits, written here because async-imap's own wait
//! loop re-arms its timeout on every `* OK Still here` keep-alive (so a quiet mailbox
//! never ends a slice) and cannot tell a silent server from a quiet one.
//!
//! The wait ends at the first of: a change in the folder, the end of the slice (well
//! under the 29 minutes RFC 2177 allows), or the caller's `wake` future. A server that
//! sent keep-alives and then falls silent for three of their intervals is taken for hung;
//! a server that never answers DONE is given up after the timeout. This module must never
//! wait on the server without a bound.

use std::future::Future;
use std::time::Duration;

use futures_util::{FutureExt as _, StreamExt as _};
use imap_proto::{MailboxDatum, Response, Status};
use tokio::time::Instant;

use super::{ImapError, Result, Stream, bounded, transient};

/// The longest wait for the server's answer to DONE.
const DONE_WAIT: Duration = Duration::from_secs(5);

/// How long one IDLE may last.
#[derive(Debug, Clone, Copy)]
pub struct IdleLimits {
    /// Re-issue IDLE after this long.
    pub slice: Duration,
}

/// Why an IDLE ended (the session is still good in every case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleEnd {
    /// The server reported a change (new mail, expunge, flags).
    Changed,
    /// The slice is over; nothing happened.
    SliceOver,
    /// The caller's wake-up came first.
    Woken,
}

/// What one untagged line heard during IDLE means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Heard {
    /// `* OK Still here` and the like: the server is alive, nothing changed.
    KeepAlive,
    /// Something in the folder changed.
    Change,
    /// The server is closing the connection or ended IDLE itself.
    Gone,
}

pub(super) fn classify(r: &Response<'_>) -> Heard {
    match r {
        Response::Data {
            status: Status::Bye,
            ..
        }
        | Response::Done { .. } => Heard::Gone,
        Response::Data { .. } | Response::Continue { .. } => Heard::KeepAlive,
        Response::MailboxData(MailboxDatum::Flags(_)) => Heard::KeepAlive,
        // EXISTS, RECENT, EXPUNGE, FETCH, VANISHED and anything unknown: look again.
        _ => Heard::Change,
    }
}

/// How long a silence means a hung server, once keep-alives came `gap` apart.
pub(super) fn silence_limit(gap: Duration) -> Duration {
    gap.saturating_mul(3) + Duration::from_secs(5)
}

/// IDLE on the selected folder until a change, the slice's end or `wake`; then DONE.
pub(super) async fn wait(
    inner: async_imap::Session<Stream>,
    timeout: Duration,
    limits: IdleLimits,
    wake: impl Future<Output = ()>,
) -> Result<(async_imap::Session<Stream>, IdleEnd)> {
    let mut handle = inner.idle();
    // async-imap's init unwraps the text of a BAD answer: a bare `BAD` would panic.
    let init = std::panic::AssertUnwindSafe(handle.init()).catch_unwind();
    match tokio::time::timeout(timeout, init).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => {
            return Err(ImapError::Refused(format!(
                "starting IDLE: the server refused it ({})",
                super::command::library_words(&e)
            )));
        }
        Ok(Err(_)) => {
            return Err(ImapError::Refused(
                "starting IDLE: the server refused it without a reason".into(),
            ));
        }
        Err(_) => {
            return Err(ImapError::Transient(format!(
                "starting IDLE: the server did not answer within {}s",
                timeout.as_secs()
            )));
        }
    }
    let end = {
        let heard = listen(&mut handle, limits.slice);
        tokio::select! {
            r = heard => r?,
            () = wake => IdleEnd::Woken,
        }
    };
    // DONE is answered at once by a healthy server; waiting long only delays a stop.
    let done_wait = timeout.min(DONE_WAIT);
    let session = bounded(done_wait, "ending IDLE (DONE)", handle.done()).await?;
    Ok((session, end))
}

async fn listen(
    handle: &mut async_imap::extensions::idle::Handle<Stream>,
    slice: Duration,
) -> Result<IdleEnd> {
    let started = Instant::now();
    let deadline = started + slice;
    let mut last = started;
    // The longest gap between two keep-alives. The first keep-alive only starts the
    // measure: a server's keep-alive timer is not aligned with our IDLE (Dovecot's first
    // one came 28 s in, then every 120 s), so timing it from the start would make the
    // limit too short and a quiet, healthy server look hung.
    let mut gap: Option<Duration> = None;
    let mut heard_keep_alive = false;
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Ok(IdleEnd::SliceOver);
        }
        let until = match gap {
            Some(g) => deadline.min(last + silence_limit(g)),
            None => deadline,
        };
        let next = tokio::time::timeout_at(until, handle.next()).await;
        let response = match next {
            Err(_) if Instant::now() >= deadline => return Ok(IdleEnd::SliceOver),
            Err(_) => {
                return Err(ImapError::Transient(format!(
                    "the server went silent during IDLE (keep-alives came every {}s, then nothing for {}s)",
                    gap.unwrap_or_default().as_secs(),
                    last.elapsed().as_secs()
                )));
            }
            Ok(None) => {
                return Err(ImapError::Transient(
                    "the server closed the connection during IDLE".into(),
                ));
            }
            Ok(Some(Err(e))) => return Err(transient("waiting in IDLE", e)),
            Ok(Some(Ok(r))) => r,
        };
        match classify(response.parsed()) {
            Heard::KeepAlive => {
                let now = Instant::now();
                let this = now.saturating_duration_since(last);
                if heard_keep_alive {
                    gap = Some(gap.map_or(this, |g| g.max(this)));
                }
                heard_keep_alive = true;
                last = now;
                tracing::trace!(gap = ?this, "IDLE keep-alive");
            }
            Heard::Change => return Ok(IdleEnd::Changed),
            Heard::Gone => {
                // Its words may say why and for how long (Microsoft 365's BYE carries
                // "Suggested Backoff Time"): kept, so the daemon can obey them.
                let words = match response.parsed() {
                    Response::Data {
                        information: Some(text),
                        ..
                    } => format!(": \"{}\"", super::escape_words(text)),
                    _ => String::new(),
                };
                return Err(ImapError::Transient(format!(
                    "the server ended IDLE or is closing the connection{words}"
                )));
            }
        }
    }
}
