//! Templates → email text, and email text → the exact message bytes that get approved.
//!
//! A template is a Handlebars file: header lines (`Subject:` at least), a blank line,
//! the body. Rendering is strict: a variable that does not exist is an error, never an
//! email with a hole in it. Defaults are built into the binary (from `templates/`) and a
//! file of the same name in the user's template directory overrides one.
//!
//! [`compose`] turns a rendered draft into RFC 5322 bytes with the Message-ID fixed; the
//! `Date` header is left out on purpose and stamped at the moment of sending (see
//! [`stamp_date`]), so an email approved on Friday and sent on Monday is not dated Friday.
//!
//! Pure: no I/O (the caller reads override files), no clock.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::BTreeMap;

use handlebars::Handlebars;
use serde::Serialize;

mod headers;

/// The templates that ship with rapport, built into the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "meeting-request",
        include_str!("../../templates/meeting-request.hbs"),
    ),
    ("nudge", include_str!("../../templates/nudge.hbs")),
    ("thank-you", include_str!("../../templates/thank-you.hbs")),
    ("check-in", include_str!("../../templates/check-in.hbs")),
    (
        "cold-request",
        include_str!("../../templates/cold-request.hbs"),
    ),
    (
        "later-follow-up",
        include_str!("../../templates/later-follow-up.hbs"),
    ),
    ("intro-ask", include_str!("../../templates/intro-ask.hbs")),
    ("intro", include_str!("../../templates/intro.hbs")),
    (
        "intro-declined",
        include_str!("../../templates/intro-declined.hbs"),
    ),
    ("share", include_str!("../../templates/share.hbs")),
];

/// The meeting request to someone you have never exchanged a word with.
pub const COLD_REQUEST: &str = "cold-request";

/// The check-in that answers their "later": it recalls when they said to come back.
pub const LATER_FOLLOW_UP: &str = "later-follow-up";

/// What a template can use. Every field always exists (empty when unknown), so
/// `{{#if contact.company}}` is how a template handles a missing value.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateData {
    pub contact: ContactData,
    pub me: MeData,
    pub request: RequestData,
    pub meeting: MeetingData,
    pub later: LaterData,
    /// For the emails of an introduction: the other person and the user's reason.
    pub intro: IntroData,
    /// For a share: what is shared and the user's line on why.
    pub share: ShareData,
}

/// What a share's email knows (empty for every other email).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ShareData {
    /// The link shared ("" for a note).
    pub url: String,
    /// Its title, as the user gave it ("" when none).
    pub title: String,
    /// The note shared instead of a link ("" for a link).
    pub note: String,
    /// The user's line on why it made them think of this person.
    pub why: String,
}

/// What an introduction's emails know (empty for every other email).
#[derive(Debug, Clone, Serialize)]
pub struct IntroData {
    /// The other person of the introduction: B in the emails to A, A in those to B.
    pub other: ContactData,
    /// The user's one line on why the two should meet (`rapport intro --why`).
    pub why: String,
    /// This is the one reminder, in the thread of the first ask.
    pub reminder: bool,
}

impl Default for IntroData {
    fn default() -> Self {
        IntroData {
            other: ContactData {
                name: String::new(),
                first_name: String::new(),
                email: String::new(),
                company: String::new(),
                role: String::new(),
                found_via: String::new(),
            },
            why: String::new(),
            reminder: false,
        }
    }
}

