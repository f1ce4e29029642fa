use super::*;

// --- CSV details --------------------------------------------------------------------

#[test]
fn tab_and_semicolon_delimiters_are_detected_from_the_header() {
    assert_eq!(detect_delimiter("name\temail\tcompany"), b'\t');
    assert_eq!(detect_delimiter("name;email;\"a,b,c\""), b';');
    assert_eq!(detect_delimiter("name,email"), b',');
    assert_eq!(detect_delimiter("email"), b',');
    let parsed =
        parse(b"Full Name\tE-mail\tOrganisation\nAda  Lovelace\tada@x.example\tEngines, Ltd\n");
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            company: some("Engines, Ltd"),
            ..contact(2, "Ada Lovelace", &["ada@x.example"])
        }]
    );
}

#[test]
fn line_numbers_survive_quoted_newlines_and_blank_lines() {
    let input = "name,notes,email\n\
                 \n\
                 Ada,\"one\ntwo\n\nthree\",ada@example.com\n\
                 \n\
                 \n\
                 Grace,,grace@example.com\n\
                 Alan,\"x\",alan@example.com\n";
    let parsed = parse(input.as_bytes());
    let lines: Vec<(usize, Option<String>)> = parsed
        .contacts
        .iter()
        .map(|c| (c.line, c.notes.clone()))
        .collect();
    assert_eq!(
        lines,
        vec![(3, some("one\ntwo\n\nthree")), (9, None), (10, some("x")),]
    );
}

#[test]
fn old_mac_line_endings_count_as_lines() {
    let parsed = parse(b"name,email\rAda,ada@example.com\rGrace,grace@example.com\r");
    let lines: Vec<usize> = parsed.contacts.iter().map(|c| c.line).collect();
    assert_eq!(lines, vec![2, 3]);
}

#[test]
fn unterminated_quote_at_end_keeps_what_was_read() {
    let parsed =
        parse(b"name,email,notes\nAda,ada@example.com,ok\nGrace,grace@example.com,\"cut sho");
    assert_eq!(
        parsed.contacts,
        vec![
            ImportedContact {
                notes: some("ok"),
                ..contact(2, "Ada", &["ada@example.com"])
            },
            ImportedContact {
                notes: some("cut sho"),
                ..contact(3, "Grace", &["grace@example.com"])
            },
        ]
    );
}

#[test]
fn very_long_cells_are_read() {
    let long_name = "A".repeat(2_000_000);
    let input = format!("name,email\n{long_name},a@example.com\nBob,bob@example.com\n");
    let parsed = parse(input.as_bytes());
    assert_eq!(parsed.contacts.len(), 2);
    assert_eq!(
        parsed.contacts[0].name.as_ref().map(String::len),
        Some(2_000_000)
    );
    assert_eq!(parsed.contacts[1].line, 3);
}

#[test]
fn trailing_empty_extra_fields_are_not_a_problem() {
    let parsed = parse(b"name,email\nAda,ada@example.com,,\n");
    assert_eq!(
        parsed.contacts,
        vec![contact(2, "Ada", &["ada@example.com"])]
    );
    assert_eq!(parsed.problems, vec![]);
}

#[test]
fn first_and_last_name_are_joined_and_full_name_wins() {
    let parsed = parse(
        b"Given Name,Family Name,Name,Email\n  Ada , Lovelace ,,\nAda,Lovelace,Countess  of\tLovelace,\n,Turing,,\n",
    );
    let names: Vec<Option<String>> = parsed.contacts.iter().map(|c| c.name.clone()).collect();
    assert_eq!(
        names,
        vec![
            some("Ada Lovelace"),
            some("Countess of Lovelace"),
            some("Turing")
        ]
    );
}

