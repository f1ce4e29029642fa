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
mod tests {
    use super::*;

    #[test]
    fn escapes_bells_and_osc_are_shown_not_sent() {
        let osc52 = "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}";
        assert_eq!(visible(osc52), "^[]52;c;ZWNobyBwd25lZA==^G");
        assert_eq!(visible("\u{1b}[2J\u{1b}]0;title\u{7}"), "^[[2J^[]0;title^G");
        assert_eq!(visible("a\rb\u{7f}c\u{0}"), "a^Mb^?c^@");
        // 8-bit CSI and OSC.
        assert_eq!(visible("\u{9b}2J\u{9d}0;t"), "\\u009b2J\\u009d0;t");
    }

    #[test]
    fn bidi_controls_are_neutralised_and_ordinary_text_untouched() {
        assert_eq!(visible("invoice\u{202E}fdp.exe"), "invoice\\u202efdp.exe");
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2069}',
        ] {
            assert!(!visible(&format!("x{c}y")).contains(c), "{c:?}");
        }
        for ok in [
            "Grüße, José — 東京",
            "שלום עולם",
            "line one\n\tline two",
            "",
        ] {
            assert!(matches!(visible(ok), Cow::Borrowed(_)), "{ok}");
        }
    }

    #[test]
    fn it_is_idempotent_and_one_line_flattens() {
        let nasty = "\u{1b}]52;c;x\u{7}\u{202e}\u{9b}\r\n";
        let once = visible(nasty).into_owned();
        assert_eq!(visible(&once), once.as_str());
        assert!(!once.chars().any(unsafe_char));
        assert_eq!(one_line("a\nb\tc\r\u{1b}"), "a b c ^[");
    }

    #[test]
    fn json_stays_json_with_the_same_meaning() {
        let v = serde_json::json!({ "s": "a\u{202e}b\u{85}c\u{1b}" });
        let text = serde_json::to_string(&v).unwrap();
        let shown = visible(&text);
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, v);
    }
}
