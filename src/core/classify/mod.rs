//! `classify`: one raw email (or a bare `.ics` file) → what it is.
//!
//! Decides whether a message is a meeting invitation, update, cancellation
//! or reply, a scheduling-tool confirmation, a human reply (and whether it
//! means yes, no or later), a thank-you note, an auto-reply, a bounce, bulk
//! mail, or something else — and records the evidence for each decision so
//! `rapport why` can explain it.
//!
//! This module is pure: no I/O, no clock (the caller passes `now`), no
//! async, no global state beyond jiff's read-only time-zone database. It
//! never panics and never recurses per level of input nesting: mail bytes
//! are hostile (see `mime` for how nested messages are kept flat).
//!
//! Precedence when several signals are present (`classify_mail`; the first
//! that decides ends the reading):
//! 1. challenge-response notices and machine reports that are not failures
//!    (read receipts, abuse and TLS reports, success DSNs): `other`;
//! 2. a bounce;
//! 3. a strong auto-reply (auto-replied headers, out-of-office phrases);
//! 4. calendar content (invitation, update, cancellation, reply);
//! 5. a scheduling tool's confirmation;
//! 6. bulk mail, or transactional mail (`other`);
//! 7. other generated mail (`auto-generated`, not an auto-reply): `other`;
//! 8. an automated sender address: `other`;
//! 9. the human reading (`human`): a request for time, a thank-you, a reply
//!    and its intent, else `other`;
//! 10. the learned reader's second opinion on those words (`model::second`),
//!     which can make a reading unsure and never makes one sure.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

mod calendar;
mod dates;
mod detect;
mod human;
pub(crate) mod ical;
mod intent;
mod lang;
mod lexicon;
mod mime;
pub mod model;
mod proposal;
mod text;
mod tz;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// The classifier's parse of a message, for attribution to read the same parse.
pub(crate) use mime::{Mail as ParsedMail, MailAddr as ParsedAddr};
pub use proposal::ProposedTime;

/// What the caller knows that the message does not say.
pub struct Context<'a> {
    /// The current time; relative dates fall back to it when the message has
    /// no usable Date header.
    pub now: Timestamp,
    /// The user's own addresses, lowercase.
    pub user_addresses: &'a [String],
    /// True if a Message-ID (without `<>`) was sent by the user or rapport
    /// (including the aliases a server rewrote it to).
    pub sent_message_ids: &'a dyn Fn(&str) -> bool,
    /// The user's zone: for floating and all-day times and for relative
    /// dates.
    pub default_tz: TimeZone,
    /// The learned reader (shipped weights plus the user's corrections), built
    /// by the caller; `None` reads with the rules alone.
    pub reader: Option<&'a model::Reader>,
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    MeetingInvite,
    MeetingUpdate,
    MeetingCancel,
    MeetingAccept,
    MeetingDecline,
    MeetingTentative,
    MeetingConfirmation,
    /// Fresh text that asks for time (a call, a coffee, "20 minutes"), in
    /// either direction.
    MeetingRequest,
    HumanReply,
    ThankYou,
    AutoReply,
    Bounce,
    Bulk,
    Other,
}

impl Label {
    pub const ALL: [Label; 14] = [
        Label::MeetingInvite,
        Label::MeetingUpdate,
        Label::MeetingCancel,
        Label::MeetingAccept,
        Label::MeetingDecline,
        Label::MeetingTentative,
        Label::MeetingConfirmation,
        Label::MeetingRequest,
        Label::HumanReply,
        Label::ThankYou,
        Label::AutoReply,
        Label::Bounce,
        Label::Bulk,
        Label::Other,
    ];

