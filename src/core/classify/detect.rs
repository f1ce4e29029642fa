//! The non-human detectors: bounces (RFC 3464 delivery-status reports and
//! the non-standard kind), challenge-response notices, auto-replies
//! (RFC 3834 and kin), scheduling-tool confirmations, and bulk/list mail;
//! plus the reply signals used for human replies.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::dates;
use super::mime::{Mail, PartContent, enclosed_message_id};
use super::text::{find_phrase, first_phrase, normalise_for_match};
use super::{Bounce, Evidence, Label, Meeting, ev};

// ---------------------------------------------------------------------------
// Bounces

pub(crate) enum BounceOutcome {
    Bounce(Bounce, Vec<Evidence>),
    /// A machine report that is not a failure (read receipt, abuse report,
    /// TLS report, success DSN): label `other`.
    NotABounce(Vec<Evidence>),
    None,
}

#[derive(Debug, Default, Clone)]
struct DsnRecipient {
    final_recipient: Option<String>,
    original_recipient: Option<String>,
    action: Option<String>,
    status: Option<String>,
    diagnostic: Option<String>,
}

impl DsnRecipient {
    fn is_empty(&self) -> bool {
        self.final_recipient.is_none()
            && self.original_recipient.is_none()
            && self.action.is_none()
            && self.status.is_none()
    }
    /// The address the sender wrote (Original-Recipient) when given, else
    /// the one the reporting MTA tried (Final-Recipient, after aliasing).
    fn address(&self) -> Option<&str> {
        self.original_recipient
            .as_deref()
            .or(self.final_recipient.as_deref())
    }
}

fn address_field(v: &str) -> Option<String> {
    let v = v.split_once(';').map_or(v, |(_, a)| a);
    let v = v
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    // A source route "@relay:user@host" keeps only the mailbox.
    let v = match v.strip_prefix('@').and_then(|r| r.split_once(':')) {
        Some((_, mailbox)) => mailbox,
        None => v,
    };
    (v.contains('@') && v.len() < 320).then(|| v.to_ascii_lowercase())
}

/// The first "d.d.d" status code with class 2, 4 or 5 in the text.
pub(crate) fn status_code(v: &str) -> Option<String> {
    for word in v.split(|c: char| {
        c.is_whitespace()
            || c == '('
            || c == ')'
            || c == ','
            || c == ';'
            || c == '<'
            || c == '>'
            || c == '#'
    }) {
        let w = word.trim_end_matches(['.', ':']);
        let parts: Vec<&str> = w.split('.').collect();
        if parts.len() == 3
            && matches!(parts.first().copied(), Some("2" | "4" | "5"))
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
        {
            return Some(w.to_string());
        }
    }
    None
}

