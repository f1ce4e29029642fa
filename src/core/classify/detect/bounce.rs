//! Bounces: standard delivery-status reports and the non-standard kind
//! (qmail, Exchange, hand-rolled MTAs), with the failed recipients and the
//! original message's id. It must never take a read receipt, abuse report,
//! TLS report or success notice for a bounce, nor report the user's own or a
//! mail daemon's address as the failed recipient.

use super::super::mime::{Mail, PartContent, clean_id, enclosed_message_id};
use super::super::text::{first_phrase, normalise_for_match, phrase_list};
use super::super::{Bounce, Evidence, ev};
use super::dsn::{DsnVerdict, dsn_verdict, status_code};

pub(crate) enum BounceOutcome {
    Bounce(Bounce, Vec<Evidence>),
    /// A machine report that is not a failure (read receipt, abuse report,
    /// TLS report, success DSN): label `other`.
    NotABounce(Vec<Evidence>),
    None,
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
phrase_list!(BOUNCE_SUBJECTS_SET = BOUNCE_SUBJECTS);

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
phrase_list!(BOUNCE_BODY_SET = BOUNCE_BODY);

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
phrase_list!(SOFT_WORDS_SET = SOFT_WORDS);

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
            let id = clean_id(v.split_whitespace().next().unwrap_or(""));
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
    let report_type = mail.root_param("report-type").map(str::to_ascii_lowercase);
    let is_report = mail.root_type.0 == "multipart" && mail.root_type.1 == "report";
    if let Some(evidence) = machine_report(mail, report_type.as_deref().filter(|_| is_report)) {
        return BounceOutcome::NotABounce(evidence);
    }
    let verdict = dsn_verdict(mail);
    // Without a status part, a bounce needs a header sign (a failed
    // recipient, a mail-system sender, a bounce subject): without one, the
    // texts are not gathered at all.
    if matches!(verdict, DsnVerdict::None) && !heuristic_possible(mail) {
        return BounceOutcome::None;
    }
    let text = all_text(mail);
    let (notice, original) = split_original(&text);
    let (mut bounce, mut evidence) = match verdict {
        DsnVerdict::Failure(b, e) => (b, e),
        DsnVerdict::SuccessOnly(e) => return BounceOutcome::NotABounce(e),
        DsnVerdict::None => {
            let dsn_report = is_report && report_type.as_deref() == Some("delivery-status");
            match heuristic_bounce(mail, notice, dsn_report, user_addresses) {
                Some(found) => found,
                None => return BounceOutcome::None,
            }
        }
    };
    find_original(mail, original, &text, &mut bounce, &mut evidence);
    BounceOutcome::Bounce(bounce, evidence)
}

/// Whether the headers allow a bounce judged by [`heuristic_evidence`]:
/// every way it decides needs an X-Failed-Recipients header, a mail-system
/// sender or a bounce subject.
fn heuristic_possible(mail: &Mail) -> bool {
    mail.header_all("x-failed-recipients")
        .any(|v| !extract_addresses(v, 20).is_empty())
        || is_daemon(mail)
        || first_phrase(
            &normalise_for_match(mail.subject.as_deref().unwrap_or("")),
            &BOUNCE_SUBJECTS_SET,
        )
        .is_some()
}

/// A machine report that is not a failure: a read receipt, an abuse or
/// TLS report (by report type, `report_type` given only for a
/// multipart/report), or any message with such a part.
fn machine_report(mail: &Mail, report_type: Option<&str>) -> Option<Vec<Evidence>> {
    if let Some(rt) = report_type.filter(|rt| {
        matches!(
            *rt,
            "disposition-notification" | "feedback-report" | "tlsrpt"
        )
    }) {
        let what = match rt {
            "disposition-notification" => "a read receipt (MDN)",
            "feedback-report" => "an abuse/feedback report (ARF)",
            _ => "an SMTP TLS report",
        };
        return Some(vec![ev(
            "header",
            format!("Content-Type: multipart/report; report-type={rt}: {what}, not a bounce"),
        )]);
    }
    let negative_part = mail.parts.iter().find(|p| {
        p.ctype == "message"
            && matches!(
                p.subtype.as_str(),
                "disposition-notification" | "feedback-report" | "global-disposition-notification"
            )
    })?;
    Some(vec![ev(
        "part",
        format!(
            "message/{} part: a machine report, not a bounce",
            negative_part.subtype
        ),
    )])
}

/// A bounce without a readable delivery-status part, judged from the
/// headers and the notice text; `dsn_report` is a multipart/report of type
/// delivery-status.
fn heuristic_bounce(
    mail: &Mail,
    notice: &str,
    dsn_report: bool,
    user_addresses: &[String],
) -> Option<(Bounce, Vec<Evidence>)> {
    let subject = mail.subject.as_deref().unwrap_or("");
    let failed_header: Vec<String> = mail
        .header_all("x-failed-recipients")
        .flat_map(|v| extract_addresses(v, 20))
        .collect();
    let mut evidence = heuristic_evidence(mail, notice, subject, &failed_header, dsn_report)?;
    let failed_recipients = if failed_header.is_empty() {
        notice_recipients(mail, notice, user_addresses)
    } else {
        failed_header
    };
    let status = status_code(notice);
    if let Some(s) = &status {
        evidence.push(ev("phrase", format!("status {s} in the text")));
    }
    let soft_text = normalise_for_match(&format!(
        "{subject}\n{}",
        notice.chars().take(4000).collect::<String>()
    ));
    let soft = first_phrase(&soft_text, &SOFT_WORDS_SET).is_some()
        || status.as_deref().is_some_and(|s| s.starts_with('4'));
    let bounce = Bounce {
        failed_recipients,
        status,
        diagnostic: diagnostic_line(notice),
        hard: !soft,
        ..Bounce::default()
    };
    Some((bounce, evidence))
}