    /// The snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::MeetingInvite => "meeting_invite",
            Label::MeetingUpdate => "meeting_update",
            Label::MeetingCancel => "meeting_cancel",
            Label::MeetingAccept => "meeting_accept",
            Label::MeetingDecline => "meeting_decline",
            Label::MeetingTentative => "meeting_tentative",
            Label::MeetingConfirmation => "meeting_confirmation",
            Label::MeetingRequest => "meeting_request",
            Label::HumanReply => "human_reply",
            Label::ThankYou => "thank_you",
            Label::AutoReply => "auto_reply",
            Label::Bounce => "bounce",
            Label::Bulk => "bulk",
            Label::Other => "other",
        }
    }

    /// Parses the snake_case name.
    pub fn from_name(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// What a human reply means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Yes,
    No,
    Later,
    Other,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Yes => "yes",
            Intent::No => "no",
            Intent::Later => "later",
            Intent::Other => "other",
        }
    }

    pub const ALL: [Intent; 4] = [Intent::Yes, Intent::No, Intent::Later, Intent::Other];

    /// Parses the snake_case name.
    pub fn from_name(s: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

/// How firmly a classification is held. An unsure reading that would change
/// what rapport does (a reply's intent, a thank-you, a request) is shown to the
/// user to confirm, and the planner takes the cautious path until then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    #[default]
    Sure,
    Unsure,
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Sure => "sure",
            Certainty::Unsure => "unsure",
        }
    }
}

/// One reason for a classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// "header", "part", "phrase", "ics" or "structure".
    pub kind: String,
    /// E.g. "Auto-Submitted: auto-replied", "METHOD:REQUEST in text/calendar part".
    pub detail: String,
}

pub(crate) fn ev(kind: &str, detail: impl Into<String>) -> Evidence {
    Evidence {
        kind: kind.to_string(),
        detail: detail.into(),
    }
}

/// A meeting read from calendar content or from a scheduling tool's text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Meeting {
    /// The iCalendar UID; empty for scheduling-tool mail without calendar.
    pub uid: String,
    /// RECURRENCE-ID of one occurrence: UTC RFC 3339, or the date
    /// (`YYYYMMDD`) for all-day occurrences.
    pub recurrence_id: Option<String>,
    pub sequence: i64,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub all_day: bool,
    pub summary: String,
    /// Organizer address, lowercase.
    pub organizer: Option<String>,
    /// (attendee address lowercase, PARTSTAT uppercase).
    pub attendee_status: Vec<(String, String)>,
    /// The iTIP method (REQUEST, REPLY, CANCEL, PUBLISH …); empty if none.
    pub method: String,
}

/// A delivery failure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Bounce {
    /// Permanent failure (5.x.x or a failure without status); false for
    /// delays and 4.x.x.
    pub hard: bool,
    pub failed_recipients: Vec<String>,
    /// Message-ID (without `<>`) of the message that failed.
    pub original_message_id: Option<String>,
    /// Enhanced status code, e.g. "5.1.1".
    pub status: Option<String>,
    pub diagnostic: Option<String>,
}

/// An address with its display name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    /// Lowercase.
    pub address: String,
    pub name: Option<String>,
}

/// The header facts a store keeps about every message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Envelope {
    /// Without `<>`.
    pub message_id: Option<String>,
    /// The first In-Reply-To id, without `<>`.
    pub in_reply_to: Option<String>,
    /// Without `<>`, in order.
    pub references: Vec<String>,
    pub from: Option<Address>,
    /// Lowercase addresses.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: Option<String>,
    pub date: Option<Timestamp>,
    /// First ~200 characters of the fresh text, whitespace collapsed.
    pub snippet: String,
    /// True when From is one of the user's addresses.
    pub from_user: bool,
}

/// The verdict on one message.
///
/// Stored as JSON (`store::messages`) and read back with this same type: a field missing from
/// an older row takes its default, a field of the wrong shape makes the row unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Classification {
    pub label: Label,
    /// Sure or unsure; the evidence says why.
    pub certainty: Certainty,
    /// For `human_reply` (and `thank_you` when the thanks come with a clear
    /// yes).
    pub intent: Option<Intent>,
    /// For intent `later`, when a date is stated or derivable.
    pub later_until: Option<Date>,
    pub evidence: Vec<Evidence>,
    pub meeting: Option<Meeting>,
    /// The return date stated in an out-of-office.
    pub auto_reply_until: Option<Date>,
    pub bounce: Option<Bounce>,
    pub envelope: Envelope,
    /// For a `human_reply` from someone else: the meeting time it proposes.
    pub proposed: Option<ProposedTime>,
}