/// Parses a message/delivery-status body: per-recipient field groups,
/// tolerating a missing blank line between groups (a new Final-Recipient
/// starts a new recipient).
fn parse_dsn(text: &str) -> Vec<DsnRecipient> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    // Unfold.
    let mut lines: Vec<String> = Vec::new();
    for l in normalised.lines() {
        if (l.starts_with(' ') || l.starts_with('\t'))
            && !l.trim().is_empty()
            && let Some(last) = lines.last_mut()
        {
            last.push(' ');
            last.push_str(l.trim());
            continue;
        }
        lines.push(l.to_string());
        if lines.len() > 5000 {
            break;
        }
    }
    let mut out = Vec::new();
    let mut cur = DsnRecipient::default();
    for l in lines {
        if l.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let Some((name, value)) = l.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        match name.as_str() {
            "final-recipient" => {
                if cur.final_recipient.is_some() || cur.action.is_some() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.final_recipient = address_field(value);
            }
            "original-recipient" => {
                if cur.original_recipient.is_some()
                    || (cur.final_recipient.is_some() && cur.action.is_some())
                {
                    out.push(std::mem::take(&mut cur));
                }
                cur.original_recipient = address_field(value);
            }
            "action" => cur.action = Some(value.to_ascii_lowercase()),
            "status" => {
                cur.status = status_code(value).or_else(|| Some(value.chars().take(40).collect()))
            }
            "diagnostic-code" => {
                let d = value.split_once(';').map_or(value, |(_, d)| d).trim();
                cur.diagnostic = Some(d.chars().take(300).collect());
            }
            _ => {}
        }
        if out.len() > 500 {
            break;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const DAEMON_LOCALS: &[&str] = &[
    "mailer-daemon",
    "mailerdaemon",
    "mail-daemon",
    "postmaster",
    "mdaemon",
    "mailer_daemon",
];

fn is_daemon(mail: &Mail) -> bool {
    let from_header = mail.header("from").unwrap_or("");
    let addr = mail.sender_address();
    let local = addr.split('@').next().unwrap_or("");
    let name = mail
        .from
        .as_ref()
        .and_then(|f| f.name.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase();
    DAEMON_LOCALS.contains(&local)
        || name.contains("mail delivery")
        || name.contains("mailer-daemon")
        || name.contains("mailer daemon")
        || name.contains("postmaster")
        || (addr.is_empty() && from_header.replace(' ', "").contains("<>"))
}

const BOUNCE_SUBJECTS: &[&str] = &[
    "failed mail",
    "mail failed",
    "failed delivery",
    "failure delivery",
    "delivery failure notification",
    "message not delivered",
    "mail not delivered",
    "undelivered mail",
    "undeliverable",
    "undelivered",
    "delivery status notification",
    "delivery failure",
    "delivery failed",
    "mail delivery failed",
    "failure notice",
    "returned mail",
    "delivery notification",
    "delivery has failed",
    "message status - undeliverable",
    "could not send message",
    "mail failure",
    "delivery error",
    "delivery problem",
    "non-delivery",
    "nondeliverable",
    "not delivered",
    "delayed mail",
    "delivery delayed",
    "message delayed",
    "delivery status",
    "returned to sender",
    "unzustellbar",
    "nicht zustellbar",
    "non remis",
    "non recapitabile",
    "email delivery error",
];

const BOUNCE_BODY: &[&str] = &[
    "could not be delivered",
    "couldn't be delivered",
    "was not delivered",
    "wasn't delivered",
    "delivery has failed",
    "delivery to the following recipient",
    "permanent error",
    "permanent fatal",
    "user unknown",
    "unknown user",
    "not a valid user",
    "no such user",
    "does not exist",
    "mailbox unavailable",
    "mailbox is full",
    "mailbox full",
    "quota exceeded",
    "over quota",
    "undeliverable",
    "returned to sender",
    "unable to deliver",
    "failed permanently",
    "delivery failed",
    "message could not",
    "this is the mail system at host",
    "wasn't able to deliver",
    "was not able to deliver",
    "not listed in",
    "address rejected",
    "has not yet been delivered",
    "still being retried",
    "will be retried",
    "could not send message for past",
    "host unknown",
    "recipient address rejected",
    "following address(es) failed",
    "following addresses had permanent",
    "below this line is a copy of the message",
    "delivery to the following recipients failed",
];

const SOFT_WORDS: &[&str] = &[
    "delayed",
    "delay",
    "still being retried",
    "will be retried",
    "will retry",
    "could not send message for past",
    "warning:",
    "temporarily",
    "has not yet been delivered",
];

/// Where the copy of the original message starts in a bounce text.
const ORIGINAL_MARKERS: &[&str] = &[
    "below this line is a copy of the message",
    "this is a copy of the message",
    "original message follows",
    "----- original message -----",
    "------ this is a copy",
    "unsent message below",
    "the original message was received",
    "----- message header follows",
    "original message headers",
    "returned message",
];

/// Splits a bounce text at the enclosed original message.
fn split_original(text: &str) -> (&str, &str) {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // Non-ASCII case mapping changed lengths: search line by line.
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            let l = line.to_lowercase();
            if ORIGINAL_MARKERS.iter().any(|m| l.contains(m)) {
                return (
                    text.get(..off).unwrap_or(text),
                    text.get(off..).unwrap_or(""),
                );
            }
            off += line.len();
        }
        return (text, "");
    }
    let cut = ORIGINAL_MARKERS.iter().filter_map(|m| lower.find(m)).min();
    match cut {
        Some(c) => (text.get(..c).unwrap_or(text), text.get(c..).unwrap_or("")),
        None => (text, ""),
    }
}

fn extract_addresses(text: &str, limit: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '(' | ')' | '"' | '\'' | ',' | ';' | '[' | ']'
            )
    }) {
        let w = raw
            .trim_matches(|c: char| matches!(c, '.' | ':'))
            .trim_start_matches("mailto:");
        let Some((local, domain)) = w.split_once('@') else {
            continue;
        };
        if local.is_empty() || domain.len() < 3 || !domain.contains('.') || w.len() > 254 {
            continue;
        }
        if !w
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-=@".contains(c))
        {
            continue;
        }
        let a = w.to_ascii_lowercase();
        if !out.contains(&a) {
            out.push(a);
        }
        if out.len() >= limit {
            break;
        }
    }
    out
}

fn original_id_from_text(text: &str) -> Option<String> {
    for line in text.lines() {
        let l = line.trim_start_matches(['>', ' ']);
        if l.len() > 11
            && l.get(..11)
                .is_some_and(|p| p.eq_ignore_ascii_case("message-id:"))
        {
            let v = l.get(11..).unwrap_or("").trim();
            let id = super::mime::clean_id(v.split_whitespace().next().unwrap_or(""));
            if !id.is_empty() {
                return Some(id);
            }
        }
    }
    None
}

/// All text of the message for bounce heuristics: the display text plus
/// the other text parts (qmail and Exchange put the notice in one part and
/// the original in another).
fn all_text(mail: &Mail) -> String {
    let mut t = mail.body_text.clone();
    for p in &mail.parts {
        if let PartContent::Text(x) = &p.content
            && p.ctype == "text"
            && p.subtype == "plain"
            && !t.contains(x.as_str())
            && t.len() < 512 * 1024
        {
            t.push('\n');
            t.push_str(x);
        }
    }
    t
}

