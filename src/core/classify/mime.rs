//! The MIME layer: turns hostile raw bytes into a small owned [`Mail`] with the
//! headers, the parts and the body text that the detectors look at.
//!
//! It must never panic and never overflow the stack. mail-parser 0.11 parses
//! multipart nesting iteratively, but it builds *nested messages*
//! (`message/rfc822`, `message/global`, and untyped parts of
//! `multipart/digest`) as a recursive tree, and both its `into_owned` (for
//! base64/quoted-printable encoded enclosed messages) and the tree's `Drop`
//! recurse once per level: a few thousand nested levels overflow a 2 MiB
//! thread stack. Before parsing we therefore rewrite those media types
//! in a copy of the input to a same-length private name (`messagx/rfc822`,
//! `multipart/digesx`), so mail-parser hands enclosed messages to us as
//! opaque leaf parts. The classifier only ever looks at the top-level message;
//! where it needs an enclosed message (the original of a bounce) it reads
//! just its header block with a header-only parse, which cannot nest.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

/// Largest input looked at; longer input is cut (classification depends on the
/// headers and the first parts, never on megabytes of attachments).
pub(crate) const MAX_INPUT: usize = 16 * 1024 * 1024;
/// Most bytes kept of one calendar, report or enclosed-message part.
const MAX_KEPT_PART: usize = 2 * 1024 * 1024;
/// Most characters of text kept for phrase analysis.
pub(crate) const MAX_TEXT: usize = 256 * 1024;

/// What the classifier needs of one MIME part.
#[derive(Debug, Clone, Default)]
pub(crate) struct Part {
    /// Lowercased media type, e.g. `text`, `message` (`messagx` mapped back).
    pub ctype: String,
    /// Lowercased subtype, e.g. `calendar`, `delivery-status`.
    pub subtype: String,
    /// Content-Type parameters, names lowercased.
    pub params: Vec<(String, String)>,
    /// File name from Content-Disposition or Content-Type `name`.
    pub filename: Option<String>,
    /// Decoded content for the kinds of part we read (text, calendar, reports,
    /// enclosed messages); empty for everything else.
    pub content: PartContent,
}

#[derive(Debug, Clone, Default)]
pub(crate) enum PartContent {
    #[default]
    Skipped,
    Text(String),
    Html(String),
    Bytes(Vec<u8>),
}

impl Part {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The content as text (bytes decoded as UTF-8, lossily).
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match &self.content {
            PartContent::Skipped => None,
            PartContent::Text(t) | PartContent::Html(t) => Some(Cow::Borrowed(t.as_str())),
            PartContent::Bytes(b) => Some(String::from_utf8_lossy(b)),
        }
    }
}

/// An address with its display name.
#[derive(Debug, Clone, Default)]
pub(crate) struct MailAddr {
    pub address: String,
    pub name: Option<String>,
}

/// The parsed top-level message.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mail {
    /// All top-level headers: lowercased name, unfolded raw value.
    pub headers: Vec<(String, String)>,
    pub subject: Option<String>,
    pub from: Option<MailAddr>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub date: Option<jiff::Timestamp>,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// Root Content-Type: lowercased type and subtype, parameters.
    pub root_type: (String, String),
    pub root_params: Vec<(String, String)>,
    pub parts: Vec<Part>,
    /// Text of the body parts mail-parser chose for display, HTML converted.
    pub body_text: String,
    /// The HTML alternative as written; see [`Mail::html_text`].
    pub html_sources: Vec<String>,
    /// [`Mail::html_sources`] converted, on first use: most messages are
    /// decided before anything reads it.
    pub html_rendered: std::sync::OnceLock<String>,
    /// True when mail-parser found no header at all.
    pub headerless: bool,
    /// To, Cc and Reply-To with their display names, as attribution reads them
    /// (`core::attribution::parties_of`): kept from this one parse, so that the
    /// header block is not parsed a second time for them.
    pub named: Named,
}

/// The addresses of To, Cc, Reply-To and Sender with their names (address trimmed
/// and lowercased, name trimmed), in order, groups flattened.
#[derive(Debug, Clone, Default)]
pub(crate) struct Named {
    pub to: Vec<MailAddr>,
    pub cc: Vec<MailAddr>,
    pub reply_to: Vec<MailAddr>,
    pub sender: Vec<MailAddr>,
}

impl Mail {
    /// Text of the HTML alternative, converted (empty if none).
    pub fn html_text(&self) -> &str {
        self.html_rendered.get_or_init(|| {
            let mut html = String::new();
            for h in &self.html_sources {
                push_text(&mut html, &super::text::html_to_text(h));
                if html.len() > MAX_TEXT {
                    break;
                }
            }
            truncate_chars(&html, MAX_TEXT)
        })
    }