impl Default for Classification {
    /// What an empty stored reading (`{}`) means: `other`, sure, no details.
    fn default() -> Self {
        Classification::new(Label::Other, Envelope::default())
    }
}

impl Classification {
    fn new(label: Label, envelope: Envelope) -> Self {
        Classification {
            label,
            certainty: Certainty::Sure,
            intent: None,
            later_until: None,
            evidence: Vec::new(),
            meeting: None,
            auto_reply_until: None,
            bounce: None,
            envelope,
            proposed: None,
        }
    }
}

/// Light repairs before MIME parsing: CR-only line endings become LF, and
/// leading blank lines, whitespace-only lines and an mbox `From ` line are
/// skipped (all three occur in stored mail).
fn prepare(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let raw = raw.get(..mime::MAX_INPUT).unwrap_or(raw);
    let mut start = 0;
    loop {
        let rest = raw.get(start..).unwrap_or_default();
        let line_end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
        let line = match line_end {
            Some(e) => rest.get(..e).unwrap_or_default(),
            None => rest,
        };
        // An mbox separator "From sender date" (never "From:" or "From :").
        let mbox = line.starts_with(b"From ") && !matches!(line.get(5), Some(b':' | b' '));
        let skip = line.iter().all(|b| *b == b' ' || *b == b'\t') || mbox;
        if !skip || line_end.is_none() {
            break;
        }
        let mut next = start + line.len();
        if raw.get(next) == Some(&b'\r') {
            next += 1;
        }
        if raw.get(next) == Some(&b'\n') {
            next += 1;
        }
        if next == start {
            break;
        }
        start = next;
        if start > 64 * 1024 {
            break;
        }
    }
    let body = raw.get(start..).unwrap_or_default();
    let has_lf = body.contains(&b'\n');
    if !has_lf && body.contains(&b'\r') {
        return std::borrow::Cow::Owned(
            body.iter()
                .map(|&b| if b == b'\r' { b'\n' } else { b })
                .collect(),
        );
    }
    std::borrow::Cow::Borrowed(body)
}

/// The date relative phrases are read against: the message's Date in the
/// user's zone, unless missing or implausibly far in the future; else `now`.
fn reference_date(date: Option<Timestamp>, ctx: &Context<'_>) -> Date {
    let now = ctx.now;
    let ts = match date {
        Some(d) if d.as_second() <= now.as_second().saturating_add(2 * 86_400) => d,
        _ => now,
    };
    ctx.default_tz.to_datetime(ts).date()
}

/// Classifies one raw message (RFC 5322 bytes) or a bare iCalendar file.
/// The month (1–12) a name or abbreviation names in any language of the lexicon
/// ("Nov", "juillet", "März"), case and a trailing dot ignored: the one month table,
/// shared with the contact importer's dates.
pub fn month_named(word: &str) -> Option<u8> {
    let m = lexicon::month_of(word.trim_end_matches('.').to_lowercase().as_str())?;
    u8::try_from(m).ok()
}

pub fn classify(raw: &[u8], ctx: &Context<'_>) -> Classification {
    match &Parsed::new(raw).mail {
        Some(mail) => classify_mail(mail, ctx),
        None => classify_ics(raw, ctx),
    }
}

/// A message parsed once, for reading before classifying (which bodies a sync fetches:
/// `mail::sync`) and for classifying without parsing it again.
pub struct Parsed {
    /// `None` for a bare iCalendar file (no mail headers).
    mail: Option<mime::Mail>,
}

impl Parsed {
    /// Parses `raw` as [`classify`] does.
    pub fn new(raw: &[u8]) -> Parsed {
        if mime::looks_like_vcalendar(raw) {
            return Parsed { mail: None };
        }
        Parsed {
            mail: Some(mime::parse_mail(&prepare(raw))),
        }
    }

    /// Whether headers were found (a bare calendar file or bytes without any header have
    /// none).
    pub fn has_headers(&self) -> bool {
        self.mail.as_ref().is_some_and(|m| !m.headerless)
    }

