//! Folder names on the wire: IMAP's modified UTF-7 (RFC 3501 §5.1.3), decoded for
//! display and matching, encoded when a name is sent. Every server that does not speak
//! `UTF8=ACCEPT` (Dovecot, Cyrus and Courier by default) sends "Éléments envoyés" as
//! `&AMk-l&AOk-ments envoy&AOk-s`; a user writes the first, rapport must send the second.
//!
//! Hand-written: the format is a few lines over base64 (`,` for `/`, no padding, `&-`
//! for `&`, runs of UTF-16 between `&` and `-`), it needs no allocation tricks, and the
//! crates that offer it could not be judged from here (the registry's search is not
//! reachable from this project's machines) while a new dependency also needs its licence
//! and upkeep vetted; the round-trip and property tests in `mutf7/tests.rs` hold it.
//!
//! This module must never turn a name that is not valid modified UTF-7 into another
//! folder's name: [`decode`] refuses it (the caller keeps the bytes as they came), and
//! [`encode`] of a decoded name gives back the exact wire form.

/// The modified base64 alphabet: RFC 2045's with `,` in place of `/`.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// A name as the server sent it, decoded; `None` when it is not valid modified UTF-7
/// (raw 8-bit bytes, a stray `&`, bad base64, broken UTF-16, ASCII or a control
/// character encoded, or two runs that should have been one).
pub fn decode(wire: &str) -> Option<String> {
    let mut out = String::with_capacity(wire.len());
    let mut rest = wire;
    // Two runs back to back must have been one (RFC 3501: `&AOk-&AOk-` is invalid).
    let mut after_run = false;
    while let Some(c) = rest.chars().next() {
        if !(' '..='~').contains(&c) {
            return None;
        }
        rest = rest.get(1..)?;
        if c != '&' {
            out.push(c);
            after_run = false;
            continue;
        }
        let end = rest.find('-')?;
        let run = rest.get(..end)?;
        rest = rest.get(end + 1..)?;
        if run.is_empty() {
            out.push('&');
            after_run = false;
            continue;
        }
        if after_run {
            return None;
        }
        out.push_str(&decode_run(run)?);
        after_run = true;
    }
    Some(out)
}

/// One run's base64 (between `&` and `-`) as text.
fn decode_run(run: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0u32;
    let mut units: Vec<u16> = Vec::with_capacity(run.len() * 3 / 4);
    for b in run.bytes() {
        let v = ALPHABET.iter().position(|&a| a == b)?;
        bits = (bits << 6) | u32::try_from(v).ok()?;
        nbits += 6;
        if nbits >= 16 {
            nbits -= 16;
            units.push(u16::try_from((bits >> nbits) & 0xffff).ok()?);
        }
    }
    // What is left over must be padding of zero bits, shorter than one base64 digit.
    if nbits >= 6 || bits & ((1 << nbits) - 1) != 0 || units.is_empty() {
        return None;
    }
    let text = String::from_utf16(&units).ok()?;
    // ASCII must never be encoded (RFC 3501), and no name holds a control character.
    if text.chars().any(|c| c.is_ascii() || c.is_control()) {
        return None;
    }
    Some(text)
}

/// A name as the server must be sent it.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut run: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut run, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Writes a pending run of UTF-16 units as `&…-`.
fn flush(run: &mut Vec<u16>, out: &mut String) {
    if run.is_empty() {
        return;
    }
    out.push('&');
    let mut bits: u32 = 0;
    let mut nbits = 0u32;
    for &u in run.iter() {
        bits = (bits << 16) | u32::from(u);
        nbits += 16;
        while nbits >= 6 {
            nbits -= 6;
            push_digit(out, (bits >> nbits) & 0x3f);
        }
        bits &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        push_digit(out, (bits << (6 - nbits)) & 0x3f);
    }
    out.push('-');
    run.clear();
}

fn push_digit(out: &mut String, v: u32) {
    let i = usize::try_from(v).unwrap_or(0);
    out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
}

/// The name to show and match: decoded, or as it came when it is not modified UTF-7
/// (a server that sends raw UTF-8 is taken at its word).
pub fn display(wire: &str) -> String {
    decode(wire).unwrap_or_else(|| wire.to_string())
}

/// A name from the user's config: plain Unicode as written, except a name already in
/// the wire form (`INBOX.&AMk-l&AOk-ments envoy&AOk-s`, the only way such a folder could
/// be named before), which is read as the text it stands for.
pub fn from_config(name: &str) -> String {
    if !name.contains('&') {
        return name.to_string();
    }
    match decode(name) {
        Some(text) if encode(&text) == name => text,
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests;
