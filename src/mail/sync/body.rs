//! Which messages a sync fetches whole, judged from their headers alone.
//!
//! A body can change the reading only where the reading reaches a timeline: mail to or
//! from a contact, a reply to something the user sent, a machine report (a bounce or an
//! auto-reply may name a contact in its body), a calendar object. Everything else (list
//! mail, notifications, strangers) is read from its headers, and remembered as such, so
//! that adding one of its correspondents as a contact later has it fetched and read
//! again. This module must never decide what a message says: only whether to look.

use std::collections::HashSet;
use std::sync::LazyLock;

use mail_parser::{HeaderName, HeaderValue, Message, MessageParser};

/// The header parser of [`need`]: the headers it looks at, parsed as mail-parser parses
/// them by default; every other header (Received, DKIM-Signature: most of a header
/// block's bytes) is skipped, still there to be asked whether it is present.
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_address(HeaderName::From)
        .header_address(HeaderName::Sender)
        .header_address(HeaderName::ReplyTo)
        .header_address(HeaderName::To)
        .header_address(HeaderName::Cc)
        .header_address(HeaderName::ListId)
        .header_address(HeaderName::ListUnsubscribe)
        .header_id(HeaderName::MessageId)
        .header_id(HeaderName::InReplyTo)
        .header_id(HeaderName::References)
        .header_text(HeaderName::Subject)
        .header_content_type(HeaderName::ContentType)
        .header_raw("Precedence")
        .header_raw("Auto-Submitted")
        .default_header_ignore()
});

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

/// Decides from the header block (and RFC822.SIZE) whether to fetch the body.
pub fn need(header: &[u8], size: u32, max: u32, known: &Known<'_>) -> Need {
    if size > max {
        return Need::Headers;
    }
    let Some(h) = PARSER.parse_headers(header) else {
        // Nothing readable in the headers: the bytes are all there is to go on.
        return Need::Body;
    };
    if h.from().is_none() && h.message_id().is_none() {
        // No sender and no Message-ID: the bytes are all there is to go on.
        return Need::Body;
    }
    if from_scheduling_tool(&h) {
        // A booking speaks for its invitee, named in its calendar part or its text.
        return Need::Body;
    }
    if is_bulk(&h) {
        return Need::Headers;
    }
    if is_machine_report(&h) || has_calendar(&h) {
        return Need::Body;
    }
    if involves(&h, known.contacts) || replies_to(&h, known.sent_ids) {
        return Need::Body;
    }
    Need::Deferred
}

/// List mail and bulk: its headers decide the reading.
fn is_bulk(h: &Message<'_>) -> bool {
    h.header("List-Id").is_some()
        || h.header("List-Unsubscribe").is_some()
        || h.header("Precedence")
            .and_then(HeaderValue::as_text)
            .is_some_and(|p| {
                let p = p.to_ascii_lowercase();
                p.contains("bulk") || p.contains("list") || p.contains("junk")
            })
}

/// A bounce, a delivery report or an auto-reply: its body may name a contact.
fn is_machine_report(h: &Message<'_>) -> bool {
    let report = h
        .header("Content-Type")
        .and_then(HeaderValue::as_content_type)
        .is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        });
    let auto = h
        .header("Auto-Submitted")
        .and_then(HeaderValue::as_text)
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"));
    let daemon = h
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .and_then(|a| a.split('@').next())
        .is_some_and(|local| {
            let local = local.to_ascii_lowercase();
            ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(&local.as_str())
        });
    let subject = h.subject().unwrap_or_default().to_lowercase();
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
    report || auto || daemon || bounce_subject || h.header("X-Failed-Recipients").is_some()
}

/// A calendar object at the top (a bare invitation); one inside a multipart is found by
/// its sender or recipients being contacts.
fn has_calendar(h: &Message<'_>) -> bool {
    h.header("Content-Type")
        .and_then(HeaderValue::as_content_type)
        .is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("text")
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("calendar"))
        })
}

/// Whether any address in From, Sender, Reply-To, To or Cc is a contact's.
/// Whether a scheduling tool sent it (`core::attribution`'s list, by sending domain).
fn from_scheduling_tool(h: &Message<'_>) -> bool {
    let from = h
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_lowercase();
    crate::core::attribution::tool_of(&from, &[]).is_some()
}

fn involves(h: &Message<'_>, contacts: &HashSet<String>) -> bool {
    if contacts.is_empty() {
        return false;
    }
    [h.from(), h.sender(), h.reply_to(), h.to(), h.cc()]
        .into_iter()
        .flatten()
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address())
        .any(|a| contacts.contains(&a.to_lowercase()))
}

/// Whether In-Reply-To or References names a message the user sent.
fn replies_to(h: &Message<'_>, sent: &HashSet<String>) -> bool {
    if sent.is_empty() {
        return false;
    }
    let named = |v: &HeaderValue<'_>| -> bool {
        match v {
            HeaderValue::Text(t) => sent.contains(t.as_ref()),
            HeaderValue::TextList(l) => l.iter().any(|t| sent.contains(t.as_ref())),
            _ => false,
        }
    };
    named(h.in_reply_to()) || named(h.references())
}
