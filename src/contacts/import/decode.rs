//! Bytes to text: the encoding of an exported file, found from its bytes.
//!
//! Must never guess silently wrong when a better guess is at hand, nor fail: every byte
//! sequence becomes some text. Decoding is encoding_rs's and the guess chardetng's: no
//! hand-made code tables.

use encoding_rs::{Encoding, UTF_8, UTF_16BE};

use super::*;

/// The file's bytes as text: a byte-order mark decides; else UTF-8 when the bytes are
/// valid UTF-8; else the legacy encoding chardetng finds most likely (the Shift_JIS,
/// Windows-1251 or Windows-1252 that spreadsheet programs write).
pub(super) fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    let (text, encoding) = match Encoding::for_bom(bytes) {
        Some((enc, bom)) if enc != UTF_8 => {
            let rest = bytes.get(bom..).unwrap_or_default();
            let (text, _) = enc.decode_without_bom_handling(rest);
            let label = if enc == UTF_16BE {
                TextEncoding::Utf16Be
            } else {
                TextEncoding::Utf16Le
            };
            (text.into_owned(), label)
        }
        Some((_, bom)) => decode_8bit(bytes.get(bom..).unwrap_or_default()),
        None => decode_8bit(bytes),
    };
    // A second byte-order mark (some tools add one to a file that already had one).
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest.to_owned(), encoding),
        None => (text, encoding),
    }
}

/// UTF-8 when it is valid UTF-8, else the most likely legacy encoding.
pub(super) fn decode_8bit(bytes: &[u8]) -> (String, TextEncoding) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), TextEncoding::Utf8);
    }
    let enc = guess(bytes);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), TextEncoding::Legacy(enc.name()))
}

/// chardetng's guess for bytes that are not UTF-8.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, false)
}

/// Bytes in a named charset (a vCard 2.1 `CHARSET=` parameter), by the WHATWG labels;
/// an unknown or missing label is read as [`decode_8bit`] reads a file.
pub(super) fn decode_labelled(bytes: &[u8], charset: Option<&str>) -> String {
    match charset.and_then(|c| Encoding::for_label(c.trim().as_bytes())) {
        Some(enc) => enc.decode_without_bom_handling(bytes).0.into_owned(),
        None => decode_8bit(bytes).0,
    }
}

/// CRLF and lone CR (old Mac Excel) become LF, so that every line ends in `\n`: the one
/// normaliser the iCalendar and vCard readers use too.
pub(super) fn normalize_newlines(text: String) -> String {
    match crate::core::contentline::normalise_newlines(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(s) => s,
    }
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
