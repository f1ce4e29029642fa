//! Auto-replies (RFC 3834 headers and their non-standard kin, out-of-office
//! subjects and wording) and their return dates. It must never call mail
//! merely `auto-generated` an auto-reply for sure: calendar servers and
//! scheduling tools say that too.

use jiff::civil::Date;

use super::super::dates;
use super::super::intent::unwrap_lines;
use super::super::mime::Mail;
use super::super::text::{first_phrase, normalise_for_match, phrase_list};
use super::super::{Evidence, ev};
use super::reply::{reply_prefix, strip_reply_prefixes};

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
    "resposta automática",
    "resposta automatica",
    "automatisch antwoord",
    "automatische reactie",
    "afwezig:",
    "frånvaro:",
    "frånvarande:",
    "autosvar",
    "automatisk besvarelse",
    "fravær:",
    "fraværende:",
    "ausente:",
    "assente:",
    "absent :",
    "absent:",
    "abwesend:",
    "fuori ufficio",
    "fora do escritório",
    "自動応答",
    "自動返信",
    "不在通知",
    "不在のお知らせ",
    "poza biurem",
    "nieobecność:",
    "nieobecnosc:",
    "poza biurem:",
    "otomatik yanıt",
    "otomatik yanit",
    "otomatik cevap",
    "ofis dışında",
    "ofis disinda",
    "автоответ",
    "自动回复",
];
phrase_list!(AUTO_SUBJECT_STRONG_SET = AUTO_SUBJECT_STRONG);
/// What only an automatic reply says of itself, in its first lines: enough
/// without any header ("This is an automatic reply.").
const AUTO_BODY_SELF: &[&str] = &[
    "this is an automatic reply",
    "this is an automated reply",
    "this is an auto-reply",
    "this is an autoreply",
    "this is an automatic response",
    "this is an automated response",
    "this is an automatically generated reply",
    "this is an automatic out of office",
    "dies ist eine automatische antwort",
    "dies ist eine automatisch generierte antwort",
    "dies ist eine automatische abwesenheitsnotiz",
    "ceci est une réponse automatique",
    "ceci est un message automatique",
    "ceci est un message d'absence",
    "esta es una respuesta automática",
    "esta es una respuesta automatica",
    "este es un mensaje automático",
    "questa è una risposta automatica",
    "questo è un messaggio automatico",
    "esta é uma resposta automática",
    "esta é uma mensagem automática",
    "dit is een automatisch antwoord",
    "dit is een automatisch bericht",
    "dit is een automatische reactie",
    "detta är ett automatiskt svar",
    "detta är ett automatiskt meddelande",
    "dette er et automatisk svar",
    "dette er en automatisk besked",
    "dette er en automatisk melding",
    "これは自動返信",
    "このメールは自動返信",
    "自動返信メール",
    "自動送信",
    "to jest automatyczna odpowiedź",
    "jest to automatyczna odpowiedź",
    "to jest automatyczna odpowiedz",
    "ta wiadomość została wygenerowana automatycznie",
    "wiadomość wygenerowana automatycznie",
    "bu otomatik bir yanıttır",
    "bu bir otomatik yanıttır",
    "bu otomatik bir yanittir",
    "bu mesaj otomatik olarak gönderilmiştir",
    "bu e-posta otomatik olarak gönderilmiştir",
    "это автоматический ответ",
];
phrase_list!(AUTO_BODY_SELF_SET = AUTO_BODY_SELF);
const AUTO_SUBJECT_WEAK: &[&str] = &[
    "vacation",
    "away",
    "absent",
    "abwesend",
    "on leave",
    "urlop",
    "nieobecny",
    "nieobecna",
    "izinde",
    "tatilde",
    "thank you for your e-mail",
    "thank you for your email",
    "thank you for your message",
    "thanks for your email",
    "thanks for your e-mail",
    "thanks for your message",
    "we have received your",
    "received your message",
];
phrase_list!(AUTO_SUBJECT_WEAK_SET = AUTO_SUBJECT_WEAK);
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
    "außer haus",
    "ausser haus",
    "nicht im büro",
    "absent du bureau",
    "jestem poza biurem",
    "przebywam poza biurem",
    "jestem na urlopie",
    "przebywam na urlopie",
    "jestem nieobecny",
    "jestem nieobecna",
    "ograniczony dostęp do poczty",
    "po moim powrocie",
    "ofis dışındayım",
    "ofis disindayim",
    "izindeyim",
    "yıllık izindeyim",
    "tatildeyim",
    "e-postalarıma sınırlı erişimim",
    "sınırlı erişimim var",
    "döndüğümde yanıt",
    "no longer in use",
    "no longer monitored",
    "is not monitored",
];
phrase_list!(AUTO_BODY_SET = AUTO_BODY);