#[test]
fn header_aliases_are_recognised() {
    let cases: &[(&str, Field)] = &[
        ("Name", Field::FullName),
        ("FULL NAME", Field::FullName),
        ("full_name", Field::FullName),
        ("First Name", Field::First),
        ("given name", Field::First),
        ("Middle Name", Field::Middle),
        ("Last Name", Field::Last),
        ("Family Name", Field::Last),
        ("Surname", Field::Last),
        ("email", Field::Email),
        ("E-mail", Field::Email),
        ("Email Address", Field::Email),
        ("E-mail 1 - Value", Field::Email),
        ("E-mail 2 Address", Field::Email),
        ("Primary Email", Field::Email),
        ("Company", Field::Company),
        ("Organization", Field::Company),
        ("organisation", Field::Company),
        ("Organization 1 - Name", Field::Company),
        ("Role", Field::Role),
        ("Title", Field::Role),
        ("Position", Field::Role),
        ("Job Title", Field::Role),
        ("Organization Title", Field::Role),
        ("URL", Field::Link),
        ("Link", Field::Link),
        ("LinkedIn", Field::Link),
        ("Profile", Field::Link),
        ("LinkedIn URL", Field::Link),
        ("Tags", Field::Tags),
        ("Labels", Field::Tags),
        ("Categories", Field::Tags),
        ("Group Membership", Field::Tags),
        ("Tier", Field::Tier),
        ("Notes", Field::Notes),
        ("Connected On", Field::ConnectedOn),
    ];
    for (cell, field) in cases {
        assert_eq!(classify_header(cell).map(|c| c.0), Some(*field), "{cell}");
    }
    for cell in [
        "E-mail 1 - Type",
        "E-mail 1 - Label",
        "Phone 1 - Value",
        "Name Prefix",
        "Organization Department",
        "Phonetic First Name",
        "",
    ] {
        assert_eq!(classify_header(cell), None, "{cell}");
    }
}

#[test]
fn the_best_alias_wins_when_several_match() {
    let columns = Columns::from_header([
        "Title",
        "Job Title",
        "E-mail 2 - Value",
        "Email",
        "Primary Email",
        "Website",
        "LinkedIn",
    ]);
    assert_eq!(columns.role, Some(1));
    assert_eq!(columns.emails, vec![4, 3, 2]);
    assert_eq!(columns.link, Some(6));
}

#[test]
fn email_and_tag_cells_split_on_every_separator() {
    let parsed = parse(
        "name,email,tags\nAda,\"A@x.example; b@x.example | c@x.example ::: Ada <D@X.example>, mailto:e@x.example, a@x.example\",\"one;two|three, One ,* myContacts ::: * starred\"\n"
            .as_bytes(),
    );
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            tags: strings(&["one", "two", "three", "starred"]),
            ..contact(
                2,
                "Ada",
                &[
                    "a@x.example",
                    "b@x.example",
                    "c@x.example",
                    "d@x.example",
                    "e@x.example"
                ],
            )
        }]
    );
}

#[test]
fn row_with_only_an_invalid_email_is_two_problems() {
    let parsed = parse(b"name,email\n,not-an-email\n");
    assert_eq!(parsed.contacts, vec![]);
    assert_problems(
        &parsed.problems,
        &[
            (2, "\"not-an-email\" in column \"email\""),
            (2, "neither a name nor an email"),
        ],
    );
}

#[test]
fn email_validation() {
    for good in [
        "a@b.co",
        "first.last+tag@sub.example.org",
        "o'neil@example.ie",
        "zoë@exämple.se",
    ] {
        assert!(is_valid_email(good), "{good}");
    }
    for bad in [
        "",
        "plain",
        "a@b",
        "@b.co",
        "a@",
        "a@@b.co",
        "a@b@c.co",
        "a b@c.co",
        "a@b .co",
        "a@.b.co",
        "a@b.co.",
        "a@b..co",
        ".a@b.co",
        "a.@b.co",
        "a..b@c.co",
        "a@-b.co",
        "a,b@c.co",
        "<a@b.co>",
        "a@b_c.co",
    ] {
        assert!(!is_valid_email(bad), "{bad}");
    }
    assert_eq!(
        normalize_email("  Ada <Ada@Example.COM> "),
        some("ada@example.com")
    );
    assert_eq!(
        normalize_email("MAILTO:ada@example.com"),
        some("ada@example.com")
    );
    assert_eq!(normalize_email("ada@example"), None);
}

