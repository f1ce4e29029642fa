//! The one sanitiser for text on its way to a terminal. Everything the CLI writes
//! through [`super::write_out`] and [`super::write_err`] passes here, so a Subject,
//! a name or a body that came from mail (raw or RFC 2047-decoded) can never clear the
//! screen, set the window title, write the clipboard (OSC 52), ring the bell or turn
//! the text around: each such character is shown visibly instead.
//!
//! - C0 controls and DEL in caret notation, as `cat -v` shows them: ESC is `^[`, BEL
//!   `^G`, a bare CR `^M`, DEL `^?`. Newline and tab are text and stay.
//! - C1 controls (U+0080–U+009F, among them the 8-bit CSI and OSC) and the bidi
//!   embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) as `\uXXXX`:
//!   the same spelling a JSON string uses, so `--json` output stays valid and means the
//!   same character.
//!
//! It is idempotent (its output contains none of the characters it rewrites). This
//! module must never drop a character silently, and never change text without one of
//! those characters.

use std::borrow::Cow;

/// Whether `c` is rewritten.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || bidi_control(c)
}

/// The bidi embedding, override and isolate controls.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character and bidi control shown visibly.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
            continue;
        }
        let n = u32::from(c);
        match n {
            0x7F => out.push_str("^?"),
            0..=0x1F => {
                out.push('^');
                out.push(char::from(b'@' + n as u8));
            }
            _ => out.push_str(&format!("\\u{n:04x}")),
        }
    }
    Cow::Owned(out)
}

/// `s` on one line for a table cell: line breaks and tabs become spaces, the rest as
/// [`visible`].
pub fn one_line(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    visible(&flat).into_owned()
}

#[cfg(test)]
mod tests;