/// What they said when they answered "later".
#[derive(Debug, Clone, Serialize, Default)]
pub struct LaterData {
    /// When they asked to hear from us again, in words: "in January", "around 12 March".
    pub when: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactData {
    pub name: String,
    pub first_name: String,
    pub email: String,
    pub company: String,
    pub role: String,
    /// Where you found them, for a first contact: "LinkedIn" when their profile link is
    /// there, else empty.
    pub found_via: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeData {
    pub name: String,
    pub first_name: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestData {
    /// Meeting length asked for, e.g. 25.
    pub minutes: u32,
    /// The window asked about, e.g. "2-3".
    pub weeks: String,
    /// Subject of the original request (for nudges in the same thread).
    pub subject: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct MeetingData {
    /// The day of the meeting in the user's words, e.g. "Tuesday" or "2026-12-01".
    pub day: String,
    /// Whether a meeting happened (thank-you) — false otherwise.
    pub held: bool,
}

/// A rendered template: what the person will read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// A template problem, with the template's name and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template `{name}`{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
pub struct TemplateError {
    pub name: String,
    pub line: Option<usize>,
    pub message: String,
}

/// The set of templates in force: built-ins overlaid by the user's files.
#[derive(Debug, Clone)]
pub struct Templates {
    sources: BTreeMap<String, String>,
}

impl Templates {
    /// The built-in templates, overlaid by `(name, text)` pairs read from the user's
    /// template directory.
    pub fn new(overrides: Vec<(String, String)>) -> Templates {
        let mut sources: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        for (name, text) in overrides {
            sources.insert(name, text);
        }
        Templates { sources }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(String::as_str)
    }

    /// Renders template `name` with `data`, strictly.
    pub fn render(&self, name: &str, data: &TemplateData) -> Result<Rendered, TemplateError> {
        let source = self.sources.get(name).ok_or_else(|| TemplateError {
            name: name.to_string(),
            line: None,
            message: format!(
                "no such template; known: {}",
                self.names().collect::<Vec<_>>().join(", ")
            ),
        })?;
        render_source(name, source, data)
    }
}

/// Renders one template text strictly and splits it into subject and body.
pub fn render_source(
    name: &str,
    source: &str,
    data: &TemplateData,
) -> Result<Rendered, TemplateError> {
    let err = |line: Option<usize>, message: String| TemplateError {
        name: name.to_string(),
        line,
        message,
    };
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_template_string(name, source).map_err(|e| {
        err(
            e.pos().map(|(line, _)| line),
            e.reason()
                .to_string()
                .lines()
                .next()
                .unwrap_or("")
                .to_string(),
        )
    })?;
    let text = hb.render(name, data).map_err(|e| {
        let message = match e.reason() {
            handlebars::RenderErrorReason::MissingVariable(Some(var)) => {
                unknown_variable(var, data)
            }
            other => {
                let reason = other.to_string();
                if reason.contains("strict mode") || reason.contains("not found") {
                    format!("{reason}; the variables a template may use are listed in the README")
                } else {
                    reason
                }
            }
        };
        err(e.line_no, message)
    })?;
    split_headers(name, &text)
}

/// Every variable a template may use, as dotted paths (`contact.first_name`).
pub fn variable_names(data: &TemplateData) -> Vec<String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&path, v, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(data) {
        walk("", &v, &mut out);
    }
    out
}

/// "unknown variable `contact.nickname`; did you mean `contact.name`?" — the closest
/// known name by edit distance, and the whole list.
fn unknown_variable(var: &str, data: &TemplateData) -> String {
    let known = variable_names(data);
    let closest = known
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(var, k), k))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = closest.map_or_else(String::new, |(_, k)| format!("; did you mean `{k}`?"));
    format!(
        "unknown variable `{var}`{hint} (known: {})",
        known.join(", ")
    )
}

/// Reads back a draft the user edited: `Subject:` line, blank line, body.
pub fn parse_edited(text: &str) -> Result<Rendered, TemplateError> {
    split_headers("edited draft", text)
}

fn split_headers(name: &str, text: &str) -> Result<Rendered, TemplateError> {
    let text = text.replace("\r\n", "\n");
    let mut subject = None;
    let mut lines = text.lines().enumerate();
    let mut body_start = None;
    for (i, line) in lines.by_ref() {
        if line.trim().is_empty() {
            body_start = Some(i + 1);
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(TemplateError {
                name: name.to_string(),
                line: Some(i + 1),
                message: format!(
                    "{line:?} is not a header line; a template starts with `Subject: ...`, then a blank line, then the body"
                ),
            });
        };
        if key.trim().eq_ignore_ascii_case("subject") {
            subject = Some(value.trim().to_string());
        } else {
            return Err(TemplateError {
                name: name.to_string(),
                line: Some(i + 1),
                message: format!(
                    "unknown header `{}`; templates set only `Subject:` (rapport sets From, To and threading)",
                    key.trim()
                ),
            });
        }
    }
    let subject = subject.filter(|s| !s.is_empty()).ok_or(TemplateError {
        name: name.to_string(),
        line: Some(1),
        message: "no `Subject:` line (or it renders empty); start the template with `Subject: ...` and a blank line".into(),
    })?;
    let Some(start) = body_start else {
        return Err(TemplateError {
            name: name.to_string(),
            line: None,
            message: "no blank line after the headers, so there is no body".into(),
        });
    };
    let body: Vec<&str> = text.lines().skip(start).collect();
    let body = body.join("\n").trim_matches('\n').to_string() + "\n";
    if body.trim().is_empty() {
        return Err(TemplateError {
            name: name.to_string(),
            line: None,
            message: "the body renders empty".into(),
        });
    }
    Ok(Rendered { subject, body })
}

/// Sample data for `rapport templates check`.
pub fn sample_data() -> TemplateData {
    TemplateData {
        contact: ContactData {
            name: "Jessica Park".into(),
            first_name: "Jessica".into(),
            email: "jessica@example.com".into(),
            company: "Example Corp".into(),
            role: "Product Manager".into(),
            found_via: "LinkedIn".into(),
        },
        me: MeData {
            name: "Ada Lovelace".into(),
            first_name: "Ada".into(),
            email: "ada@example.org".into(),
        },
        request: RequestData {
            minutes: 25,
            weeks: "2-3".into(),
            subject: "25 minutes in the next few weeks?".into(),
        },
        meeting: MeetingData {
            day: "Tuesday".into(),
            held: true,
        },
        later: LaterData {
            when: "in January".into(),
        },
        intro: IntroData {
            other: ContactData {
                name: "Omar Haddad".into(),
                first_name: "Omar".into(),
                email: "omar@example.net".into(),
                company: "Northwind".into(),
                role: "Data Engineer".into(),
                found_via: String::new(),
            },
            why: "you both work on search ranking".into(),
            reminder: false,
        },
        share: ShareData {
            url: "https://example.org/ranking-talk".into(),
            title: "A talk on search ranking".into(),
            note: String::new(),
            why: "it reminded me of what you said about your ranking work".into(),
        },
    }
}

/// The date they asked to hear from us again, in words: "in January" for the first of a
/// month (how "after the holidays" or "in the new year" is read), else "around 12 March".
pub fn later_when(until: jiff::civil::Date) -> String {
    if until.day() == 1 {
        format!("in {}", until.strftime("%B"))
    } else {
        format!("around {}", until.strftime("%-d %B"))
    }
}

/// The first word of a name, for greetings ("Jessica" from "Jessica Park").
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("").to_string()
}

