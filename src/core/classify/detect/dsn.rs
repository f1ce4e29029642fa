//! RFC 3464 delivery-status reports: the per-recipient field groups of a
//! `message/delivery-status` part, the status codes in them, and what they
//! report (a failure, a delay, or success only). It must never call a
//! success-only report a bounce.

use super::super::mime::Mail;
use super::super::{Bounce, Evidence, ev};

#[derive(Debug, Default, Clone)]
pub(super) struct DsnRecipient {
    pub(super) final_recipient: Option<String>,
    pub(super) original_recipient: Option<String>,
    pub(super) action: Option<String>,
    pub(super) status: Option<String>,
    pub(super) diagnostic: Option<String>,
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
    pub(super) fn address(&self) -> Option<&str> {
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
pub(super) fn parse_dsn(text: &str) -> Vec<DsnRecipient> {
    let normalised = crate::core::contentline::normalise_newlines(text);
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
                cur.status = status_code(value).or_else(|| Some(value.chars().take(40).collect()));
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

/// What the delivery-status parts of a message report.
pub(super) enum DsnVerdict {
    /// A failed (or, failing none, delayed) recipient: a bounce.
    Failure(Bounce, Vec<Evidence>),
    /// Every action is delivered, relayed or expanded: not a bounce.
    SuccessOnly(Vec<Evidence>),
    /// No such part, or nothing readable in it.
    None,
}

pub(super) fn dsn_verdict(mail: &Mail) -> DsnVerdict {
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
    if dsn_parts == 0 {
        return DsnVerdict::None;
    }
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
    if !failed.is_empty() || !delayed.is_empty() {
        let (bounce, evidence) = failure(&recipients, &failed, &delayed);
        return DsnVerdict::Failure(bounce, evidence);
    }
    let actions: Vec<&str> = recipients
        .iter()
        .filter_map(|r| r.action.as_deref())
        .collect();
    if !actions.is_empty()
        && actions.iter().all(|a| {
            a.starts_with("delivered") || a.starts_with("relayed") || a.starts_with("expanded")
        })
    {
        return DsnVerdict::SuccessOnly(vec![ev(
            "part",
            format!(
                "message/delivery-status reports success only (Action: {}): not a bounce",
                actions.join(", ")
            ),
        )]);
    }
    DsnVerdict::None
}

/// The bounce of the failed recipients (the delayed ones when none
/// failed); status and diagnostic from them, else from any record.
fn failure(
    recipients: &[DsnRecipient],
    failed: &[&DsnRecipient],
    delayed: &[&DsnRecipient],
) -> (Bounce, Vec<Evidence>) {
    let chosen = if failed.is_empty() { delayed } else { failed };
    let mut evidence = vec![ev(
        "part",
        format!(
            "message/delivery-status part: Action {}",
            if failed.is_empty() {
                "delayed"
            } else {
                "failed"
            }
        ),
    )];
    let mut failed_recipients: Vec<String> = Vec::new();
    for r in chosen {
        if let Some(a) = r.address()
            && !failed_recipients.iter().any(|x| x == a)
        {
            failed_recipients.push(a.to_string());
        }
    }
    let status = chosen
        .iter()
        .find_map(|r| r.status.clone())
        .or_else(|| recipients.iter().find_map(|r| r.status.clone()));
    let diagnostic = chosen
        .iter()
        .find_map(|r| r.diagnostic.clone())
        .or_else(|| recipients.iter().find_map(|r| r.diagnostic.clone()));
    let hard = !failed.is_empty()
        && failed
            .iter()
            .any(|r| r.status.as_deref().is_none_or(|s| s.starts_with('5')));
    if let Some(s) = &status {
        evidence.push(ev("part", format!("Status: {s}")));
    }
    let bounce = Bounce {
        failed_recipients,
        status,
        diagnostic,
        hard,
        ..Bounce::default()
    };
    (bounce, evidence)
}
