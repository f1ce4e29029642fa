//! Running one IMAP command to its tagged completion, and what the server said in its
//! own words.
//!
//! async-imap's `uid_search` and `uid_fetch` end their answer at the first response they
//! do not expect and drop the tagged status, so a `NO`, a `BAD`, a `BYE` or a closed
//! connection read as a complete (short) answer. Here every command is read until its
//! own tagged line and that line's status is checked: only `OK` completes it. Untagged
//! responses are handed to the caller, who says whether each one answered the command;
//! the ones that did not are counted, and too many of them (a server streaming
//! unsolicited FETCH forever) end the command with an error.
//!
//! This module must never take a short answer for a whole one, and never put a raw byte
//! dump or a Rust debug form in an error: the server's words are quoted, bounded and
//! escaped.

use std::time::Duration;

use imap_proto::{RequestId, Response, ResponseCode, Status};

use super::{ImapError, Result, Stream};

/// At most this many untagged responses that answer nothing asked are read per command
/// (besides one per item asked for) before the command is given up.
pub(super) const UNSOLICITED_MAX: usize = 1000;

/// The longest piece of the server's words an error quotes.
const WORDS_MAX: usize = 200;

/// What one untagged response was to the command running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Heard {
    /// Part of the answer.
    Answer,
    /// Anything else (EXISTS, EXPUNGE, a FETCH for another message, flags).
    Unsolicited,
}