    /// The first value of a header (name in lower case), unfolded, as written.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.mail.as_ref()?.header(name)
    }

    /// The From address, lowercased ("" when none).
    pub fn from_address(&self) -> &str {
        self.mail.as_ref().map_or("", |m| m.sender_address())
    }

    /// Whether there is a Message-ID.
    pub fn has_message_id(&self) -> bool {
        self.mail.as_ref().is_some_and(|m| m.message_id.is_some())
    }

    /// The subject, decoded, whitespace collapsed ("" when none).
    pub fn subject(&self) -> &str {
        self.mail
            .as_ref()
            .and_then(|m| m.subject.as_deref())
            .unwrap_or("")
    }

    /// The top-level media type and subtype, lowercased.
    pub fn root_type(&self) -> (&str, &str) {
        self.mail.as_ref().map_or(("", ""), |m| {
            (m.root_type.0.as_str(), m.root_type.1.as_str())
        })
    }

    /// Every address of From, Sender, Reply-To, To and Cc, lowercased.
    pub fn addresses(&self) -> impl Iterator<Item = &str> {
        let m = self.mail.as_ref();
        let from = m.and_then(|m| m.from.as_ref()).map(|f| f.address.as_str());
        let named = m.into_iter().flat_map(|m| {
            let n = &m.named;
            n.sender
                .iter()
                .chain(&n.reply_to)
                .chain(&n.to)
                .chain(&n.cc)
                .map(|a| a.address.as_str())
        });
        from.into_iter().chain(named)
    }

    /// The ids of In-Reply-To and References, without angle brackets.
    pub fn thread_ids(&self) -> impl Iterator<Item = &str> {
        self.mail
            .iter()
            .flat_map(|m| m.in_reply_to.iter().chain(&m.references))
            .map(String::as_str)
    }
}

/// [`classify_with_parties`] of a message already parsed (`parsed` is
/// `Parsed::new(raw)`): the same reading, without parsing it a second time.
pub fn classify_parsed(
    parsed: &Parsed,
    raw: &[u8],
    ctx: &Context<'_>,
) -> (Classification, crate::core::attribution::Parties) {
    let Some(mail) = &parsed.mail else {
        let parties = crate::core::attribution::read_parties(raw, ctx.user_addresses);
        return (classify_ics(raw, ctx), parties);
    };
    let parties = crate::core::attribution::parties_of(mail, raw, ctx.user_addresses);
    (classify_mail(mail, ctx), parties)
}

/// [`classify`], and who the message is about beyond From/To/Cc
/// (`core::attribution::read_parties`), from the same parse of its header block.
pub fn classify_with_parties(
    raw: &[u8],
    ctx: &Context<'_>,
) -> (Classification, crate::core::attribution::Parties) {
    classify_parsed(&Parsed::new(raw), raw, ctx)
}

fn classify_ics(raw: &[u8], ctx: &Context<'_>) -> Classification {
    let text = String::from_utf8_lossy(raw.get(..mime::MAX_INPUT).unwrap_or(raw));
    let mut c = Classification::new(Label::Other, Envelope::default());
    c.evidence
        .push(ev("structure", "bare iCalendar file (no mail headers)"));
    if let Some(f) = calendar::from_ics(&text, &ctx.default_tz) {
        c.label = f.label;
        c.evidence.extend(f.evidence);
        if let Some(m) = &f.meeting {
            c.envelope.subject = Some(m.summary.clone()).filter(|s| !s.is_empty());
            c.envelope.snippet = text::snippet(&m.summary);
        }
        c.meeting = f.meeting;
    }
    c
}

fn envelope(mail: &mime::Mail, fresh: &str, ctx: &Context<'_>) -> Envelope {
    let from = mail.from.as_ref().map(|f| Address {
        address: f.address.clone(),
        name: f.name.clone(),
    });
    let from_user = from.as_ref().is_some_and(|f| {
        !f.address.is_empty()
            && ctx
                .user_addresses
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&f.address))
    });
    Envelope {
        message_id: mail.message_id.clone(),
        in_reply_to: mail.in_reply_to.first().cloned(),
        references: mail.references.clone(),
        from,
        to: mail.to.clone(),
        cc: mail.cc.clone(),
        subject: mail.subject.clone(),
        date: mail.date,
        snippet: text::snippet(fresh),
        from_user,
    }
}