/// Whether the signals add up to a bounce, and if so their evidence: an
/// X-Failed-Recipients header, or a bounce subject or text together with a
/// mail-daemon sender, each other, or an automated envelope.
fn heuristic_evidence(
    mail: &Mail,
    notice: &str,
    subject: &str,
    failed_header: &[String],
    dsn_report: bool,
) -> Option<Vec<Evidence>> {
    let daemon = is_daemon(mail);
    let subject_hit = first_phrase(&normalise_for_match(subject), &BOUNCE_SUBJECTS_SET);
    let notice_h = normalise_for_match(&notice.chars().take(8000).collect::<String>());
    let body_hit = first_phrase(&notice_h, &BOUNCE_BODY_SET);
    let null_return = mail
        .header("return-path")
        .is_some_and(|r| r.replace(' ', "") == "<>");
    let auto = mail
        .header("auto-submitted")
        .is_some_and(|a| !a.trim().eq_ignore_ascii_case("no"));
    let decided = !failed_header.is_empty()
        || (daemon && (subject_hit.is_some() || body_hit.is_some()))
        || (subject_hit.is_some() && body_hit.is_some())
        || (subject_hit.is_some() && (null_return || auto || dsn_report));
    if !decided {
        return None;
    }
    let mut evidence = Vec::new();
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
    if dsn_report {
        evidence.push(ev(
            "header",
            "multipart/report; report-type=delivery-status without a readable status part",
        ));
    }
    Some(evidence)
}

/// Words of a notice line (or the line after it) that speak of failure:
/// the addresses on such lines are the likeliest failed recipients.
const FAIL_WORDS: &[&str] = &[
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

/// The failed recipients named in a notice text: addresses on lines that
/// speak of failure (else any in the notice), never the user's, the
/// message's own recipients, its sender or a mail daemon; at most ten.
fn notice_recipients(mail: &Mail, notice: &str, user_addresses: &[String]) -> Vec<String> {
    let mut exclude: Vec<String> = user_addresses.to_vec();
    exclude.extend(mail.to.iter().cloned());
    exclude.extend(mail.cc.iter().cloned());
    exclude.push(mail.sender_address().to_string());
    let mut candidates = Vec::new();
    let lines: Vec<&str> = notice.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let l = line.to_lowercase();
        let next = lines
            .get(i + 1)
            .map(|n| n.to_lowercase())
            .unwrap_or_default();
        if FAIL_WORDS.iter().any(|w| l.contains(w) || next.contains(w)) {
            candidates.extend(extract_addresses(line, 10));
        }
    }
    if candidates.is_empty() {
        candidates = extract_addresses(notice, 20);
    }
    let mut recips: Vec<String> = Vec::new();
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
    recips
}

/// The first line of the notice carrying an SMTP 45x/55x reply.
fn diagnostic_line(notice: &str) -> Option<String> {
    notice
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
        .map(|l| l.chars().take(300).collect())
}

/// The original message: an enclosed message or its headers, else the
/// text after the copy marker, else the bounce's own In-Reply-To.
fn find_original(
    mail: &Mail,
    original: &str,
    text: &str,
    bounce: &mut Bounce,
    evidence: &mut Vec<Evidence>,
) {
    if let Some((id, e)) = enclosed_original_id(mail) {
        evidence.push(e);
        bounce.original_message_id = Some(id);
    }
    if bounce.original_message_id.is_none() {
        bounce.original_message_id =
            original_id_from_text(original).or_else(|| original_id_from_text(text));
    }
    if bounce.original_message_id.is_none() {
        bounce.original_message_id = mail.in_reply_to.first().cloned();
    }
    // A Message-ID looks like an address: never report it as one.
    if let Some(id) = &bounce.original_message_id {
        let id = id.to_ascii_lowercase();
        bounce.failed_recipients.retain(|a| *a != id);
    }
}

/// The Message-ID of the first enclosed message (or headers) part that has
/// one, with its evidence.
fn enclosed_original_id(mail: &Mail) -> Option<(String, Evidence)> {
    mail.parts.iter().find_map(|p| {
        let enclosed = (p.ctype == "message" && (p.subtype == "rfc822" || p.subtype == "global"))
            || (p.ctype == "text" && p.subtype == "rfc822-headers");
        if !enclosed {
            return None;
        }
        let id = match &p.content {
            PartContent::Bytes(b) => enclosed_message_id(b),
            PartContent::Text(t) | PartContent::Html(t) => enclosed_message_id(t.as_bytes()),
            PartContent::Skipped => None,
        }?;
        let e = ev(
            "part",
            format!(
                "original Message-ID from the enclosed {}/{} part",
                p.ctype, p.subtype
            ),
        );
        Some((id, e))
    })
}
