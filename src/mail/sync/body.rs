//! Which messages a sync fetches whole, judged from their headers alone.
//!
//! A body can change the reading only where the reading reaches a timeline: mail to or
//! from a contact, a reply to something the user sent, a machine report (a bounce or an
//! auto-reply may name a contact in its body), a calendar object. Everything else (list
//! mail, notifications, strangers) is read from its headers, and remembered as such, so
//! that adding one of its correspondents as a contact later has it fetched and read
//! again. This module must never decide what a message says: only whether to look.

use std::collections::HashSet;

use crate::core::classify::Parsed;

/// What a sync does with one message's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Fetch it: the body can change what reaches a timeline.
    Body,
    /// Headers say it all (list mail, or larger than `max_body_bytes`), now and later.
    Headers,
    /// Headers for now: nothing ties it to a contact. Read again if that changes.
    Deferred,
}

/// What the sync knows that makes a body worth reading.
pub struct Known<'a> {
    /// Contact addresses, lowercased.
    pub contacts: &'a HashSet<String>,
    /// Message-IDs the user sent (without angle brackets).
    pub sent_ids: &'a HashSet<String>,
}

/// Decides from the parsed header block (and RFC822.SIZE) whether to fetch the body.
/// The parse is the classifier's own ([`Parsed`]): a message read from its headers
/// alone is classified from it without parsing it again.
pub fn need(h: &Parsed, size: u32, max: u32, known: &Known<'_>) -> Need {
    if size > max {
        return Need::Headers;
    }
    if !h.has_headers() || (h.from_address().is_empty() && !h.has_message_id()) {
        // Nothing readable, or no sender and no Message-ID: the bytes are all there is
        // to go on.
        return Need::Body;
    }
    if crate::core::attribution::tool_of(h.from_address(), &[]).is_some() {
        // A booking speaks for its invitee, named in its calendar part or its text.
        return Need::Body;
    }
    if is_bulk(h) {
        return Need::Headers;
    }
    if is_machine_report(h) || h.root_type() == ("text", "calendar") {
        // A calendar object at the top (a bare invitation); one inside a multipart is
        // found by its sender or recipients being contacts.
        return Need::Body;
    }
    let involves = !known.contacts.is_empty() && h.addresses().any(|a| known.contacts.contains(a));
    let replies_to =
        !known.sent_ids.is_empty() && h.thread_ids().any(|id| known.sent_ids.contains(id));
    if involves || replies_to {
        return Need::Body;
    }
    Need::Deferred
}

/// List mail and bulk: its headers decide the reading.
fn is_bulk(h: &Parsed) -> bool {
    h.header("list-id").is_some()
        || h.header("list-unsubscribe").is_some()
        || h.header("precedence").is_some_and(|p| {
            let p = p.to_ascii_lowercase();
            p.contains("bulk") || p.contains("list") || p.contains("junk")
        })
}

/// A bounce, a delivery report or an auto-reply: its body may name a contact.
fn is_machine_report(h: &Parsed) -> bool {
    let report = h.root_type() == ("multipart", "report");
    let auto = h
        .header("auto-submitted")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
    let local = h.from_address().split('@').next().unwrap_or("");
    let daemon = ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(&local);
    let subject = h.subject().to_lowercase();
    let bounce_subject = [
        "undeliver",
        "delivery status",
        "delivery failure",
        "failure notice",
        "returned mail",
        "not delivered",
        "out of office",
        "automatic reply",
        "auto-reply",
        "autoreply",
    ]
    .iter()
    .any(|p| subject.contains(p));
    report || auto || daemon || bounce_subject || h.header("x-failed-recipients").is_some()
}