pub(crate) fn detect_bounce(mail: &Mail, user_addresses: &[String]) -> BounceOutcome {
    let mut evidence = Vec::new();
    let report_type = mail
        .root_param("report-type")
        .map(|r| r.to_ascii_lowercase());
    let is_report = mail.root_type.0 == "multipart" && mail.root_type.1 == "report";
    let negative_part = mail.parts.iter().find(|p| {
        p.ctype == "message"
            && matches!(
                p.subtype.as_str(),
                "disposition-notification" | "feedback-report" | "global-disposition-notification"
            )
    });
    if let Some(rt) = report_type.as_deref().filter(|_| is_report)
        && matches!(
            rt,
            "disposition-notification" | "feedback-report" | "tlsrpt"
        )
    {
        let what = match rt {
            "disposition-notification" => "a read receipt (MDN)",
            "feedback-report" => "an abuse/feedback report (ARF)",
            _ => "an SMTP TLS report",
        };
        evidence.push(ev(
            "header",
            format!("Content-Type: multipart/report; report-type={rt}: {what}, not a bounce"),
        ));
        return BounceOutcome::NotABounce(evidence);
    }
    if let Some(p) = negative_part {
        evidence.push(ev(
            "part",
            format!("message/{} part: a machine report, not a bounce", p.subtype),
        ));
        return BounceOutcome::NotABounce(evidence);
    }

    let text = all_text(mail);
    let (notice, original) = split_original(&text);
    let subject = mail.subject.as_deref().unwrap_or("");
    let subject_h = normalise_for_match(subject);

    // 1. RFC 3464 delivery-status parts.
    let mut recipients: Vec<DsnRecipient> = Vec::new();
    let mut dsn_parts = 0;
    for p in &mail.parts {
        if p.ctype == "message"
            && (p.subtype == "delivery-status" || p.subtype == "global-delivery-status")
            && let Some(t) = p.text()
        {
            dsn_parts += 1;
            recipients.extend(parse_dsn(&t));
        }
    }
    let actions: Vec<&str> = recipients
        .iter()
        .filter_map(|r| r.action.as_deref())
        .collect();
    let failed: Vec<&DsnRecipient> = recipients
        .iter()
        .filter(|r| {
            r.action.as_deref().is_some_and(|a| a.starts_with("failed"))
                || (r.action.is_none() && r.status.as_deref().is_some_and(|s| s.starts_with('5')))
        })
        .collect();
    let delayed: Vec<&DsnRecipient> = recipients
        .iter()
        .filter(|r| {
            r.action
                .as_deref()
                .is_some_and(|a| a.starts_with("delayed"))
                || (r.action.is_none() && r.status.as_deref().is_some_and(|s| s.starts_with('4')))
        })
        .collect();

    let mut bounce = Bounce::default();
    let mut is_bounce = false;
    if dsn_parts > 0 && (!failed.is_empty() || !delayed.is_empty()) {
        is_bounce = true;
        let chosen: &Vec<&DsnRecipient> = if failed.is_empty() { &delayed } else { &failed };
        evidence.push(ev(
            "part",
            format!(
                "message/delivery-status part: Action {}",
                if failed.is_empty() {
                    "delayed"
                } else {
                    "failed"
                }
            ),
        ));
        for r in chosen {
            if let Some(a) = r.address()
                && !bounce.failed_recipients.iter().any(|x| x == a)
            {
                bounce.failed_recipients.push(a.to_string());
            }
        }
        // Status/diagnostic: from the chosen recipients, else any record.
        bounce.status = chosen
            .iter()
            .find_map(|r| r.status.clone())
            .or_else(|| recipients.iter().find_map(|r| r.status.clone()));
        bounce.diagnostic = chosen
            .iter()
            .find_map(|r| r.diagnostic.clone())
            .or_else(|| recipients.iter().find_map(|r| r.diagnostic.clone()));
        bounce.hard = !failed.is_empty()
            && failed
                .iter()
                .any(|r| r.status.as_deref().is_none_or(|s| s.starts_with('5')));
        if let Some(s) = &bounce.status {
            evidence.push(ev("part", format!("Status: {s}")));
        }
    } else if dsn_parts > 0
        && !actions.is_empty()
        && actions.iter().all(|a| {
            a.starts_with("delivered") || a.starts_with("relayed") || a.starts_with("expanded")
        })
    {
        evidence.push(ev(
            "part",
            format!(
                "message/delivery-status reports success only (Action: {}): not a bounce",
                actions.join(", ")
            ),
        ));
        return BounceOutcome::NotABounce(evidence);
    }

    // 2. Non-standard bounces.
    if !is_bounce {
        let failed_header: Vec<String> = mail
            .header_all("x-failed-recipients")
            .flat_map(|v| extract_addresses(v, 20))
            .collect();
        let daemon = is_daemon(mail);
        let subject_hit = first_phrase(&subject_h, BOUNCE_SUBJECTS);
        let notice_h = normalise_for_match(&notice.chars().take(8000).collect::<String>());
        let body_hit = first_phrase(&notice_h, BOUNCE_BODY);
        let null_return = mail
            .header("return-path")
            .is_some_and(|r| r.replace(' ', "") == "<>");
        let auto = mail
            .header("auto-submitted")
            .is_some_and(|a| !a.trim().eq_ignore_ascii_case("no"));
        let report = is_report && report_type.as_deref() == Some("delivery-status");
        let decided = !failed_header.is_empty()
            || (daemon && (subject_hit.is_some() || body_hit.is_some()))
            || (subject_hit.is_some() && body_hit.is_some())
            || (subject_hit.is_some() && (null_return || auto || report));
        if !decided {
            return BounceOutcome::None;
        }
        is_bounce = true;
        if !failed_header.is_empty() {
            evidence.push(ev(
                "header",
                format!("X-Failed-Recipients: {}", failed_header.join(", ")),
            ));
        }
        if daemon {
            evidence.push(ev(
                "header",
                format!("From: {} (mail system)", mail.header("from").unwrap_or("")),
            ));
        }
        if let Some(s) = subject_hit {
            evidence.push(ev("header", format!("Subject contains \"{s}\"")));
        }
        if let Some(b) = body_hit {
            evidence.push(ev("phrase", format!("bounce text \"{b}\"")));
        }
        if report {
            evidence.push(ev(
                "header",
                "multipart/report; report-type=delivery-status without a readable status part",
            ));
        }
        // Failed recipients from the notice text.
        let mut exclude: Vec<String> = user_addresses.to_vec();
        exclude.extend(mail.to.iter().cloned());
        exclude.extend(mail.cc.iter().cloned());
        exclude.push(mail.sender_address().to_string());
        let mut recips = failed_header;
        if recips.is_empty() {
            // Prefer addresses on lines that speak of failure.
            let fail_words = [
                "fail",
                "unknown",
                "not exist",
                "invalid",
                "rejected",
                "unavailable",
                "no such",
                "not listed",
                "quota",
                "full",
                "550",
                "554",
                "553",
                "552",
                "5.",
                "4.",
                "could not",
                "undeliver",
                "not a valid",
                "delayed",
                "retry",
            ];
            let mut candidates = Vec::new();
            let lines: Vec<&str> = notice.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let l = line.to_lowercase();
                let next = lines
                    .get(i + 1)
                    .map(|n| n.to_lowercase())
                    .unwrap_or_default();
                if fail_words.iter().any(|w| l.contains(w) || next.contains(w)) {
                    candidates.extend(extract_addresses(line, 10));
                }
            }
            if candidates.is_empty() {
                candidates = extract_addresses(notice, 20);
            }
            for a in candidates {
                let local = a.split('@').next().unwrap_or("");
                if exclude.contains(&a) || DAEMON_LOCALS.contains(&local) || recips.contains(&a) {
                    continue;
                }
                recips.push(a);
                if recips.len() >= 10 {
                    break;
                }
            }
        }
        bounce.failed_recipients = recips;
        bounce.status = status_code(notice);
        if let Some(s) = &bounce.status {
            evidence.push(ev("phrase", format!("status {s} in the text")));
        }
        bounce.diagnostic = notice
            .lines()
            .map(str::trim)
            .find(|l| {
                let l5 = l.get(..4).unwrap_or("");
                matches!(
                    l5,
                    "550 " | "551 " | "552 " | "553 " | "554 " | "450 " | "451 " | "452 "
                ) || l.contains(" 550 ")
                    || l.contains(" 554 ")
                    || l.contains(" 552 ")
                    || l.contains(" 553 ")
                    || l.contains(" 450 ")
                    || l.contains(" 451 ")
                    || l.contains(" 452 ")
            })
            .map(|l| l.chars().take(300).collect());
        let soft_text = normalise_for_match(&format!(
            "{subject}\n{}",
            notice.chars().take(4000).collect::<String>()
        ));
        let soft = first_phrase(&soft_text, SOFT_WORDS).is_some()
            || bounce.status.as_deref().is_some_and(|s| s.starts_with('4'));
        bounce.hard = !soft;
    }

    if is_bounce {
        // The original message: an enclosed message or its headers, else the
        // text after the copy marker, else the bounce's own In-Reply-To.
        for p in &mail.parts {
            let enclosed = (p.ctype == "message"
                && (p.subtype == "rfc822" || p.subtype == "global"))
                || (p.ctype == "text" && p.subtype == "rfc822-headers");
            if !enclosed {
                continue;
            }
            let id = match &p.content {
                PartContent::Bytes(b) => enclosed_message_id(b),
                PartContent::Text(t) | PartContent::Html(t) => enclosed_message_id(t.as_bytes()),
                PartContent::Skipped => None,
            };
            if let Some(id) = id {
                evidence.push(ev(
                    "part",
                    format!(
                        "original Message-ID from the enclosed {}/{} part",
                        p.ctype, p.subtype
                    ),
                ));
                bounce.original_message_id = Some(id);
                break;
            }
        }
        if bounce.original_message_id.is_none() {
            bounce.original_message_id =
                original_id_from_text(original).or_else(|| original_id_from_text(&text));
        }
        if bounce.original_message_id.is_none() {
            bounce.original_message_id = mail.in_reply_to.first().cloned();
        }
        // A Message-ID looks like an address: never report it as one.
        if let Some(id) = &bounce.original_message_id {
            let id = id.to_ascii_lowercase();
            bounce.failed_recipients.retain(|a| *a != id);
        }
        return BounceOutcome::Bounce(bounce, evidence);
    }
    BounceOutcome::None
}

