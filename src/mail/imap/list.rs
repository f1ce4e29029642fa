//! LIST, read line by line off the socket instead of through async-imap's parser.
//!
//! A folder name with 8-bit bytes that are not UTF-8 (or anything else the parser cannot
//! take) makes async-imap's stream fail for good: its buffer keeps the bad bytes, every
//! later read fails on them, and its error carries a dump of the whole buffer. So LIST's
//! answer is read here, one response at a time (a literal included), each parsed on its
//! own with `imap-proto`; a response that does not parse is skipped with one escaped log
//! line naming the folder, and the others are listed as usual.
//!
//! Reads byte by byte so that nothing past the tagged completion is taken from the
//! stream async-imap reads next. This module must never let one unreadable name fail the
//! listing, and never log more than a bounded, escaped name.

use std::time::Duration;

use imap_proto::{MailboxDatum, NameAttribute as A, Response};
use tokio::io::{AsyncRead, AsyncReadExt as _};

use super::command::{self, escape};
use super::{Folder, ImapError, Result, Special, Stream};

/// The longest response line (or literal) read.
const MAX_LINE: usize = 64 * 1024;
/// At most this many folders.
const MAX_FOLDERS: usize = 20_000;

/// `LIST "" "*"`: every folder whose answer can be read.
pub(super) async fn folders(
    session: &mut async_imap::Session<Stream>,
    timeout: Duration,
) -> Result<Vec<Folder>> {
    const WHAT: &str = "listing folders";
    let tag = command::send(session, timeout, "LIST \"\" \"*\"", WHAT).await?;
    let tag = format!("{} ", tag.0);
    let stream = session.get_mut();
    let mut out = Vec::new();
    for _ in 0..MAX_FOLDERS {
        let response = read_response(stream, timeout).await?;
        if response.starts_with(tag.as_bytes()) {
            return done(&response, &tag, out);
        }
        match folder(&response) {
            Ok(Some(f)) => out.push(f),
            Ok(None) => {}
            Err(name) => tracing::warn!(
                folder = %name,
                "skipping a folder whose name the server sent in bytes rapport cannot read (not UTF-8); rename it in your mail client to have it read"
            ),
        }
    }
    Err(ImapError::Transient(format!(
        "{WHAT}: the server listed more than {MAX_FOLDERS} folders"
    )))
}

/// The tagged completion of LIST.
fn done(line: &[u8], tag: &str, out: Vec<Folder>) -> Result<Vec<Folder>> {
    let text = String::from_utf8_lossy(line.get(tag.len()..).unwrap_or_default());
    let text = text.trim();
    if text.get(..2).is_some_and(|s| s.eq_ignore_ascii_case("OK")) {
        return Ok(out);
    }
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    Err(ImapError::Refused(format!(
        "listing folders: the server answered {}: \"{}\"",
        escape(word),
        escape(rest)
    )))
}

/// One untagged response: a folder, nothing (not a LIST), or the escaped name of a
/// folder that cannot be read.
fn folder(response: &[u8]) -> std::result::Result<Option<Folder>, String> {
    let is_list = response
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"* LIST "));
    match imap_proto::parser::parse_response(response) {
        Ok((
            _,
            Response::MailboxData(MailboxDatum::List {
                name_attributes,
                name,
                ..
            }),
        )) => {
            if name.chars().any(char::is_control) {
                return Err(escape(&name));
            }
            Ok(Some(describe(&name, &name_attributes)))
        }
        Ok(_) => Ok(None),
        Err(_) if is_list => Err(list_name(response)),
        Err(_) => Ok(None),
    }
}