/// Body wording, read after [`AUTO_BODY`], that says a program wrote, not that anyone is away:
/// a notification says it too.
const AUTO_BODY_GENERIC: &[&str] = &[
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
];
phrase_list!(AUTO_BODY_GENERIC_SET = AUTO_BODY_GENERIC);

/// Body wording that mentions an absence without being a notice of one.
const AUTO_BODY_MENTION: &[&str] = &[
    "jestem na urlopie",
    "izindeyim",
    "tatildeyim",
    "on vacation",
    "on holiday",
    "on annual leave",
    "on parental leave",
    "on leave",
    "currently out",
    "i'm away",
    "i am away",
    "away until",
];

pub(crate) fn detect_auto_reply(mail: &Mail, fresh: &str) -> Option<(AutoStrength, Vec<Evidence>)> {
    let HeaderSignals {
        mut evidence,
        mut strong,
        weak_headers,
        suppress,
        generated,
    } = header_signals(mail);
    let subject = mail.subject.as_deref().unwrap_or("");
    let sh = normalise_for_match(subject);
    if let Some(p) = subject_strong(subject, &sh) {
        strong = true;
        evidence.push(ev("header", format!("Subject: \"{p}\"")));
    }
    if !strong && let Some(p) = says_it_is_automatic(mail, fresh) {
        strong = true;
        evidence.push(ev("phrase", format!("says it is automatic: \"{p}\"")));
    }
    // A list post is a person writing to many: its Precedence header and
    // its "on vacation" are no out-of-office notice.
    if !strong && is_list_post(mail) {
        return generated.then_some((AutoStrength::Generated, evidence));
    }
    let subject_weak = first_phrase(&sh, &AUTO_SUBJECT_WEAK_SET);
    // The body's wording only counts beside a header or subject signal: a
    // message with neither is decided without reading it.
    let body = if strong || weak_headers > 0 || subject_weak.is_some() || generated {
        let fh = normalise_for_match(&fresh.chars().take(8000).collect::<String>());
        first_phrase(&fh, &AUTO_BODY_SET).or_else(|| first_phrase(&fh, &AUTO_BODY_GENERIC_SET))
    } else {
        None
    };

    if strong {
        if let Some(b) = body {
            evidence.push(ev("phrase", format!("out-of-office wording \"{b}\"")));
        }
        return Some((AutoStrength::Strong, evidence));
    }
    // A mere mention ("on vacation") is a notice only when the text opens
    // with it or the subject says so too; a post mentions it anywhere.
    let opening = normalise_for_match(&fresh.chars().take(200).collect::<String>());
    let notice = body.is_some_and(|b| {
        !AUTO_BODY_MENTION.contains(&b) || subject_weak.is_some() || opening.contains(b)
    });
    // Generated mail ("Auto-Submitted: auto-generated") saying it is automated is a
    // notification: beside that header alone, only an absence makes a notice.
    let absence = body.is_some_and(|b| !AUTO_BODY_GENERIC.contains(&b));
    let decided = (notice
        && (weak_headers > 0 || subject_weak.is_some() || (generated && absence)))
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

/// An automatic reply that says so in its first lines, with no header
/// ("This is an automatic reply."); never a list post.
fn says_it_is_automatic(mail: &Mail, fresh: &str) -> Option<&'static str> {
    if is_list_post(mail) {
        return None;
    }
    let head = normalise_for_match(&fresh.chars().take(400).collect::<String>());
    first_phrase(&head, &AUTO_BODY_SELF_SET)
}

/// Mail distributed by a list (or sent as one): the RFC 2369/2919 `List-*`
/// headers, the older `Mailing-List`, `X-Mailing-List`, `X-BeenThere`,
/// `X-ML-Name`, a list's `Sender` (owner-…, …-bounces@) or `Precedence:
/// list`. Auto-replies go to one sender and carry none of these.
fn is_list_post(mail: &Mail) -> bool {
    [
        "list-id",
        "list-post",
        "list-unsubscribe",
        "list-subscribe",
        "list-archive",
        "list-help",
        "mailing-list",
        "x-mailing-list",
        "x-beenthere",
        "x-ml-name",
    ]
    .into_iter()
    .any(|h| mail.has_header(h))
        || mail.header("sender").is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.contains("owner-") || s.contains("-bounces@") || s.contains("-request@")
        })
        || mail
            .header("precedence")
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("list"))
}