// ---------------------------------------------------------------------------
// Challenge-response

/// Wording that asks the *sender* to act so that a held message is
/// delivered. Rejection wording ("not in whitelist") is deliberately absent:
/// that is a bounce.
const CHALLENGE: &[&str] = &[
    "to have your address added",
    "add yourself to",
    "guest list",
    "waitlisted",
    "click the link below to be added",
    "click here to deliver your message",
    "verify that you are a human",
    "verify you are a human",
    "prove you are human",
    "confirm that you are a human",
    "approve your message",
    "challenge-response",
];

pub(crate) fn detect_challenge(mail: &Mail) -> Option<Vec<Evidence>> {
    let mut hay = normalise_for_match(&mail.body_text.chars().take(16_000).collect::<String>());
    for p in &mail.parts {
        if p.ctype == "message"
            && p.subtype == "delivery-status"
            && let Some(t) = p.text()
        {
            hay.push_str(&normalise_for_match(
                &t.chars().take(4000).collect::<String>(),
            ));
        }
    }
    let hits: Vec<&str> = CHALLENGE
        .iter()
        .copied()
        .filter(|p| find_phrase(&hay, p).is_some())
        .collect();
    let header = mail.headers.iter().find(|(n, _)| {
        n.starts_with("x-bluebottle") || n.starts_with("x-boxbe") || n == "x-challenge"
    });
    if hits.is_empty() && header.is_none() {
        return None;
    }
    let mut evidence = Vec::new();
    if let Some((n, _)) = header {
        evidence.push(ev("header", format!("{n} (challenge-response system)")));
    }
    for h in hits.iter().take(3) {
        evidence.push(ev("phrase", format!("challenge-response wording \"{h}\"")));
    }
    // One wording alone is weak ("allowed list" may appear elsewhere): need
    // two, or one with the header, or one in a machine report.
    let machine = mail.root_type.1 == "report" || mail.header("auto-submitted").is_some();
    (hits.len() >= 2 || header.is_some() || (machine && !hits.is_empty())).then_some(evidence)
}

