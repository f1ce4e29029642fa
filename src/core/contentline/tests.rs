use super::*;

fn texts(text: &str) -> Vec<String> {
    unfold(text, usize::MAX)
        .into_iter()
        .map(|l| l.text)
        .collect()
}

#[test]
fn newlines_of_every_kind_become_lf() {
    assert_eq!(normalise_newlines("a\r\nb\rc\nd"), "a\nb\nc\nd");
    assert!(matches!(normalise_newlines("a\nb"), Cow::Borrowed(_)));
    assert_eq!(normalise_newlines("\r\r\n"), "\n\n");
}

#[test]
fn folded_lines_join_and_keep_their_first_line_number() {
    let lines = unfold("A:1\r\nB:x\r\n y\r\n\tz\r\n\r\nC:2", usize::MAX);
    let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.line, l.text.as_str())).collect();
    assert_eq!(got, [(1, "A:1"), (2, "B:xyz"), (5, ""), (6, "C:2")]);
}

#[test]
fn quoted_printable_soft_breaks_continue_but_not_into_the_next_object() {
    let t = "NOTE;ENCODING=QUOTED-PRINTABLE:caf=\n  =C3=A9\nEND:VCARD";
    // A folded line (space first) unfolds by the fold rule, keeping the rest.
    assert_eq!(
        texts(t),
        ["NOTE;ENCODING=QUOTED-PRINTABLE:caf= =C3=A9", "END:VCARD"]
    );
    let t = "NOTE;ENCODING=QUOTED-PRINTABLE:caf=\n=C3=A9\nEND:VCARD";
    assert_eq!(
        texts(t),
        ["NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9", "END:VCARD"]
    );
    // A soft break before END: or a blank line stops there.
    let t = "NOTE;QUOTED-PRINTABLE:a=\nEND:VCARD";
    assert_eq!(texts(t), ["NOTE;QUOTED-PRINTABLE:a=", "END:VCARD"]);
    let t = "NOTE;QUOTED-PRINTABLE:a=\n\nb";
    assert_eq!(texts(t), ["NOTE;QUOTED-PRINTABLE:a=", "", "b"]);
    // Without quoted-printable a trailing `=` is data.
    assert_eq!(texts("X:a=\nY:b"), ["X:a=", "Y:b"]);
}

#[test]
fn unfold_is_bounded() {
    assert_eq!(unfold("A:1\nB:2\nC:3", 2).len(), 2);
}

#[test]
fn splits_group_name_params_and_value() {
    let l = parse("item1.EMAIL;type=INTERNET;TYPE=\"home,pref\":a@b.org").expect("a line");
    assert_eq!(l.group, Some("item1"));
    assert_eq!(l.name, "EMAIL");
    assert_eq!(l.value, "a@b.org");
    assert_eq!(l.params.len(), 2);
    assert_eq!(l.params[0].name.as_deref(), Some("TYPE"));
    assert_eq!(l.params[1].values(), ["home,pref"]);
    let l = parse("ATTENDEE;CN=\"Doe, Jane\";PARTSTAT=ACCEPTED:mailto:jane@x.org").expect("a line");
    assert_eq!(l.params[0].text(), "Doe, Jane");
    assert_eq!(l.value, "mailto:jane@x.org");
    let l =
        parse("DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin\":20261203T100000").expect("a line");
    assert_eq!(l.params[0].text(), "(UTC+01:00) Amsterdam, Berlin");
    assert_eq!(l.value, "20261203T100000");
}

#[test]
fn bare_parameters_and_lists() {
    let l = parse("EMAIL;INTERNET;PREF:a@b.org").expect("a line");
    assert_eq!(l.params[0].name, None);
    assert_eq!(l.params[0].raw, "INTERNET");
    let l = parse("CATEGORIES;X=a,\"b,c\", d:v").expect("a line");
    assert_eq!(l.params[0].values(), ["a", "b,c", "d"]);
}

#[test]
fn not_content_lines() {
    for bad in ["", "no colon here", ":value", "BAD NAME:x", ";X=1:v", "ä:x"] {
        assert_eq!(parse(bad), None, "{bad:?}");
    }
    // An unbalanced quote: the first colon ends the parameters.
    let l = parse("X;A=\"open:value").expect("a line");
    assert_eq!(l.value, "value");
}

#[test]
fn quoted_printable_decodes_and_keeps_bad_escapes() {
    assert_eq!(decode_quoted_printable("caf=C3=A9"), "café".as_bytes());
    assert_eq!(decode_quoted_printable("a=c3=a9"), "aé".as_bytes());
    assert_eq!(decode_quoted_printable("100=%=Z"), b"100=%=Z");
    assert_eq!(decode_quoted_printable("soft="), b"soft");
    assert_eq!(decode_quoted_printable("=+1"), b"=+1");
}

#[test]
fn text_unescapes() {
    assert_eq!(unescape(r"a\, b\; c\\d\nE\Nf\:g"), "a, b; c\\d\nE\nf:g");
    assert_eq!(unescape("end\\"), "end\\");
}

#[test]
fn hostile_text_does_not_panic() {
    for t in [
        "\"",
        ";",
        "=",
        "é;é=é:é",
        "A;\"\"\"\":x",
        "\u{feff}X:y",
        " \n\t\n=",
    ] {
        let _ = parse(t);
        let _ = unfold(t, 10);
        let _ = decode_quoted_printable(t);
        let _ = unescape(t);
    }
}
