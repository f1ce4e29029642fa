//! Header values that always fit the line limits of RFC 5322 (998 octets, 78 where
//! folding can manage), for the two headers whose text comes from people: display
//! names and the subject.
//!
//! lettre folds at spaces and RFC 2047-encodes non-ASCII words, but leaves a long run of
//! ASCII without spaces (a 1,106-character name) on one line; such values are encoded
//! here whole as encoded-words, which can be split anywhere. The encoding itself is
//! email-encoding's (lettre's own encoder); this module only decides when and folds.
//! Pure; it must never let a CR or LF through (the caller refuses control characters).

use email_encoding::headers::rfc2047;
use email_encoding::headers::writer::EmailWriter;
use lettre::message::header::{HeaderName, HeaderValue};

/// The longest run without whitespace left to lettre's folding: with the header name
/// and a space, a line holding it stays within 78 octets.
const LONGEST_FOLDABLE_WORD: usize = 60;

/// Whether folding at whitespace cannot keep `value` within the line limit.
fn needs_encoded_words(value: &str) -> bool {
    value
        .split_whitespace()
        .any(|w| w.len() > LONGEST_FOLDABLE_WORD)
}

/// `value` as RFC 2047 encoded-words, folded, for a header named `name`.
fn encoded_words(name: &str, value: &str) -> String {
    let mut out = String::new();
    {
        let mut w = EmailWriter::new(&mut out, name.len() + ": ".len(), 0, false);
        // Writing into a String cannot fail.
        let _ = rfc2047::encode(value, &mut w);
    }
    out
}

/// A free-text header (the subject).
pub fn text(name: &'static str, value: &str) -> HeaderValue {
    let header = HeaderName::new_from_ascii_str(name);
    if needs_encoded_words(value) {
        HeaderValue::dangerous_new_pre_encoded(
            header,
            value.to_string(),
            encoded_words(name, value),
        )
    } else {
        HeaderValue::new(header, value.to_string())
    }
}

/// The most UTF-8 bytes one encoded-word carries on a folded line (RFC 2047 limits an
/// encoded-word to 75 characters; with the indent it stays within 78).
const ENCODED_WORD_BYTES: usize = 45;

/// An address header (`From`, `To`) with an optional display name, always folded within
/// 78 octets:
/// - an ASCII name is a quoted-string folded at its spaces (a space inside a quoted
///   string survives unfolding, so every parser reads the same name);
/// - a short non-ASCII name is one encoded-word, on a line of its own if need be;
/// - anything longer is a run of encoded-words split at character boundaries, which RFC
///   2047 readers join without spaces (CPython's `email` inserts one at each join, a
///   known deviation; nothing else can carry such a name within the limits).
pub fn mailbox(name: &'static str, display: &str, addr: &lettre::Address) -> HeaderValue {
    let words: Vec<&str> = display.split_whitespace().collect();
    let mut tokens: Vec<String> = Vec::new();
    if words.is_empty() {
    } else if display.is_ascii() && words.iter().all(|w| w.len() <= LONGEST_FOLDABLE_WORD) {
        let last = words.len() - 1;
        for (i, w) in words.iter().enumerate() {
            let escaped = w.replace('\\', "\\\\").replace('"', "\\\"");
            let open = if i == 0 { "\"" } else { "" };
            let close = if i == last { "\"" } else { "" };
            tokens.push(format!("{open}{escaped}{close}"));
        }
    } else {
        let joined = words.join(" ");
        let mut rest = joined.as_str();
        while !rest.is_empty() {
            let mut cut = rest.len().min(ENCODED_WORD_BYTES);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let (chunk, tail) = rest.split_at(cut);
            tokens.push(encoded_words("", chunk));
            rest = tail;
        }
    }
    tokens.push(format!("<{addr}>"));
    let mut encoded = String::new();
    let mut line = name.len() + ": ".len();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            if line + 1 + t.len() > 78 {
                encoded.push_str("\r\n");
                line = 0;
            }
            encoded.push(' ');
            line += 1;
        }
        encoded.push_str(t);
        line += t.len();
    }
    let raw = lettre::message::Mailbox::new(
        (!words.is_empty()).then(|| display.to_string()),
        addr.clone(),
    )
    .to_string();
    HeaderValue::dangerous_new_pre_encoded(HeaderName::new_from_ascii_str(name), raw, encoded)
}