// ---------------------------------------------------------------------------
// Auto-replies

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AutoStrength {
    /// An auto-reply for sure.
    Strong,
    /// Only `Auto-Submitted: auto-generated` (or similar): automated, but
    /// calendar servers and scheduling tools say that too.
    Generated,
}

const AUTO_SUBJECT_STRONG: &[&str] = &[
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "autorespons",
    "autoresponder",
    "automatic response",
    "automated response",
    "out of office",
    "out of the office",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "reponse automatique",
    "respuesta automática",
    "respuesta automatica",
    "risposta automatica",
    "automatyczna odpowiedź",
    "automatyczna odpowiedz",
    "odpowiedź automatyczna",
    "odpowiedz automatyczna",
    "fuera de la oficina",
    "niet aanwezig",
    "afwezigheid",
    "absence du bureau",
    "vacation reply",
    "vacation response",
    "away until",
    "out until",
    "automaattinen vastaus",
    "automatisk svar",
    "automatiskt svar",
];
const AUTO_SUBJECT_WEAK: &[&str] = &[
    "vacation",
    "away",
    "absent",
    "abwesend",
    "on leave",
    "thank you for your e-mail",
    "thank you for your email",
    "thank you for your message",
    "thanks for your email",
    "thanks for your e-mail",
    "thanks for your message",
    "we have received your",
    "received your message",
];
const AUTO_BODY: &[&str] = &[
    "out of the office",
    "out of office",
    "away from the office",
    "on vacation",
    "on holiday",
    "on annual leave",
    "on parental leave",
    "on leave",
    "limited access to email",
    "limited access to e-mail",
    "no access to email",
    "upon my return",
    "when i return",
    "i am currently away",
    "i'm currently away",
    "i am away",
    "i'm away",
    "away until",
    "currently out",
    "i'm out until",
    "i am out until",
    "back in the office",
    "returning to the office",
    "automatic reply",
    "automated response",
    "automatic response",
    "auto-reply",
    "this is an automated",
    "this is an automatic",
    "will respond as soon as",
    "will reply as soon as",
    "reply as soon as possible",
    "respond as soon as possible",
    "endeavour to reply",
    "endeavor to reply",
    "get back to you as soon as",
    "außer haus",
    "ausser haus",
    "nicht im büro",
    "absent du bureau",
    "no longer in use",
    "no longer monitored",
    "is not monitored",
];