    /// First value of a header (name lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values of a header (name lowercase).
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n == name)
    }

    pub fn root_param(&self, name: &str) -> Option<&str> {
        self.root_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn sender_address(&self) -> &str {
        self.from.as_ref().map_or("", |f| f.address.as_str())
    }
}

/// Rewrites, in a copy when needed, every media type that would make
/// mail-parser build a nested message: `message/rfc822`, `message/global`
/// (type token `message` becomes `messagx`) and `multipart/digest` (subtype
/// becomes `digesx`). Whitespace and comments between the tokens and the slash
/// are tolerated. Same length, so offsets are unchanged.
pub(crate) fn neutralise_nesting(raw: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < raw.len() {
        // Both words start with an `m`: jump to the next one (memchr reads a word at a
        // time; this scan ran over every byte of every message and was 6 % of classify).
        match memchr::memchr2(b'm', b'M', raw.get(i..).unwrap_or_default()) {
            Some(skip) => i += skip,
            None => break,
        }
        let rest = raw.get(i..).unwrap_or_default();
        if starts_with_ci(rest, b"message") {
            let after = skip_ws_comments(raw, i + 7);
            if raw.get(after) == Some(&b'/') {
                let sub = skip_ws_comments(raw, after + 1);
                let sub_rest = raw.get(sub..).unwrap_or_default();
                if starts_with_ci(sub_rest, b"rfc822") || starts_with_ci(sub_rest, b"global") {
                    let buf = out.get_or_insert_with(|| raw.to_vec());
                    if let Some(b) = buf.get_mut(i + 6) {
                        *b = b'x';
                    }
                }
            }
            i += 7;
            continue;
        }
        if starts_with_ci(rest, b"multipart") {
            let after = skip_ws_comments(raw, i + 9);
            if raw.get(after) == Some(&b'/') {
                let sub = skip_ws_comments(raw, after + 1);
                let sub_rest = raw.get(sub..).unwrap_or_default();
                if starts_with_ci(sub_rest, b"digest") {
                    let buf = out.get_or_insert_with(|| raw.to_vec());
                    if let Some(b) = buf.get_mut(sub + 5) {
                        *b = b'x';
                    }
                }
            }
            i += 9;
            continue;
        }
        i += 1;
    }
    match out {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(raw),
    }
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .iter()
            .zip(needle)
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// Skips whitespace (including folding line breaks) and `(comments)`,
/// bounded so that hostile input cannot make this quadratic.
fn skip_ws_comments(raw: &[u8], mut i: usize) -> usize {
    let limit = i.saturating_add(256);
    let mut depth = 0usize;
    while i < raw.len() && i < limit {
        match raw.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            Some(b'(') => {
                depth += 1;
                i += 1;
            }
            Some(b')') if depth > 0 => {
                depth -= 1;
                i += 1;
            }
            Some(_) if depth > 0 => i += 1,
            _ => break,
        }
    }
    i
}

/// Parses the raw message. Never panics (mail-parser is also shielded with
/// `catch_unwind`, as it has `debug_assert!`s on malformed input).
pub(crate) fn parse_mail(raw: &[u8]) -> Mail {
    let raw = raw.get(..MAX_INPUT).unwrap_or(raw);
    let safe = neutralise_nesting(raw);
    let parser = MessageParser::default();
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        parser.parse(safe.as_ref()).map(|m| {
            let mail = convert(&m);
            drop_flat(m);
            mail
        })
    }));
    match parsed {
        Ok(Some(mail)) => mail,
        _ => Mail {
            headerless: true,
            body_text: truncate_chars(&String::from_utf8_lossy(raw), MAX_TEXT),
            ..Mail::default()
        },
    }
}

/// Drops a parsed message without recursion (nested messages, should any
/// exist despite the neutralisation, are taken apart one level at a time).
fn drop_flat(msg: mail_parser::Message<'_>) {
    let mut stack = vec![msg];
    while let Some(mut m) = stack.pop() {
        for part in &mut m.parts {
            if let PartType::Message(_) = part.body {
                let body = std::mem::take(&mut part.body);
                if let PartType::Message(inner) = body {
                    stack.push(inner);
                }
            }
        }
        drop(m);
    }
}