/// Sends `command` and reads every response until its tagged completion, handing each
/// untagged one to `each`. `allowance` is how many unsolicited responses are tolerated
/// (see [`UNSOLICITED_MAX`]). Errors: the tagged `NO`/`BAD` with the server's words, a
/// `BYE`, the connection closing, a response that cannot be parsed, a silence longer
/// than `timeout`, too many unsolicited responses, or an error `each` returns.
pub(super) async fn run(
    session: &mut async_imap::Session<Stream>,
    timeout: Duration,
    command: &str,
    what: &str,
    allowance: usize,
    each: impl FnMut(&Response<'_>) -> Result<Heard>,
) -> Result<()> {
    let tag = send(session, timeout, command, what).await?;
    finish(session, timeout, &tag, what, allowance, each).await
}

/// Sends a tagged command; returns its tag.
pub(super) async fn send(
    session: &mut async_imap::Session<Stream>,
    timeout: Duration,
    command: &str,
    what: &str,
) -> Result<RequestId> {
    match tokio::time::timeout(timeout, session.run_command(command)).await {
        Ok(Ok(tag)) => Ok(tag),
        Ok(Err(e)) => Err(ImapError::Transient(format!(
            "{what}: could not write to the server: {}",
            library_words(&e)
        ))),
        Err(_) => Err(silent(what, timeout)),
    }
}

/// Reads the answer to the command tagged `tag` (see [`run`]).
pub(super) async fn finish(
    session: &mut async_imap::Session<Stream>,
    timeout: Duration,
    tag: &RequestId,
    what: &str,
    allowance: usize,
    mut each: impl FnMut(&Response<'_>) -> Result<Heard>,
) -> Result<()> {
    let mut unsolicited = 0usize;
    loop {
        let heard = next(session, timeout, what, |response| match response {
            Response::Done {
                tag: t,
                status,
                code,
                information,
            } if t == tag => {
                completion(status, code.as_ref(), information.as_deref(), what).map(|()| None)
            }
            Response::Data {
                status: Status::Bye,
                code,
                information,
            } => Err(ImapError::Transient(format!(
                "{what}: the server closed the connection before it finished answering (BYE{})",
                said(code.as_ref(), information.as_deref())
            ))),
            r => each(r).map(Some),
        })
        .await??;
        match heard {
            None => return Ok(()),
            Some(Heard::Answer) => {}
            Some(Heard::Unsolicited) => {
                unsolicited += 1;
                if unsolicited > allowance {
                    return Err(ImapError::Transient(format!(
                        "{what}: the server sent more than {allowance} responses that answer nothing rapport asked; gave up on this batch (the next sync asks again)"
                    )));
                }
            }
        }
    }
}

/// The next response, as `read` reads it, or why there is none.
pub(super) async fn next<R>(
    session: &mut async_imap::Session<Stream>,
    timeout: Duration,
    what: &str,
    read: impl FnOnce(&Response<'_>) -> R,
) -> Result<R> {
    match tokio::time::timeout(timeout, session.read_response()).await {
        Err(_) => Err(silent(what, timeout)),
        Ok(Ok(Some(r))) => Ok(read(r.parsed())),
        Ok(Ok(None)) => Err(ImapError::Transient(format!(
            "{what}: the server closed the connection before it finished answering"
        ))),
        Ok(Err(e)) => Err(ImapError::Transient(format!("{what}: {}", io_words(&e)))),
    }
}

fn silent(what: &str, timeout: Duration) -> ImapError {
    ImapError::Transient(format!(
        "{what}: the server did not answer within {}s",
        timeout.as_secs()
    ))
}

/// A tagged status as a result: `OK` completes, `NO`/`BAD` are the server refusing.
pub(super) fn completion(
    status: &Status,
    code: Option<&ResponseCode<'_>>,
    information: Option<&str>,
    what: &str,
) -> Result<()> {
    let word = match status {
        Status::Ok => return Ok(()),
        Status::No => "NO",
        Status::Bad => "BAD",
        Status::PreAuth => "PREAUTH",
        Status::Bye => "BYE",
    };
    Err(ImapError::Refused(format!(
        "{what}: the server answered {word}{}",
        said(code, information)
    )))
}

/// `: "[CODE] text"`, or nothing when the server said nothing.
fn said(code: Option<&ResponseCode<'_>>, information: Option<&str>) -> String {
    let code = code.and_then(code_name);
    let text = information.map(escape).unwrap_or_default();
    match (code, text.is_empty()) {
        (None, true) => String::new(),
        (None, false) => format!(": \"{text}\""),
        (Some(c), true) => format!(": \"[{c}]\""),
        (Some(c), false) => format!(": \"[{c}] {text}\""),
    }
}

fn code_name(code: &ResponseCode<'_>) -> Option<&'static str> {
    Some(match code {
        ResponseCode::Alert => "ALERT",
        ResponseCode::Parse => "PARSE",
        ResponseCode::ReadOnly => "READ-ONLY",
        ResponseCode::ReadWrite => "READ-WRITE",
        ResponseCode::TryCreate => "TRYCREATE",
        ResponseCode::UidNotSticky => "UIDNOTSTICKY",
        _ => return None,
    })
}

/// The server's words made safe to show: control characters escaped, at most
/// [`WORDS_MAX`] characters.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if out.len() >= WORDS_MAX {
            out.push('…');
            break;
        }
        if c.is_control() || c == '"' || c == '\\' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A stream error without the byte dump async-imap puts in a parse failure.
pub(super) fn io_words(e: &std::io::Error) -> String {
    let text = e.to_string();
    if let Some((_, _)) = text.split_once(" during parsing of ") {
        return "the server sent a response rapport cannot read (not valid IMAP); gave up on this connection".into();
    }
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        return "the server closed the connection in the middle of a response".into();
    }
    escape(&text)
}

/// An async-imap error in the server's words: its `NO`/`BAD` text without the debug
/// wrapping (`code: None, info: Some("…")`), a stream error without its byte dump.
pub fn library_words(e: &async_imap::error::Error) -> String {
    use async_imap::error::Error;
    match e {
        Error::No(s) => format!("the server answered NO: \"{}\"", escape(&debug_info(s))),
        Error::Bad(s) => format!("the server answered BAD: \"{}\"", escape(&debug_info(s))),
        Error::Io(io) => io_words(io),
        Error::ConnectionLost => "the server closed the connection".into(),
        other => escape(&other.to_string()),
    }
}

/// An error's text as the user reads it: async-imap's `no response: code: None, info:
/// Some("…")` (what its `Display` gives for a NO or BAD) as the server's words, anything
/// else escaped.
pub(super) fn plain_words(text: &str) -> String {
    // rustls's words for a server that died without ending TLS (Cyrus's imapd on a
    // signal) end in a link to its docs: say what happened instead.
    if text.contains("without sending TLS close_notify") {
        return "the server closed the connection without ending TLS (it restarted or stopped)"
            .into();
    }
    for (prefix, word) in [("no response: ", "NO"), ("bad response: ", "BAD")] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return format!(
                "the server answered {word}: \"{}\"",
                escape(&debug_info(rest))
            );
        }
    }
    escape(text)
}

/// The text inside async-imap's `code: …, info: Some("…")`, unescaped; the whole string
/// when it has no such part.
fn debug_info(s: &str) -> String {
    let Some(start) = s.find("info: Some(\"") else {
        if s.starts_with("code: ") {
            return "(no reason given)".into();
        }
        return s.to_string();
    };
    let rest = s.get(start + "info: Some(\"".len()..).unwrap_or_default();
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    let code = s
        .strip_prefix("code: Some(")
        .and_then(|c| c.split(')').next())
        .filter(|c| !c.is_empty());
    match code {
        Some(c) => format!("[{}] {out}", c.to_ascii_uppercase()),
        None => out,
    }
}

#[cfg(test)]
mod tests;