pub(crate) fn detect_auto_reply(mail: &Mail, fresh: &str) -> Option<(AutoStrength, Vec<Evidence>)> {
    let mut evidence = Vec::new();
    let mut strong = false;
    // Headers only automated senders set (null return path, bulk
    // precedence, Exchange inbox-rule loop detection) …
    let mut weak_headers = 0;
    // … and X-Auto-Response-Suppress, which Outlook also puts on ordinary
    // mail: it only counts together with an auto-reply subject.
    let mut suppress = false;
    let mut generated = false;
    if let Some(v) = mail.header("auto-submitted") {
        let l = v.trim().to_ascii_lowercase();
        if !l.starts_with("no") {
            evidence.push(ev("header", format!("Auto-Submitted: {v}")));
            if l.contains("replied") {
                strong = true;
            } else {
                generated = true;
            }
        }
    }
    for h in [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-auto-reply",
    ] {
        if let Some(v) = mail.header(h) {
            let l = v.trim().to_ascii_lowercase();
            if l != "no" && l != "false" && l != "0" {
                strong = true;
                evidence.push(ev("header", format!("{h}: {v}")));
            }
        }
    }
    let precedence = mail
        .header("precedence")
        .map(|p| p.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if precedence == "auto_reply" || precedence == "auto-reply" {
        strong = true;
        evidence.push(ev("header", format!("Precedence: {precedence}")));
    } else if matches!(precedence.as_str(), "bulk" | "junk" | "list") {
        weak_headers += 1;
    }
    if let Some(v) = mail.header("x-apple-action")
        && v.to_ascii_lowercase().contains("vacation")
    {
        strong = true;
        evidence.push(ev("header", format!("X-Apple-Action: {v}")));
    }
    if let Some(v) = mail.header("x-mailer") {
        let l = v.to_ascii_lowercase();
        if l.contains("vacation")
            || l.contains("autorespond")
            || l.contains("auto-reply")
            || l.contains("autoreply")
        {
            strong = true;
            evidence.push(ev("header", format!("X-Mailer: {v}")));
        }
    }
    if mail.has_header("x-auto-response-suppress") {
        suppress = true;
    }
    if mail.has_header("x-ms-exchange-inbox-rules-loop")
        || mail
            .header("x-loop")
            .is_some_and(|v| v.to_ascii_lowercase().contains("vacation"))
    {
        weak_headers += 1;
    }
    if mail
        .header("return-path")
        .is_some_and(|r| r.replace(' ', "") == "<>")
    {
        weak_headers += 1;
    }
    let subject = mail.subject.as_deref().unwrap_or("");
    let sh = normalise_for_match(subject);
    let subject_strong = first_phrase(&sh, AUTO_SUBJECT_STRONG).or_else(|| {
        let t = subject.trim_start().to_ascii_lowercase();
        (t.starts_with("auto:") || t.starts_with("[auto")).then_some("AUTO:")
    });
    // "RE: Automatic reply: …" is a person answering an auto-reply: the
    // auto-reply words right after a reply prefix do not count.
    let subject_strong = subject_strong.filter(|p| {
        let rest = normalise_for_match(strip_reply_prefixes(subject));
        !(reply_prefix(subject).is_some()
            && (rest.trim_start().starts_with(p) || rest.trim_start().starts_with("auto:")))
    });
    if let Some(p) = subject_strong {
        strong = true;
        evidence.push(ev("header", format!("Subject: \"{p}\"")));
    }
    let subject_weak = first_phrase(&sh, AUTO_SUBJECT_WEAK);
    let fh = normalise_for_match(&fresh.chars().take(8000).collect::<String>());
    let body = first_phrase(&fh, AUTO_BODY);

    if strong {
        if let Some(b) = body {
            evidence.push(ev("phrase", format!("out-of-office wording \"{b}\"")));
        }
        return Some((AutoStrength::Strong, evidence));
    }
    let decided = (body.is_some() && (weak_headers > 0 || subject_weak.is_some() || generated))
        || (subject_weak.is_some() && (weak_headers > 0 || suppress || generated));
    if decided {
        if let Some(s) = subject_weak {
            evidence.push(ev("header", format!("Subject: \"{s}\"")));
        }
        if weak_headers > 0 || suppress {
            let hs: Vec<&str> = [
                "x-auto-response-suppress",
                "x-ms-exchange-inbox-rules-loop",
                "precedence",
                "return-path",
            ]
            .into_iter()
            .filter(|h| mail.has_header(h))
            .collect();
            evidence.push(ev(
                "header",
                format!("automation headers: {}", hs.join(", ")),
            ));
        }
        if let Some(b) = body {
            evidence.push(ev("phrase", format!("out-of-office wording \"{b}\"")));
        }
        return Some((AutoStrength::Strong, evidence));
    }
    if generated {
        return Some((AutoStrength::Generated, evidence));
    }
    None
}

/// The return date of an out-of-office: subject first, then the text.
pub(crate) fn auto_reply_until(mail: &Mail, fresh: &str, r: Date) -> Option<(Date, String)> {
    let subject = mail.subject.as_deref().unwrap_or("");
    dates::return_date(subject, r)
        .or_else(|| dates::return_date(fresh, r))
        .map(|f| (f.date, f.text))
}

// ---------------------------------------------------------------------------
// Scheduling tools

struct Tool {
    name: &'static str,
    domains: &'static [&'static str],
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "Calendly",
        domains: &["calendly.com"],
    },
    Tool {
        name: "Zoom",
        domains: &["zoom.us", "zoom.com"],
    },
    Tool {
        name: "Cal.com",
        domains: &["cal.com"],
    },
    Tool {
        name: "Google Calendar/Meet",
        domains: &[
            "calendar-notification@google.com",
            "calendar.google.com",
            "meet.google.com",
        ],
    },
    Tool {
        name: "Microsoft Teams",
        domains: &["teams.microsoft.com", "email.teams.microsoft.com"],
    },
];

const CANCEL_WORDS: &[&str] = &[
    "canceled",
    "cancelled",
    "cancellation",
    "has been cancelled",
    "has been canceled",
    "abgesagt",
    "annulé",
];
const UPDATE_WORDS: &[&str] = &[
    "rescheduled",
    "updated:",
    "has been updated",
    "has been changed",
    "new time",
    "verschoben",
];
const CONFIRM_WORDS: &[&str] = &[
    "new event",
    "confirmed",
    "confirmation",
    "has been scheduled",
    "you have scheduled",
    "scheduled a meeting",
    "meeting scheduled",
    "invited you",
    "is inviting you",
    "invitation",
    "booked",
    "new booking",
    "event scheduled",
    "join zoom meeting",
    "join the meeting",
    "join microsoft teams meeting",
];

fn sender_domain_matches(from: &str, pattern: &str) -> bool {
    if pattern.contains('@') {
        return from == pattern;
    }
    let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
    domain == pattern || domain.ends_with(&format!(".{pattern}"))
}

pub(crate) fn detect_scheduling(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>)> {
    let from = mail.sender_address();
    let tool = TOOLS
        .iter()
        .find(|t| t.domains.iter().any(|d| sender_domain_matches(from, d)))?;
    let subject = mail.subject.as_deref().unwrap_or("");
    let h = normalise_for_match(&format!(
        "{subject}\n{}",
        fresh.chars().take(8000).collect::<String>()
    ));
    let sh = normalise_for_match(subject);
    let mut evidence = vec![ev("header", format!("From: {from} ({})", tool.name))];
    let label = if let Some(w) =
        first_phrase(&sh, CANCEL_WORDS).or_else(|| first_phrase(&h, CANCEL_WORDS))
    {
        evidence.push(ev("phrase", format!("cancellation wording \"{w}\"")));
        Label::MeetingCancel
    } else if let Some(w) =
        first_phrase(&sh, UPDATE_WORDS).or_else(|| first_phrase(&h, UPDATE_WORDS))
    {
        evidence.push(ev("phrase", format!("reschedule wording \"{w}\"")));
        Label::MeetingUpdate
    } else if let Some(w) = first_phrase(&h, CONFIRM_WORDS) {
        evidence.push(ev("phrase", format!("confirmation wording \"{w}\"")));
        Label::MeetingConfirmation
    } else {
        return None;
    };
    let mut meeting = Meeting {
        method: String::new(),
        summary: mail.subject.clone().unwrap_or_default(),
        ..Meeting::default()
    };
    // Prefer the full body text (times are often below a quoted-looking
    // block in tool mails).
    let body = if mail.body_text.len() > fresh.len() {
        mail.body_text.as_str()
    } else {
        fresh
    };
    if let Some(t) = dates::meeting_time(body, r, default_tz) {
        evidence.push(ev(
            "phrase",
            format!("meeting time in the text ({}): {}", t.how, t.start),
        ));
        meeting.start = Some(t.start);
        meeting.end = t.end;
    }
    Some((label, meeting, evidence))
}