fn convert(m: &mail_parser::Message<'_>) -> Mail {
    let mut mail = Mail::default();
    for (name, value) in m.headers_raw() {
        mail.headers
            .push((name.trim().to_ascii_lowercase(), unfold(value)));
    }
    mail.headerless = mail.headers.is_empty();
    mail.subject = m.subject().map(collapse_ws);
    if let Some(addr) = m.from().and_then(|a| a.first()) {
        mail.from = Some(MailAddr {
            address: addr
                .address()
                .map(|a| a.trim().to_ascii_lowercase())
                .unwrap_or_default(),
            name: addr.name().map(collapse_ws).filter(|n| !n.is_empty()),
        });
    }
    mail.to = addresses(m.to());
    mail.cc = addresses(m.cc());
    mail.named = Named {
        to: named(m.to()),
        cc: named(m.cc()),
        reply_to: named(m.reply_to()),
        sender: named(m.sender()),
    };
    mail.date = m.date().and_then(mail_date_to_timestamp);
    mail.message_id = m.message_id().map(clean_id).filter(|s| !s.is_empty());
    mail.in_reply_to = id_list(m.in_reply_to());
    mail.references = id_list(m.references());

    let root = m.root_part();
    if let Some(ct) = root.content_type() {
        mail.root_type = (
            map_type(&ct.ctype().to_ascii_lowercase()),
            map_subtype(&ct.subtype().unwrap_or_default().to_ascii_lowercase()),
        );
        mail.root_params = params_of(ct);
    }

    for part in &m.parts {
        mail.parts.push(convert_part(part));
    }

    mail.body_text = body_text(m);
    mail.html_sources = html_sources(m);
    mail
}

/// The text a reader sees: the parts mail-parser selected for display, else
/// the HTML ones, else the first text part of a broken structure.
fn body_text(m: &mail_parser::Message<'_>) -> String {
    let mut text = String::new();
    for id in &m.text_body {
        if let Some(p) = m.parts.get(*id as usize) {
            match &p.body {
                PartType::Text(t) => push_text(&mut text, t),
                PartType::Html(h) => push_text(&mut text, &super::text::html_to_text(h)),
                _ => {}
            }
        }
        if text.len() > MAX_TEXT {
            break;
        }
    }
    if text.trim().is_empty() {
        for id in &m.html_body {
            if let Some(PartType::Html(h)) = m.parts.get(*id as usize).map(|p| &p.body) {
                push_text(&mut text, &super::text::html_to_text(h));
            }
        }
    }
    if text.trim().is_empty() {
        // Broken structure (e.g. boundary lines that do not match the
        // parameter): mail-parser selected no body; take the first text.
        if let Some(t) = m.parts.iter().find_map(|p| match &p.body {
            PartType::Text(t) if !t.trim().is_empty() => Some(t.to_string()),
            PartType::Html(h) if !h.trim().is_empty() => Some(super::text::html_to_text(h)),
            _ => None,
        }) {
            text = t;
        }
    }
    truncate_chars(&text, MAX_TEXT)
}

/// The HTML alternative as written (bulk footers often live only there),
/// converted to text only when read ([`Mail::html_text`]).
fn html_sources(m: &mail_parser::Message<'_>) -> Vec<String> {
    let mut html = Vec::new();
    let mut kept = 0;
    let mut html_ids: Vec<usize> = m.html_body.iter().map(|i| *i as usize).collect();
    if html_ids.is_empty() {
        // An HTML alternative mail-parser did not select (broken siblings).
        html_ids = m
            .parts
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.content_type().is_some_and(|c| {
                    c.ctype().eq_ignore_ascii_case("text")
                        && c.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
                }) && p.attachment_name().is_none()
            })
            .map(|(i, _)| i)
            .collect();
    }
    for id in html_ids {
        if let Some(PartType::Html(h) | PartType::Text(h)) = m.parts.get(id).map(|p| &p.body) {
            kept += h.len();
            html.push(h.to_string());
        }
        // Bounded like `html_to_text`'s own input (2 MiB): the converted
        // text is cut at MAX_TEXT anyway.
        if kept > 2 * 1024 * 1024 {
            break;
        }
    }
    html
}

fn push_text(out: &mut String, t: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(t);
}

fn map_type(t: &str) -> String {
    if t == "messagx" {
        "message".to_string()
    } else {
        t.to_string()
    }
}

fn map_subtype(t: &str) -> String {
    if t == "digesx" {
        "digest".to_string()
    } else {
        t.to_string()
    }
}