fn classify_mail(mail: &mime::Mail, ctx: &Context<'_>) -> Classification {
    let fresh_all = text::fresh_text(&mail.body_text);
    let fresh = fresh_all.text.as_str();
    let mut c = Classification::new(Label::Other, envelope(mail, fresh, ctx));
    let r = reference_date(mail.date, ctx);
    let subject = mail.subject.clone().unwrap_or_default();

    if mail.headerless {
        c.evidence.push(ev("structure", "no parsable header"));
    }

    // Challenge-response notices and non-failure machine reports first.
    if read_machine_report(mail, ctx, &mut c) {
        return c;
    }

    let auto = detect::detect_auto_reply(mail, fresh);
    if let Some((detect::AutoStrength::Strong, e)) = &auto {
        c.label = Label::AutoReply;
        c.evidence.extend(e.iter().cloned());
        if let Some((d, t)) = detect::auto_reply_until(mail, fresh, r) {
            c.evidence
                .push(ev("phrase", format!("return date \"{t}\"")));
            c.auto_reply_until = Some(d);
        }
        add_sent_evidence(mail, ctx, &mut c);
        return c;
    }
    if read_calendar(mail, ctx, &subject, &fresh_all, &mut c) {
        return c;
    }

    if read_scheduling(mail, fresh, r, ctx, &mut c) {
        return c;
    }

    let reply = is_reply(mail, &fresh_all);
    match detect::detect_bulk(mail, fresh, reply) {
        detect::BulkOutcome::Bulk(e) => {
            c.label = Label::Bulk;
            c.evidence.extend(e);
            return c;
        }
        detect::BulkOutcome::Transactional(e) => {
            c.evidence.extend(e);
            return c;
        }
        detect::BulkOutcome::None => {}
    }

    // List and bulk signals outrank `Auto-Submitted: auto-generated`; what is
    // left of generated mail is automated, but only auto-*replied* mail is an
    // auto-reply.
    if let Some((detect::AutoStrength::Generated, e)) = auto {
        c.evidence.extend(e);
        c.evidence.push(ev(
            "structure",
            "generated by a program (not an auto-reply, not a person)",
        ));
        return c;
    }

    let from = mail.sender_address();
    if detect::is_machine_sender(from) {
        c.evidence
            .push(ev("header", format!("From: {from} (an automated sender)")));
        return c;
    }

    let answers = human::answers_the_user(mail, ctx);
    let mut c = human::read_human(mail, ctx, &fresh_all, reply, r, c);
    model::second::weigh(ctx.reader, &fresh_all.text, answers, r, &mut c);
    if answers && detect::is_forward(&subject) {
        doubt_a_forward(&mut c);
    }
    c
}

/// "Mark asked me to pass this along - his answer is below": a forward in a thread
/// of the user's may carry the answer; read as other, it is never vouched for.
fn doubt_a_forward(c: &mut Classification) {
    if c.label == Label::Other {
        c.certainty = Certainty::Unsure;
        c.evidence.push(ev(
            "structure",
            "a forward in a thread of yours: what it passes on may answer you: unsure",
        ));
    }
}

/// A scheduling tool's mail, or a calendar reply or booking without an iCalendar
/// part ([`detect::detect_scheduling`]); true when it decided the message.
fn read_scheduling(
    mail: &mime::Mail,
    fresh: &str,
    r: Date,
    ctx: &Context<'_>,
    c: &mut Classification,
) -> bool {
    let Some((label, meeting, e, doubt)) =
        detect::detect_scheduling(mail, fresh, r, &ctx.default_tz)
    else {
        return false;
    };
    c.label = label;
    c.evidence.extend(e);
    c.meeting = Some(meeting);
    if let Some(d) = doubt {
        c.certainty = Certainty::Unsure;
        c.evidence.push(ev("structure", format!("{d}: unsure")));
    }
    true
}