// ---------------------------------------------------------------------------
// Bulk and list mail

const LIST_HEADERS: &[&str] = &[
    "list-id",
    "list-unsubscribe",
    "list-post",
    "list-help",
    "list-subscribe",
    "list-owner",
    "list-archive",
    "x-beenthere",
    "mailing-list",
    "x-mailman-version",
    "x-mailing-list",
    "x-campaign",
    "x-campaignid",
    "x-csa-complaints",
    "x-sfmc-stack",
    "x-mc-user",
    "x-mailchimp-campaign",
];
const DISCUSSION_HEADERS: &[&str] = &[
    "list-post",
    "x-beenthere",
    "x-mailman-version",
    "mailing-list",
    "x-mailing-list",
];
const FOOTER: &[&str] = &[
    "unsubscribe",
    "abmelden",
    "abbestellen",
    "opt out",
    "opt-out",
    "no longer wish to receive",
    "you are receiving this",
    "you received this",
    "remove you from",
    "to be removed from",
    "manage your subscription",
    "email preferences",
    "view this email in your browser",
    "view in browser",
    "se désinscrire",
    "désabonner",
    "darse de baja",
];
/// Words in a subject that make list-headed mail transactional (a parcel
/// notice, a receipt) rather than a newsletter.
const TRANSACTIONAL: &[&str] = &[
    "paket",
    "package",
    "parcel",
    "shipment",
    "shipped",
    "sendung",
    "lieferung",
    "zustellung",
    "packstation",
    "order",
    "bestellung",
    "receipt",
    "quittung",
    "invoice",
    "rechnung",
    "payment",
    "zahlung",
    "booking",
    "buchung",
    "reservation",
    "password",
    "passwort",
    "verification code",
    "security alert",
    "sign-in",
    "your account",
    "tracking",
];

pub(crate) enum BulkOutcome {
    Bulk(Vec<Evidence>),
    Transactional(Vec<Evidence>),
    None,
}

fn list_software_address(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    let local = l
        .rsplit_once('@')
        .map_or(l.as_str(), |(a, _)| a)
        .rsplit(['<', ' ', '"'])
        .next()
        .unwrap_or("");
    local.starts_with("owner-")
        || local.ends_with("-request")
        || local.ends_with("-bounces")
        || local.ends_with("-admin")
        || local.ends_with("-owner")
        || local.contains("-bounces+")
}

