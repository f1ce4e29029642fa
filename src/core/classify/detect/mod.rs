//! The non-human detectors, one file per thing recognised: bounces
//! ([`bounce`], with RFC 3464 parsing in [`dsn`]), challenge-response
//! notices ([`challenge`]), auto-replies ([`auto_reply`]), scheduling-tool
//! confirmations ([`scheduling`]; meeting replies and bookings without an
//! iCalendar part in [`booking`]) and bulk/list mail ([`bulk`]); plus the
//! reply and forward signals of the subject and sender ([`reply`]) used for
//! human replies. Requests and thank-yous are read by the intent and
//! lexicon modules, not here.
//!
//! Each detector takes the parsed [`Mail`](super::mime::Mail) (and the
//! fresh text) and returns a verdict with its evidence; the order in which
//! they are asked, and so their precedence, is decided by the caller in
//! `classify/mod.rs`. A detector must never look at the store, the clock or
//! the network, and must never panic on any message.
//!
//! Hand-written because no crate recognises these: mail-parser parses a
//! message but says nothing of what kind of sender wrote it, and the
//! bounce and out-of-office conventions beyond RFC 3464/3834 are folklore
//! of particular MTAs and clients.

mod auto_reply;
mod booking;
mod bounce;
mod bulk;
mod challenge;
mod dsn;
mod reply;
mod scheduling;

pub(crate) use auto_reply::{AutoStrength, auto_reply_until, detect_auto_reply};
pub(crate) use bounce::{BounceOutcome, detect_bounce};
pub(crate) use bulk::{BulkOutcome, detect_bulk};
pub(crate) use challenge::detect_challenge;
pub(crate) use reply::{is_forward, is_machine_sender, reply_prefix};
pub(crate) use scheduling::{detect_scheduling, tool_of_own_domain};

#[cfg(test)]
mod tests;
