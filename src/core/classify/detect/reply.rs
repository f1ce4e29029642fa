//! Reply signals of the subject and sender: reply and forward prefixes in
//! many languages, and addresses no person reads. It only recognises; it
//! must never decide a label on its own.

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
    "yanıt:",
    "yanit:",
    "cvp:",
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
                s = s.get(p.len()..).unwrap_or("").trim_start();
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
    let squashed: String = local.chars().filter(char::is_ascii_alphanumeric).collect();
    squashed.contains("noreply")
        || squashed.contains("donotreply")
        || local
            .split(['-', '.', '_', '+'])
            .any(|w| MACHINE_LOCALS.contains(&w))
        || MACHINE_LOCALS.contains(&local.as_str())
}

/// Forward prefixes ("Fwd:", German "WG:", French "TR:", Spanish "RV:",
/// Italian "I:", Dutch "Doorst:", Portuguese "Enc:", Swedish "VB:", Polish "PD:",
/// Turkish "İLT:", lowercased with its combining dot or without).
const FORWARD_PREFIXES: &[&str] = &[
    "fw:",
    "fwd:",
    "fw :",
    "fwd :",
    "wg:",
    "wg :",
    "tr:",
    "tr :",
    "rv:",
    "i:",
    "doorst:",
    "enc:",
    "vb:",
    "vl:",
    "pd:",
    "i\u{307}lt:",
    "ilt:",
    "転送:",
    "转发:",
];

/// Whether the subject's first prefix says the message is a forward: a
/// forward is not a reply to anything, whatever quote it carries.
pub(crate) fn is_forward(subject: &str) -> bool {
    let lower = subject.trim_start().to_lowercase();
    FORWARD_PREFIXES.iter().any(|p| lower.starts_with(p))
}