pub(crate) fn detect_bulk(mail: &Mail, fresh: &str, is_reply: bool) -> BulkOutcome {
    let mut evidence = Vec::new();
    let strong: Vec<&str> = LIST_HEADERS
        .iter()
        .copied()
        .filter(|h| mail.has_header(h))
        .collect();
    let discussion = DISCUSSION_HEADERS.iter().any(|h| mail.has_header(h));
    let mut medium = 0;
    let precedence = mail
        .header("precedence")
        .map(|p| p.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let prec_hit = matches!(precedence.as_str(), "bulk" | "list" | "junk");
    if prec_hit {
        medium += 1;
        evidence.push(ev("header", format!("Precedence: {precedence}")));
    }
    let list_sender = ["sender", "errors-to"]
        .into_iter()
        .filter_map(|h| mail.header(h).map(|v| (h, v)))
        .find(|(_, v)| list_software_address(v));
    if let Some((h, v)) = list_sender {
        medium += 1;
        evidence.push(ev("header", format!("{h}: {v} (list software address)")));
    }
    let fh = normalise_for_match(&fresh.chars().take(32_000).collect::<String>());
    let html_fresh = super::text::fresh_text(&mail.html_text).text;
    let hh = normalise_for_match(&html_fresh.chars().take(32_000).collect::<String>());
    let footer = first_phrase(&fh, FOOTER).or_else(|| first_phrase(&hh, FOOTER));
    if let Some(f) = footer {
        medium += 1;
        evidence.push(ev("phrase", format!("list/newsletter footer \"{f}\"")));
    }
    for h in &strong {
        evidence.push(ev("header", format!("{h} present")));
    }
    let bulk = !strong.is_empty() || medium >= 2 || (medium >= 1 && !is_reply);
    if !bulk {
        return BulkOutcome::None;
    }
    let discussion = discussion || precedence == "list" || list_sender.is_some();
    if !discussion {
        let sh = normalise_for_match(mail.subject.as_deref().unwrap_or(""));
        if let Some(t) = first_phrase(&sh, TRANSACTIONAL) {
            evidence.push(ev(
                "phrase",
                format!(
                    "transactional subject \"{t}\" (a notice to one customer, not a newsletter)"
                ),
            ));
            return BulkOutcome::Transactional(evidence);
        }
    }
    BulkOutcome::Bulk(evidence)
}

// ---------------------------------------------------------------------------
// Replies

const REPLY_PREFIXES: &[&str] = &[
    "re:",
    "re :",
    "aw:",
    "aw :",
    "antw:",
    "antwort:",
    "r:",
    "rif:",
    "sv:",
    "vs:",
    "odp:",
    "réf:",
    "ref:",
    "rép:",
    "rép.:",
    "res:",
    "ynt:",
    "atb:",
    "vá:",
    "回复:",
    "回复：",
    "答复:",
    "答复：",
    "返信:",
    "返信：",
];

/// The subject without its leading reply prefixes and list tags.
pub(crate) fn strip_reply_prefixes(subject: &str) -> &str {
    let mut s = subject.trim_start();
    for _ in 0..10 {
        if s.starts_with('[') {
            match s.find(']') {
                Some(e) if e < 60 => {
                    s = s.get(e + 1..).unwrap_or("").trim_start();
                    continue;
                }
                _ => {}
            }
        }
        let lower = s.to_lowercase();
        match REPLY_PREFIXES.iter().find(|p| lower.starts_with(*p)) {
            // Prefixes are ASCII or lowercase-stable, so the length carries over.
            Some(p) if s.is_char_boundary(p.len()) => {
                s = s.get(p.len()..).unwrap_or("").trim_start()
            }
            _ => break,
        }
    }
    s
}

/// The reply prefix of a subject, if any (list tags like "[list]" skipped).
pub(crate) fn reply_prefix(subject: &str) -> Option<&'static str> {
    let mut s = subject.trim_start();
    for _ in 0..3 {
        if s.starts_with('[') {
            match s.find(']') {
                Some(e) if e < 60 => s = s.get(e + 1..).unwrap_or("").trim_start(),
                _ => break,
            }
        }
    }
    let lower = s.to_lowercase();
    // "Re[2]:" / "RE^2:"
    if lower.starts_with("re[") || lower.starts_with("re^") {
        let digits_end = lower
            .char_indices()
            .skip(3)
            .find(|(_, c)| !c.is_ascii_digit())
            .map(|(i, _)| i);
        if let Some(i) = digits_end
            && lower
                .get(i..)
                .is_some_and(|r| r.starts_with("]:") || r.starts_with(':'))
        {
            return Some("Re[n]:");
        }
    }
    REPLY_PREFIXES
        .iter()
        .copied()
        .find(|p| lower.starts_with(p))
}

const MACHINE_LOCALS: &[&str] = &[
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
    "mailer-daemon",
    "postmaster",
    "notifications",
    "notification",
    "bounce",
    "bounces",
    "mailrobot",
];

/// A sender address no person reads: one of [`MACHINE_LOCALS`] as a word of
/// the local part ("noreply", "jira-noreply", "calendar.notification"), or a
/// "do not reply" spelled into it.
pub(crate) fn is_machine_sender(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or("").to_ascii_lowercase();
    let squashed: String = local
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    squashed.contains("noreply")
        || squashed.contains("donotreply")
        || local
            .split(['-', '.', '_', '+'])
            .any(|w| MACHINE_LOCALS.contains(&w))
        || MACHINE_LOCALS.contains(&local.as_str())
}

/// Forward prefixes ("Fwd:", German "WG:", French "TR:", Spanish "RV:",
/// Italian "I:", Dutch "Doorst:", Portuguese "Enc:", Swedish "VB:").
const FORWARD_PREFIXES: &[&str] = &[
    "fw:", "fwd:", "fw :", "fwd :", "wg:", "wg :", "tr:", "tr :", "rv:", "i:", "doorst:", "enc:",
    "vb:", "vl:", "転送:", "转发:",
];

/// Whether the subject's first prefix says the message is a forward: a
/// forward is not a reply to anything, whatever quote it carries.
pub(crate) fn is_forward(subject: &str) -> bool {
    let lower = subject.trim_start().to_lowercase();
    FORWARD_PREFIXES.iter().any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsn_groups_without_blank_lines() {
        let t = "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@x.org\nAction: delayed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 450 try\n later";
        let r = parse_dsn(t);
        assert_eq!(r.len(), 2);
        assert_eq!(
            r.first().and_then(|x| x.final_recipient.clone()).as_deref(),
            Some("a@x.org")
        );
        assert_eq!(
            r.get(1).and_then(|x| x.diagnostic.clone()).as_deref(),
            Some("450 try later")
        );
    }

    #[test]
    fn status_codes() {
        assert_eq!(
            status_code("smtp; 550 5.1.1 <a@b> user unknown").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(
            status_code("Status: 4.4.7 (delivery expired)").as_deref(),
            Some("4.4.7")
        );
        assert_eq!(status_code("version 1.2.3"), None);
    }

    #[test]
    fn reply_prefixes() {
        assert_eq!(reply_prefix("Re: hi"), Some("re:"));
        assert_eq!(reply_prefix("AW: Termin"), Some("aw:"));
        assert_eq!(reply_prefix("[Test1] Re: x"), Some("re:"));
        assert_eq!(reply_prefix("R: R: I: x"), Some("r:"));
        assert_eq!(reply_prefix("Re[2]: x"), Some("Re[n]:"));
        assert_eq!(reply_prefix("Regarding the meeting"), None);
        assert_eq!(reply_prefix("回复：会议"), Some("回复："));
    }

    #[test]
    fn machine_senders() {
        assert!(is_machine_sender("noreply@x.com"));
        assert!(is_machine_sender("no-reply+abc@x.com"));
        assert!(!is_machine_sender("norene@x.com"));
    }
}