/// What the headers alone say of automation.
struct HeaderSignals {
    evidence: Vec<Evidence>,
    /// A header only auto-replies carry.
    strong: bool,
    /// Headers only automated senders set (null return path, bulk
    /// precedence, Exchange inbox-rule loop detection) …
    weak_headers: u32,
    /// … and X-Auto-Response-Suppress, which Outlook also puts on ordinary
    /// mail: it only counts together with an auto-reply subject.
    suppress: bool,
    /// `Auto-Submitted` other than `no` and not `auto-replied`.
    generated: bool,
}

fn header_signals(mail: &Mail) -> HeaderSignals {
    let mut s = HeaderSignals {
        evidence: Vec::new(),
        strong: false,
        weak_headers: 0,
        suppress: mail.has_header("x-auto-response-suppress"),
        generated: false,
    };
    if let Some(v) = mail.header("auto-submitted") {
        let l = v.trim().to_ascii_lowercase();
        if !l.starts_with("no") {
            s.evidence
                .push(ev("header", format!("Auto-Submitted: {v}")));
            if l.contains("replied") {
                s.strong = true;
            } else {
                s.generated = true;
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
                s.strong = true;
                s.evidence.push(ev("header", format!("{h}: {v}")));
            }
        }
    }
    let precedence = mail
        .header("precedence")
        .map(|p| p.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if PRECEDENCE_AUTO_REPLY.contains(&precedence.as_str()) {
        s.strong = true;
        s.evidence
            .push(ev("header", format!("Precedence: {precedence}")));
    } else if matches!(precedence.as_str(), "bulk" | "junk" | "list") {
        s.weak_headers += 1;
    }
    vendor_headers(mail, &mut s);
    s
}

/// The `Precedence:` values an autoresponder sets. These are header values, not rapport's
/// label names, even where one is spelt like the `auto_reply` label.
const PRECEDENCE_AUTO_REPLY: [&str; 2] = ["auto_reply", "auto-reply"];

/// Apple's vacation action, an autoresponder's X-Mailer, and the envelope
/// and loop headers of automated senders.
fn vendor_headers(mail: &Mail, s: &mut HeaderSignals) {
    if let Some(v) = mail.header("x-apple-action")
        && v.to_ascii_lowercase().contains("vacation")
    {
        s.strong = true;
        s.evidence
            .push(ev("header", format!("X-Apple-Action: {v}")));
    }
    if let Some(v) = mail.header("x-mailer") {
        let l = v.to_ascii_lowercase();
        if l.contains("vacation")
            || l.contains("autorespond")
            || l.contains("auto-reply")
            || l.contains("autoreply")
        {
            s.strong = true;
            s.evidence.push(ev("header", format!("X-Mailer: {v}")));
        }
    }
    if mail.has_header("x-ms-exchange-inbox-rules-loop")
        || mail
            .header("x-loop")
            .is_some_and(|v| v.to_ascii_lowercase().contains("vacation"))
    {
        s.weak_headers += 1;
    }
    if mail
        .header("return-path")
        .is_some_and(|r| r.replace(' ', "") == "<>")
    {
        s.weak_headers += 1;
    }
}

/// An auto-reply subject ("Automatic reply:", "AUTO:"), unless it follows
/// a reply prefix: "RE: Automatic reply: …" is a person answering one.
fn subject_strong(subject: &str, normalised: &str) -> Option<&'static str> {
    let hit = first_phrase(normalised, &AUTO_SUBJECT_STRONG_SET).or_else(|| {
        let t = subject.trim_start().to_ascii_lowercase();
        (t.starts_with("auto:") || t.starts_with("[auto")).then_some("AUTO:")
    });
    hit.filter(|p| {
        let rest = normalise_for_match(strip_reply_prefixes(subject));
        let rest = rest.trim_start();
        let leads = rest.starts_with(p) || rest.starts_with("auto:");
        if reply_prefix(subject).is_some() && leads {
            return false;
        }
        // A subject that only mentions it ("Out of office etiquette for freelancers?")
        // is a person's: the marker stands apart ("Out of Office: …", "Automatic
        // reply - …"), or the subject is a short statement.
        let apart = rest.strip_prefix(p).is_some_and(|after| {
            let after = after.trim_start();
            after.is_empty()
                || p.ends_with(':')
                || after.starts_with([':', '-', '|', '(', '[', ','])
        });
        *p == "AUTO:"
            || apart
            || (!subject.contains('?') && subject.split_whitespace().count() <= 8)
    })
}

/// The return date of an out-of-office: subject first, then the text with
/// its hard-wrapped lines joined ("back on\nMonday 12 May" reads whole).
pub(crate) fn auto_reply_until(mail: &Mail, fresh: &str, r: Date) -> Option<(Date, String)> {
    let subject = mail.subject.as_deref().unwrap_or("");
    dates::return_date(subject, r)
        .or_else(|| dates::return_date(&unwrap_lines(fresh), r))
        .map(|f| (f.date, f.text))
}