/// Everything needed to turn a rendered draft into message bytes.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    pub from_name: &'a str,
    pub from_addr: &'a str,
    pub to_name: &'a str,
    pub to_addr: &'a str,
    /// One more visible recipient, `(name, address)`: an introduction's second person,
    /// in `Cc` (never `Bcc`). `None` for every other email.
    pub cc: Option<(&'a str, &'a str)>,
    /// Without angle brackets.
    pub message_id: &'a str,
    /// Without angle brackets; empty when the email starts a thread.
    pub in_reply_to: &'a str,
    /// Without angle brackets.
    pub references: &'a [String],
}

/// Why a message could not be composed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error(
        "{field} contains a line break or control character ({value:?}); remove it — rapport never writes one into a header"
    )]
    ControlCharacter { field: &'static str, value: String },
    #[error("{field} {value:?} is not a usable email address")]
    BadAddress { field: &'static str, value: String },
    #[error("the message could not be built: {0}")]
    Build(String),
}

/// Builds the RFC 5322 message (CRLF line ends, no `Date` header) for `rendered`:
/// `MIME-Version: 1.0`, every header line folded within 78 octets where it can be and
/// always within 998 (long names and subjects become RFC 2047 encoded-words), body lines
/// within limits (quoted-printable where needed). Refuses control characters in names,
/// addresses, ids and the subject.
pub fn compose(env: &Envelope<'_>, rendered: &Rendered) -> Result<Vec<u8>, ComposeError> {
    use lettre::message::header::{ContentType, Date, MIME_VERSION_1_0};
    use lettre::message::{Mailbox, Message};

    check_fields(env, rendered)?;
    let address = |field: &'static str, addr: &str| -> Result<lettre::Address, ComposeError> {
        addr.parse().map_err(|_| ComposeError::BadAddress {
            field,
            value: addr.to_string(),
        })
    };
    let from = address("From", env.from_addr)?;
    let to = address("To", env.to_addr)?;
    let named = |name: &str, addr: lettre::Address| {
        Mailbox::new(
            (!name.trim().is_empty()).then(|| name.trim().to_string()),
            addr,
        )
    };
    let cc = match env.cc {
        Some((name, addr)) => Some((name, address("Cc", addr)?)),
        None => None,
    };
    let mut rcpt = vec![to.clone()];
    rcpt.extend(cc.iter().map(|(_, a)| a.clone()));
    let envelope = lettre::address::Envelope::new(Some(from.clone()), rcpt)
        .map_err(|e| ComposeError::Build(e.to_string()))?;
    let mut builder = Message::builder()
        .envelope(envelope)
        .from(named(env.from_name, from.clone()))
        .raw_header(headers::mailbox("From", env.from_name.trim(), &from))
        .raw_header(headers::mailbox("To", env.to_name.trim(), &to))
        .raw_header(headers::text("Subject", &rendered.subject));
    if let Some((name, addr)) = &cc {
        builder = builder.raw_header(headers::mailbox("Cc", name.trim(), addr));
    }
    builder = builder
        .message_id(Some(format!("<{}>", env.message_id)))
        .date(std::time::SystemTime::UNIX_EPOCH)
        .header(MIME_VERSION_1_0)
        .header(ContentType::TEXT_PLAIN);
    if !env.in_reply_to.is_empty() {
        builder = builder.in_reply_to(format!("<{}>", env.in_reply_to));
    }
    if !env.references.is_empty() {
        let refs: Vec<String> = env.references.iter().map(|r| format!("<{r}>")).collect();
        builder = builder.references(refs.join(" "));
    }
    let body = rendered.body.replace("\r\n", "\n").replace('\n', "\r\n");
    let mut message = builder
        .body(body)
        .map_err(|e| ComposeError::Build(e.to_string()))?;
    message.headers_mut().remove::<Date>();
    Ok(message.formatted())
}