/// Challenge-response notices, bounces and the machine reports that are
/// not failures; true when one of them decided the message.
fn read_machine_report(mail: &mime::Mail, ctx: &Context<'_>, c: &mut Classification) -> bool {
    if let Some(e) = detect::detect_challenge(mail) {
        c.evidence.push(ev(
            "structure",
            "challenge-response notice (asks the sender to verify): not a bounce or a reply",
        ));
        c.evidence.extend(e);
        return true;
    }
    match detect::detect_bounce(mail, ctx.user_addresses) {
        detect::BounceOutcome::Bounce(b, e) => {
            c.label = Label::Bounce;
            c.evidence.extend(e);
            if let Some(id) = b
                .original_message_id
                .as_deref()
                .filter(|id| (ctx.sent_message_ids)(id))
            {
                c.evidence.push(ev(
                    "part",
                    format!("the failed message was sent by the user (<{id}>)"),
                ));
            }
            c.bounce = Some(b);
            return true;
        }
        detect::BounceOutcome::NotABounce(e) => {
            c.evidence.extend(e);
            return true;
        }
        detect::BounceOutcome::None => {}
    }

    false
}

/// Calendar content; true when it decided the message. A calendar object
/// that is not a meeting message (PUBLISH notice, free/busy, iTIP stream)
/// does not end the analysis when the mail itself is something else (a
/// human writing about it): only meeting labels and mail with no human
/// signal stop here.
fn read_calendar(
    mail: &mime::Mail,
    ctx: &Context<'_>,
    subject: &str,
    fresh_all: &text::Fresh,
    c: &mut Classification,
) -> bool {
    let Some(f) = calendar::from_mail(mail, &ctx.default_tz, subject, &fresh_all.text) else {
        return false;
    };
    c.label = f.label;
    c.evidence.extend(f.evidence);
    c.meeting = f.meeting;
    // A booking tool's invitation is the booking it confirms (Calendly's "New Event"
    // with its .ics): the meeting is agreed, not proposed.
    if c.label == Label::MeetingInvite
        && let Some(tool) = detect::tool_of_own_domain(mail)
    {
        c.label = Label::MeetingConfirmation;
        c.evidence.push(ev(
            "header",
            format!("the invitation comes from {tool}'s own domain: a booking it confirms"),
        ));
    }
    if c.envelope.snippet.is_empty()
        && let Some(m) = &c.meeting
    {
        c.envelope.snippet = text::snippet(&m.summary);
    }
    c.label != Label::Other || !is_reply(mail, fresh_all)
}

/// Signals that a message answers another one. A forward answers nothing.
fn is_reply(mail: &mime::Mail, fresh: &text::Fresh) -> bool {
    if detect::is_forward(mail.subject.as_deref().unwrap_or("")) {
        return false;
    }
    !mail.in_reply_to.is_empty()
        || !mail.references.is_empty()
        || detect::reply_prefix(mail.subject.as_deref().unwrap_or("")).is_some()
        || fresh.quote_found
}

fn reply_evidence(mail: &mime::Mail, fresh: &text::Fresh, c: &mut Classification) {
    if let Some(id) = mail.in_reply_to.first() {
        c.evidence
            .push(ev("header", format!("In-Reply-To: <{id}>")));
    } else if !mail.references.is_empty() {
        c.evidence.push(ev("header", "References present"));
    }
    if let Some(p) = detect::reply_prefix(mail.subject.as_deref().unwrap_or("")) {
        c.evidence
            .push(ev("header", format!("Subject reply prefix \"{p}\"")));
    }
    if let Some(q) = &fresh.quote_kind {
        c.evidence.push(ev(
            "structure",
            format!("quoted text below the fresh text ({q})"),
        ));
    }
}

fn add_sent_evidence(mail: &mime::Mail, ctx: &Context<'_>, c: &mut Classification) {
    let ours = mail
        .in_reply_to
        .iter()
        .chain(mail.references.iter())
        .find(|id| (ctx.sent_message_ids)(id));
    if let Some(id) = ours {
        c.evidence.push(ev(
            "header",
            format!("in reply to a message the user sent (<{id}>)"),
        ));
    }
}

#[cfg(test)]
mod tests;