#[test]
fn dates() {
    for (raw, iso) in [
        ("03 Nov 2024", "2024-11-03"),
        ("3 November 2024", "2024-11-03"),
        ("Nov 3, 2024", "2024-11-03"),
        ("2024-11-03", "2024-11-03"),
        ("29 Feb 2024", "2024-02-29"),
        ("01 Sept 2023", "2023-09-01"),
        ("29 Feb 2000", "2000-02-29"),
        // Exports in other languages: the classifier's month table reads them too.
        ("12 März 2024", "2024-03-12"),
        ("3 juillet 2024", "2024-07-03"),
        ("5 mayo 2024", "2024-05-05"),
    ] {
        assert_eq!(parse_date(raw), some(iso), "{raw}");
    }
    for raw in [
        "",
        "29 Feb 2023",
        "29 Feb 1900",
        "31 Nov 2022",
        "00 Jan 2024",
        "11/03/24",
        "3/11/2024",
        "03 Noz 2024",
        "03 Nov",
        "2024-13-01",
        "Ma 3 2024",
        "03 Nov 20245",
    ] {
        assert_eq!(parse_date(raw), None, "{raw}");
    }
}

#[test]
fn links_get_a_scheme_when_they_lack_one() {
    assert_eq!(
        normalize_link(" linkedin.com/in/ada "),
        some("https://linkedin.com/in/ada")
    );
    assert_eq!(
        normalize_link("http://ada.example"),
        some("http://ada.example")
    );
    assert_eq!(normalize_link("@ada"), some("@ada"));
    assert_eq!(normalize_link("my site"), some("my site"));
    assert_eq!(normalize_link("  "), None);
}

// --- vCard details ------------------------------------------------------------------

#[test]
fn vcard_escapes_and_structured_values() {
    let input = "BEGIN:VCARD\nVERSION:3.0\nN:O\\,Neil;Sam;J.,K.;Dr.;PhD\nORG:;Research\\; Dev;Lab\nNOTE:back\\\\slash\\Nnew line\\, comma\nCATEGORIES:a\\,b,c\nEND:VCARD\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            company: some("Research; Dev"),
            tags: strings(&["a,b", "c"]),
            notes: some("back\\slash\nnew line, comma"),
            ..contact(1, "Sam J. K. O,Neil", &[])
        }]
    );
}

#[test]
fn vcard_2_1_quoted_printable_and_charsets() {
    let input = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=\r\nller\r\nEMAIL;INTERNET;PREF:juergen@example.de\r\nTITLE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:=C3=A9t=C3=A9\r\nNOTE;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Caf=E9 =3D coffee=0D=0A2nd line=\r\n\r\nORG:M=FCller GmbH\r\nEND:VCARD\r\n";
    let parsed = parse(input);
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            company: some("M=FCller GmbH"),
            // Latin-1 as the CHARSET says, even where the bytes happen to be UTF-8.
            role: some("Ã©tÃ©"),
            notes: some("Café = coffee\n2nd line"),
            ..contact(1, "Jürgen Müller", &["juergen@example.de"])
        }]
    );
    assert_eq!(parsed.problems, vec![]);
}

#[test]
fn vcard_2_1_unindented_base64_photo_is_skipped() {
    let input = "BEGIN:VCARD\nVERSION:2.1\nFN:Ada\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\nAAAQABAAD/2wBDAAMCAgICAgMC\nAgIDAwMDBAYEBAQEBAgGBgUG\n\nEMAIL:ada@example.com\nEND:VCARD\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![contact(1, "Ada", &["ada@example.com"])]
    );
    assert_eq!(parsed.problems, vec![]);
}

#[test]
fn vcard_begin_inside_a_card_closes_the_open_one() {
    let input = "BEGIN:VCARD\nFN:Ada\nEMAIL:ada@example.com\nBEGIN:VCARD\nFN:Grace\nEND:VCARD\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![
            contact(1, "Ada", &["ada@example.com"]),
            contact(4, "Grace", &[])
        ]
    );
    assert_problems(
        &parsed.problems,
        &[(1, "no END:VCARD before the next BEGIN:VCARD on line 4")],
    );
}

#[test]
fn vcard_line_numbers_count_folded_lines() {
    let input = "BEGIN:VCARD\r\nFN:A\r\n da\r\nNOTE:long\r\n  note\r\n\tcontinued\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Grace\r\nEMAIL:bad@\r\n example\r\nEND:VCARD\r\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![
            ImportedContact {
                notes: some("long notecontinued"),
                ..contact(1, "Ada", &[])
            },
            contact(8, "Grace", &[]),
        ]
    );
    assert_problems(&parsed.problems, &[(10, "EMAIL \"bad@example\"")]);
}