fn check_fields(env: &Envelope<'_>, rendered: &Rendered) -> Result<(), ComposeError> {
    let check = |field: &'static str, value: &str| {
        if value.chars().any(char::is_control) {
            Err(ComposeError::ControlCharacter {
                field,
                value: value.to_string(),
            })
        } else {
            Ok(())
        }
    };
    check("From name", env.from_name)?;
    check("From address", env.from_addr)?;
    check("To name", env.to_name)?;
    check("To address", env.to_addr)?;
    if let Some((name, addr)) = env.cc {
        check("Cc name", name)?;
        check("Cc address", addr)?;
    }
    check("Subject", &rendered.subject)?;
    check("Message-ID", env.message_id)?;
    check("In-Reply-To", env.in_reply_to)?;
    for r in env.references {
        check("References", r)?;
    }
    Ok(())
}

/// Prepends a `Date:` header for the moment of sending to approved message bytes.
pub fn stamp_date(message: &[u8], now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> Vec<u8> {
    let zoned = now.to_zoned_datetime(tz.clone());
    let date = jiff::fmt::rfc2822::to_string(&zoned).unwrap_or_else(|_| {
        jiff::fmt::rfc2822::to_string(&now.to_zoned_datetime(jiff::tz::TimeZone::UTC))
            .unwrap_or_default()
    });
    let mut out = Vec::with_capacity(message.len() + 40);
    out.extend_from_slice(b"Date: ");
    out.extend_from_slice(date.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(message);
    out
}

/// The subject a reply in a thread gets: `Re: ` once, never `Re: Re: `.
pub fn reply_subject(subject: &str) -> String {
    let trimmed = subject.trim();
    if trimmed
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("re:"))
    {
        trimmed.to_string()
    } else {
        format!("Re: {trimmed}")
    }
}

#[cfg(test)]
mod tests;