fn params_of(ct: &mail_parser::ContentType<'_>) -> Vec<(String, String)> {
    ct.attributes()
        .map(|attrs| {
            attrs
                .iter()
                .map(|a| (a.name.to_ascii_lowercase(), a.value.trim().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn convert_part(part: &mail_parser::MessagePart<'_>) -> Part {
    let mut out = Part::default();
    if let Some(ct) = part.content_type() {
        out.ctype = map_type(&ct.ctype().to_ascii_lowercase());
        out.subtype = map_subtype(&ct.subtype().unwrap_or_default().to_ascii_lowercase());
        out.params = params_of(ct);
    } else {
        out.ctype = "text".into();
        out.subtype = "plain".into();
    }
    out.filename = part
        .attachment_name()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let interesting = out.ctype == "text"
        || out.ctype == "message"
        || out.subtype.contains("calendar")
        || out.subtype.contains("ics")
        || out
            .filename
            .as_deref()
            .is_some_and(|f| f.to_ascii_lowercase().ends_with(".ics"));
    out.content = match &part.body {
        PartType::Text(t) => PartContent::Text(truncate_chars(t, MAX_KEPT_PART)),
        PartType::Html(h) => PartContent::Html(truncate_chars(h, MAX_KEPT_PART)),
        PartType::Binary(b) | PartType::InlineBinary(b) => {
            if interesting || looks_like_vcalendar(b) {
                PartContent::Bytes(b.get(..MAX_KEPT_PART).unwrap_or(b).to_vec())
            } else {
                PartContent::Skipped
            }
        }
        PartType::Message(_) | PartType::Multipart(_) => PartContent::Skipped,
    };
    out
}

/// True if the bytes begin (after a BOM and whitespace) with `BEGIN:VCALENDAR`.
pub(crate) fn looks_like_vcalendar(b: &[u8]) -> bool {
    let b = b.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    starts_with_ci(b.get(start..).unwrap_or_default(), b"BEGIN:VCALENDAR")
}

fn addresses(a: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(a) = a {
        for addr in a.iter() {
            if let Some(s) = addr.address() {
                let s = s.trim().to_ascii_lowercase();
                if !s.is_empty() && !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Every address of a header with its name, bounded (attribution keeps 32 at most).
fn named(a: Option<&mail_parser::Address<'_>>) -> Vec<MailAddr> {
    let Some(a) = a else { return Vec::new() };
    a.iter()
        .filter_map(|x| {
            Some(MailAddr {
                address: x.address.as_deref()?.trim().to_lowercase(),
                name: x.name.as_deref().map(|n| n.trim().to_string()),
            })
        })
        .take(256)
        .collect()
}

fn id_list(v: &HeaderValue<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        for piece in s.split_whitespace() {
            let id = clean_id(piece);
            if (id.contains('@') || (!id.is_empty() && id.len() > 3)) && !out.contains(&id) {
                out.push(id);
            }
        }
    };
    match v {
        HeaderValue::Text(t) => push(t),
        HeaderValue::TextList(list) => {
            for t in list {
                push(t);
            }
        }
        _ => {}
    }
    out
}

/// A Message-ID without angle brackets and whitespace.
pub(crate) fn clean_id(s: &str) -> String {
    s.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

fn mail_date_to_timestamp(d: &mail_parser::DateTime) -> Option<jiff::Timestamp> {
    if !d.is_valid() {
        return None;
    }
    let dt = jiff::civil::DateTime::new(
        i16::try_from(d.year).ok()?,
        i8::try_from(d.month).ok()?,
        i8::try_from(d.day).ok()?,
        i8::try_from(d.hour).ok()?,
        i8::try_from(d.minute).ok()?,
        i8::try_from(d.second).ok()?,
        0,
    )
    .ok()?;
    let secs = i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60;
    let secs = if d.tz_before_gmt { -secs } else { secs };
    let offset = jiff::tz::Offset::from_seconds(secs).ok()?;
    offset.to_timestamp(dt).ok()
}

/// Unfolds a raw header value: line breaks removed, whitespace runs kept as
/// one space, trimmed.
pub(crate) fn unfold(v: &str) -> String {
    collapse_ws(v)
}

/// Collapses every whitespace run to one space and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default().to_string()
}

/// Reads the header block of an enclosed message (bytes of a
/// `message/rfc822` or `text/rfc822-headers` part) and returns its Message-ID.
/// Uses a header-only parse, which never builds nested messages.
pub(crate) fn enclosed_message_id(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.get(..MAX_KEPT_PART).unwrap_or(bytes);
    let parser = MessageParser::default();
    let found = catch_unwind(AssertUnwindSafe(|| {
        parser
            .parse_headers(bytes)
            .and_then(|m| m.message_id().map(clean_id))
    }));
    found.ok().flatten().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