#[test]
fn vcard_garbage_lines_inside_a_card_are_problems() {
    let input = "BEGIN:VCARD\nFN:Ada\nthis is not a property\nEMAIL;TYPE=\"work:home\":ada@example.com\n:no name\nEND:VCARD\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![contact(1, "Ada", &["ada@example.com"])]
    );
    assert_problems(
        &parsed.problems,
        &[
            (3, "\"this is not a property\" is not a vCard property"),
            (5, "\":no name\""),
        ],
    );
}

#[test]
fn vcard_prefers_a_linkedin_url_and_orders_emails_by_pref() {
    let input = "BEGIN:VCARD\nVERSION:4.0\nFN:Ada\nURL:https://ada.example\nURL:https://www.LinkedIn.com/in/ada\nEMAIL;PREF=2:two@example.com\nEMAIL:none@example.com\nEMAIL;PREF=1:one@example.com\nEMAIL:ONE@example.com\nEND:VCARD\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            link: some("https://www.LinkedIn.com/in/ada"),
            ..contact(
                1,
                "Ada",
                &["one@example.com", "two@example.com", "none@example.com"]
            )
        }]
    );
}

#[test]
fn parse_content_line_handles_groups_params_and_quotes() {
    let Some(p) = parse_content_line(7, "item1.EMAIL;TYPE=INTERNET,pref;X-LABEL=\"a;b:c\":x@y.z")
    else {
        panic!("not parsed")
    };
    assert_eq!(p.line, 7);
    assert_eq!(p.name, "EMAIL");
    assert_eq!(p.value, "x@y.z");
    assert_eq!(
        p.params,
        vec![
            ("TYPE".to_owned(), strings(&["INTERNET", "pref"])),
            ("X-LABEL".to_owned(), strings(&["a;b:c"])),
        ]
    );
    assert_eq!(p.preference(), 0);
    assert!(parse_content_line(1, "no colon here").is_none());
    assert!(parse_content_line(1, "bad name:value").is_none());
}

// --- robustness ---------------------------------------------------------------------

#[test]
fn random_inputs_never_panic() {
    const PIECES: &[&str] = &[
        "BEGIN:VCARD",
        "END:VCARD",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        ",",
        ";",
        ":",
        "\"",
        "=",
        "=C3",
        "\\",
        "\\n",
        "FN",
        "EMAIL",
        "N",
        "ORG",
        "ENCODING=QUOTED-PRINTABLE",
        "name",
        "email",
        "First Name",
        "Last Name",
        "Connected On",
        "a@b.co",
        "@",
        ".",
        "é",
        "\u{FEFF}",
        "Zoë",
        "03 Nov 2024",
        "item1.",
        "CATEGORIES",
        ":::",
        "|",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let mut input: Vec<u8> = Vec::new();
        let pieces = next() % 60;
        for _ in 0..pieces {
            let r = next();
            if r % 10 == 0 {
                input.push(u8::try_from(r >> 32 & 0xFF).unwrap_or(0));
            } else {
                let index = usize::try_from(r >> 8).unwrap_or(0) % PIECES.len();
                input.extend_from_slice(PIECES.get(index).unwrap_or(&"").as_bytes());
            }
        }
        if let Ok(parsed) = parse_import(&input) {
            check_invariants(&input, &parsed);
        }
    }
}

#[test]
fn problem_display_names_the_line() {
    let problem = Problem {
        line: 12,
        message: "bad".to_owned(),
    };
    assert_eq!(problem.to_string(), "line 12: bad");
    assert_eq!(Format::LinkedIn.to_string(), "LinkedIn connections export");
    assert_eq!(TextEncoding::Legacy("Shift_JIS").to_string(), "Shift_JIS");
}

#[test]
fn culprits_are_shortened_and_escaped() {
    assert_eq!(culprit("a\"b\nc"), "\"a\\\"b\\nc\"");
    let long = culprit(&"x".repeat(100));
    assert_eq!(long.chars().count(), CULPRIT_MAX_CHARS + 3);
    assert!(long.ends_with("…\""));
}