/// The folder as rapport shows and matches it: its name decoded from modified UTF-7.
fn describe(wire: &str, attributes: &[A<'_>]) -> Folder {
    let name = super::mutf7::display(wire);
    let mut special = None;
    let mut selectable = true;
    for a in attributes {
        match a {
            A::NoSelect => selectable = false,
            A::Sent => special = Some(Special::Sent),
            A::Junk => special = Some(Special::Junk),
            A::Trash => special = Some(Special::Trash),
            A::Drafts => special = Some(Special::Drafts),
            A::All => special = Some(Special::All),
            A::Archive => special = Some(Special::Archive),
            A::Extension(s) if s.eq_ignore_ascii_case("\\NonExistent") => selectable = false,
            _ => {}
        }
    }
    if name.eq_ignore_ascii_case("INBOX") {
        special = Some(Special::Inbox);
    }
    Folder {
        name,
        special,
        selectable,
    }
}

/// The name part of a LIST response that did not parse, escaped (`\xNN` for bytes that
/// are not printable ASCII) and bounded.
pub(super) fn list_name(response: &[u8]) -> String {
    // `* LIST (attrs) delim name`: the name follows the delimiter.
    let after = response
        .iter()
        .position(|&b| b == b')')
        .and_then(|p| response.get(p + 1..))
        .unwrap_or(response);
    let after = trim(after);
    let name = match after.first() {
        Some(b'"') => after.get(3..).or(Some(after)),
        _ => after
            .iter()
            .position(|&b| b == b' ')
            .and_then(|p| after.get(p + 1..)),
    }
    .unwrap_or(after);
    let name = trim(name);
    let name = name.strip_prefix(b"\"").unwrap_or(name);
    let name = name.strip_suffix(b"\"").unwrap_or(name);
    let mut out = String::new();
    for &b in name.iter().take(120) {
        match b {
            b'\r' | b'\n' => out.push(' '),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    if name.len() > 120 {
        out.push('…');
    }
    out
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    b.get(start..end).unwrap_or_default()
}

/// One whole response: a line, with any literal it announces and the rest of the line
/// after it.
async fn read_response(
    stream: &mut (impl AsyncRead + Unpin),
    timeout: Duration,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let start = out.len();
        read_line(stream, timeout, &mut out).await?;
        // Only the part just read can announce a literal (not the literal before it).
        let Some(n) = literal_len(out.get(start..).unwrap_or_default()) else {
            return Ok(out);
        };
        if n > MAX_LINE {
            return Err(ImapError::Transient(format!(
                "listing folders: the server announced a {n}-byte folder name"
            )));
        }
        let start = out.len();
        out.resize(start + n, 0);
        let read = stream.read_exact(out.get_mut(start..).unwrap_or_default());
        match tokio::time::timeout(timeout, read).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(gone(&e)),
            Err(_) => return Err(silence(timeout)),
        }
    }
}

/// `{N}` (or `{N+}`) right before the line's CRLF.
fn literal_len(line: &[u8]) -> Option<usize> {
    let line = line.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let body = line.strip_suffix(b"}")?;
    let open = body.iter().rposition(|&b| b == b'{')?;
    let digits = body.get(open + 1..)?;
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Appends one line (through its LF) to `out`.
async fn read_line(
    stream: &mut (impl AsyncRead + Unpin),
    timeout: Duration,
    out: &mut Vec<u8>,
) -> Result<()> {
    let start = out.len();
    loop {
        let byte = match tokio::time::timeout(timeout, stream.read_u8()).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return Err(gone(&e)),
            Err(_) => return Err(silence(timeout)),
        };
        out.push(byte);
        if byte == b'\n' {
            return Ok(());
        }
        if out.len() - start > MAX_LINE {
            return Err(ImapError::Transient(format!(
                "listing folders: the server sent a line longer than {MAX_LINE} bytes"
            )));
        }
    }
}

fn gone(e: &std::io::Error) -> ImapError {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        ImapError::Transient(
            "listing folders: the server closed the connection before it finished answering".into(),
        )
    } else {
        ImapError::Transient(format!("listing folders: {}", command::io_words(e)))
    }
}

fn silence(timeout: Duration) -> ImapError {
    ImapError::Transient(format!(
        "listing folders: the server did not answer within {}s",
        timeout.as_secs()
    ))
}

#[cfg(test)]
mod tests;
