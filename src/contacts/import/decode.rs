//! Bytes to text: the encoding of an exported file, found from its bytes.
//!
//! Must never guess silently wrong when a better guess is at hand, nor fail: every byte
//! sequence becomes some text.

use super::*;

pub(super) fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        decode_8bit(rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (
            decode_utf16(rest, u16::from_le_bytes),
            TextEncoding::Utf16Le,
        )
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (
            decode_utf16(rest, u16::from_be_bytes),
            TextEncoding::Utf16Be,
        )
    } else {
        decode_8bit(bytes)
    };
    // A second byte-order mark (some tools add one to a file that already had one).
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest.to_owned(), encoding),
        None => (text, encoding),
    }
}

pub(super) fn decode_8bit(bytes: &[u8]) -> (String, TextEncoding) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => (windows_1252(bytes), TextEncoding::Windows1252),
    }
}

pub(super) fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let chunks = bytes.chunks_exact(2);
    let odd_byte = !chunks.remainder().is_empty();
    let units = chunks.map(|pair| <[u8; 2]>::try_from(pair).map_or(0xFFFD, unit));
    let mut text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if odd_byte {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// Windows-1252 differs from Latin-1 only in 0x80..=0x9F; the five bytes it leaves
/// undefined are kept as the C1 control characters of the same value.
pub(super) const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

pub(super) fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            _ => char::from(b),
        })
        .collect()
}

/// CRLF and lone CR (old Mac Excel) become LF, so that every line ends in `\n`.
pub(super) fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
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
    out
}

pub(super) fn looks_binary(bytes: &[u8], encoding: TextEncoding, text: &str) -> bool {
    let utf16 = matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be);
    if !utf16 && bytes.contains(&0) {
        return true;
    }
    let sample = text.chars().take(8192);
    let (mut total, mut control) = (0usize, 0usize);
    for c in sample {
        total += 1;
        if c == '\0' || (c.is_control() && c != '\n' && c != '\t') {
            control += 1;
        }
    }
    control * 20 > total
}
