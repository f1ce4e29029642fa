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
