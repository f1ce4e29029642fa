//! Content lines of the text/directory family: iCalendar (RFC 5545, and
//! vCalendar 1.0) and vCard (2.1, 3.0, 4.0) share one line syntax, read
//! here once for both `core::classify`'s calendar reader and the vCard
//! importer.
//!
//! What it does: line endings made LF ([`normalise_newlines`], the one
//! normaliser the readers share), unfolding (a line starting with a space or
//! tab continues the one before; a quoted-printable value ending in a soft
//! break `=` goes on on the next line), the `[group.]NAME;PARAM=value:value`
//! split with quoted parameter values, quoted-printable decoding and TEXT
//! unescaping.
//!
//! Why hand-written: the crates for either format parse whole objects with
//! their own strictness (and none reads both); mail and address books need a
//! reader that never gives up on a file because of one bad line.
//!
//! It must never do I/O, never panic on any text (no byte slicing of input
//! except at ASCII positions it found itself), and never decide what a
//! property means: that is the callers' business.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::borrow::Cow;

/// CRLF and lone CR (old Mac exports) become LF. Borrows when there is no CR.
pub fn normalise_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            out.push('\n');
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One logical (unfolded) line and the 1-based number of its first physical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logical {
    pub line: usize,
    pub text: String,
}

/// Whether the name and parameters of a line (the part before its first `:`)
/// name quoted-printable encoding (`ENCODING=QUOTED-PRINTABLE`, or the bare
/// vCard 2.1 `;QUOTED-PRINTABLE`).
pub fn head_is_quoted_printable(line: &str) -> bool {
    let head = line.find(':').and_then(|i| line.get(..i)).unwrap_or(line);
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// Lines that open or close an object: a quoted-printable value never runs
/// on into them.
fn is_begin_or_end(line: &str) -> bool {
    let t = line.trim_start().as_bytes();
    let starts = |p: &[u8]| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts(b"BEGIN:") || starts(b"END:")
}

/// Unfolds a text into logical lines (blank ones included, so that callers
/// can treat them as separators), at most `max_lines` of them. Accepts CRLF,
/// LF and CR line endings.
pub fn unfold(text: &str, max_lines: usize) -> Vec<Logical> {
    let text = normalise_newlines(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&first) = lines.get(i) {
        if out.len() >= max_lines {
            break;
        }
        let line = i + 1;
        i += 1;
        let mut logical = first.to_owned();
        while let Some(next) = lines.get(i).filter(|l| l.starts_with([' ', '\t'])) {
            logical.push_str(next.get(1..).unwrap_or(""));
            i += 1;
        }
        if head_is_quoted_printable(&logical) {
            while logical.ends_with('=') {
                let Some(next) = lines.get(i) else { break };
                if next.trim().is_empty() || is_begin_or_end(next) {
                    break;
                }
                logical.pop();
                logical.push_str(next.trim_start());
                i += 1;
            }
        }
        out.push(Logical {
            line,
            text: logical,
        });
    }
    out
}

/// One parameter of a content line, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    /// Upper case; `None` for a bare vCard 2.1 parameter (`EMAIL;INTERNET:`).
    pub name: Option<String>,
    /// The value after `=` (or the whole bare parameter), quotes still in it.
    pub raw: &'a str,
}

impl Param<'_> {
    /// The value with its double quotes removed and trimmed: `"Doe, Jane"`
    /// is `Doe, Jane`.
    pub fn text(&self) -> String {
        self.raw.replace('"', "").trim().to_owned()
    }

    /// The comma-separated values (commas inside quotes do not separate),
    /// each trimmed and unquoted.
    pub fn values(&self) -> Vec<String> {
        split_unquoted(self.raw, b',')
            .into_iter()
            .map(|v| v.trim().trim_matches('"').to_owned())
            .collect()
    }
}

/// A content line split into its parts; nothing decoded yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine<'a> {
    /// The vCard group (`item1` of `item1.EMAIL`), as written.
    pub group: Option<&'a str>,
    /// Upper case, without its group.
    pub name: String,
    pub params: Vec<Param<'a>>,
    /// Everything after the `:` that ends the parameters, as written.
    pub value: &'a str,
}

/// Finds the first `wanted` byte (ASCII) outside double quotes.
pub fn find_unquoted(s: &str, wanted: u8) -> Option<usize> {
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == wanted && !quoted {
            return Some(i);
        }
    }
    None
}

/// Splits on an ASCII `separator` outside double quotes.
pub fn split_unquoted(s: &str, separator: u8) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(at) = find_unquoted(rest, separator) {
        parts.push(rest.get(..at).unwrap_or(""));
        rest = rest.get(at + 1..).unwrap_or("");
    }
    parts.push(rest);
    parts
}

/// Splits `[group.]NAME[;PARAM[=value]...]:value`. `None` when there is no
/// `:` or the name is not a property name (letters, digits, `-`, `_`). The
/// `:` that ends the parameters is the first one outside quotes (else, for
/// an unbalanced quote, the first one at all).
pub fn parse(line: &str) -> Option<ContentLine<'_>> {
    let name_end = line.find([';', ':'])?;
    let full_name = line.get(..name_end)?.trim();
    let (group, name) = match full_name.rsplit_once('.') {
        Some((g, n)) => (Some(g), n),
        None => (None, full_name),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let rest = line.get(name_end..)?;
    let colon = find_unquoted(rest, b':').or_else(|| rest.find(':'))?;
    let params = split_unquoted(rest.get(..colon)?, b';')
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|param| match param.split_once('=') {
            Some((key, raw)) => Param {
                name: Some(key.trim().to_ascii_uppercase()),
                raw,
            },
            None => Param {
                name: None,
                raw: param,
            },
        })
        .collect();
    Some(ContentLine {
        group,
        name: name.to_ascii_uppercase(),
        params,
        value: rest.get(colon + 1..)?,
    })
}

/// Decodes quoted-printable (`=C3=A9`); a bad escape is kept as written and
/// a soft break `=` left at the very end is dropped.
pub fn decode_quoted_printable(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'=' {
            match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.extend(u8::try_from(high * 16 + low).ok());
                    i += 3;
                    continue;
                }
                _ if i + 1 == bytes.len() => {}
                _ => out.push(b),
            }
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// Unescapes a TEXT value: `\n` and `\N` are newlines; a backslash before any
/// other character stands for that character (`\,` `\;` `\\`, and the `\:`
/// Apple writes in URLs); a lone backslash at the end is kept.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests;
