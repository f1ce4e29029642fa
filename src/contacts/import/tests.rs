use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|err| panic!("reading {path}: {err}"))
}

fn parse(bytes: &[u8]) -> ParsedImport {
    match parse_import(bytes) {
        Ok(parsed) => parsed,
        Err(err) => panic!("expected a parse, got error: {err}"),
    }
}

fn contact(line: usize, name: &str, emails: &[&str]) -> ImportedContact {
    ImportedContact {
        line,
        name: Some(name.to_owned()),
        emails: emails.iter().map(|e| (*e).to_owned()).collect(),
        ..ImportedContact::default()
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The lines of the problems, and a check that each message contains its fragment.
fn assert_problems(problems: &[Problem], expected: &[(usize, &str)]) {
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    let expected_lines: Vec<usize> = expected.iter().map(|e| e.0).collect();
    assert_eq!(
        lines, expected_lines,
        "problem lines; problems: {problems:#?}"
    );
    for (problem, (_, fragment)) in problems.iter().zip(expected) {
        assert!(
            problem.message.contains(fragment),
            "problem on line {} should mention {fragment:?}: {}",
            problem.line,
            problem.message
        );
    }
}

/// Invariants that hold for any input: no contact without a name or an email, every
/// line number inside the file, every email lowercased and valid.
fn check_invariants(bytes: &[u8], parsed: &ParsedImport) {
    let (text, _) = decode_text(bytes);
    let line_count = normalize_newlines(text).split('\n').count();
    for c in &parsed.contacts {
        assert!(c.name.is_some() || !c.emails.is_empty(), "{c:?}");
        assert!(
            c.line >= 1 && c.line <= line_count,
            "{c:?} in {line_count} lines"
        );
        for e in &c.emails {
            assert!(is_valid_email(e) && *e == e.to_lowercase(), "{e:?}");
        }
        if let Some(name) = &c.name {
            assert_eq!(*name, collapse(name));
            assert!(!name.is_empty());
        }
    }
    for p in &parsed.problems {
        assert!(
            p.line >= 1 && p.line <= line_count,
            "{p:?} in {line_count} lines"
        );
        assert!(!p.message.is_empty());
    }
}

// --- fixtures -------------------------------------------------------------------

#[test]
fn linkedin_export_with_notes_preamble() {
    let parsed = parse(&fixture("linkedin-connections.csv"));
    assert_eq!(parsed.format, Format::LinkedIn);
    assert_eq!(parsed.encoding, TextEncoding::Utf8);
    let linkedin = |slug: &str| some(&format!("https://www.linkedin.com/in/{slug}"));
    let expected = vec![
        ImportedContact {
            company: some("Analytical Engines Ltd"),
            role: some("Chief Programmer"),
            link: linkedin("ada-lovelace-1815"),
            connected_on: some("2024-11-03"),
            ..contact(5, "Ada Lovelace", &["ada@analytical.example"])
        },
        ImportedContact {
            company: some("Haddad, Sons & Partners"),
            role: some("Managing Partner"),
            link: linkedin("omarhaddad"),
            connected_on: some("2024-10-21"),
            ..contact(6, "Omar Haddad", &[])
        },
        ImportedContact {
            company: some("The \"Good\" Bakery GmbH"),
            role: some("Head of Product"),
            link: linkedin("lena-vogel-4b2a1c"),
            connected_on: some("2024-09-09"),
            ..contact(7, "Lena Vogel", &[])
        },
        ImportedContact {
            company: some("Northwind Traders"),
            role: some("Director, Partnerships"),
            link: linkedin("jessicapark"),
            connected_on: some("2024-08-15"),
            ..contact(8, "Jessica Park", &[])
        },
        ImportedContact {
            company: some("Mensah Consulting"),
            role: some("Founder"),
            link: linkedin("kwame-mensah"),
            connected_on: some("2024-07-02"),
            ..contact(9, "Kwame Mensah", &[])
        },
        ImportedContact {
            company: some("Fjord Labs AB"),
            role: some("Staff Engineer"),
            link: linkedin("zoe-angstrom"),
            connected_on: some("2024-06-30"),
            ..contact(10, "Zoë Ångström", &[])
        },
        ImportedContact {
            company: some("Institute of Things"),
            role: some("Research Scientist"),
            link: linkedin("priya-raman-phd"),
            connected_on: some("2024-05-01"),
            ..contact(11, "Priya Raman, PhD", &[])
        },
        ImportedContact {
            company: some("Rossi & Co."),
            role: some("CTO"),
            link: linkedin("marcorossi"),
            connected_on: some("2024-04-12"),
            ..contact(12, "Marco Rossi", &["marco.rossi@example.com"])
        },
        ImportedContact {
            link: linkedin("samoneil"),
            connected_on: some("2024-02-29"),
            ..contact(14, "Sam O'Neil", &[])
        },
        ImportedContact {
            company: some("Wei Holdings, Inc."),
            role: some("VP Engineering"),
            link: linkedin("chenwei"),
            connected_on: some("2023-01-17"),
            ..contact(15, "Chen Wei", &[])
        },
        ImportedContact {
            company: some("Atlas Robotics"),
            role: some("Engineer (Robotics, R&D)"),
            link: linkedin("fatima-zahra"),
            connected_on: some("2022-12-08"),
            ..contact(16, "Fatima Zahra", &[])
        },
        ImportedContact {
            company: some("Starfleet"),
            role: some("Captain"),
            link: linkedin("jlpicard"),
            ..contact(18, "Jean-Luc Picard", &[])
        },
        ImportedContact {
            company: some("US Navy"),
            role: some("Rear Admiral"),
            link: linkedin("gracehopper"),
            connected_on: some("2022-01-05"),
            ..contact(19, "Grace Hopper", &["grace@navy.example.mil"])
        },
    ];
    assert_eq!(parsed.contacts, expected);
    assert_problems(
        &parsed.problems,
        &[
            (9, "\"kwame.mensah@example\" in column \"Email Address\""),
            (13, "neither a name nor an email"),
            (18, "\"31 Nov 2022\" in column \"Connected On\""),
        ],
    );
    let without_email = parsed
        .contacts
        .iter()
        .filter(|c| c.emails.is_empty())
        .count();
    assert_eq!(without_email, 10);
}

#[test]
fn vcard_3_with_folding_groups_and_several_emails() {
    let parsed = parse(&fixture("contacts-v3.vcf"));
    assert_eq!(parsed.format, Format::VCard);
    let expected = vec![
        ImportedContact {
            company: some("Northwind Traders"),
            role: some("Director, Partnerships"),
            link: some("https://www.linkedin.com/in/jessicapark"),
            tags: strings(&["Fintech", "Met at conference"]),
            notes: some(
                "Met at FinTech Week 2024.\nWants intros to payments PMs; follow up in Q1.",
            ),
            ..contact(
                1,
                "Jessica Park",
                &[
                    "jess@park.example",
                    "jessica.park@northwind.example",
                    "jessica@home.example",
                ],
            )
        },
        ImportedContact {
            company: some("Haddad, Sons & Partners"),
            role: some("Managing Partner"),
            link: some("https://haddad-sons.example"),
            ..contact(18, "Omar Haddad", &["omar@haddad-sons.example"])
        },
        ImportedContact {
            company: some("The \"Good\" Bakery GmbH"),
            tags: strings(&["close-friend"]),
            ..contact(30, "Lena Maria Vogel", &["lena@goodbakery.example"])
        },
    ];
    assert_eq!(parsed.contacts, expected);
    assert_problems(
        &parsed.problems,
        &[
            (27, "EMAIL \"not an email\" is not an email address"),
            (37, "neither a name (FN or N) nor an email"),
        ],
    );
}

#[test]
fn vcard_4_with_pref_group_card_and_missing_end() {
    let parsed = parse(&fixture("contacts-v4.vcf"));
    assert_eq!(parsed.format, Format::VCard);
    let expected = vec![
        ImportedContact {
            company: some("Fjord Labs AB"),
            role: some("Staff Engineer"),
            link: some("https://www.linkedin.com/in/zoe-angstrom"),
            tags: strings(&["nordics", "engineering"]),
            notes: some("Prefers async. Intro via Lena."),
            ..contact(
                1,
                "Zoë Ångström",
                &["zoe.angstrom@mail.example", "zoe@fjordlabs.example"],
            )
        },
        ImportedContact {
            company: some("Mensah Consulting"),
            role: some("Founder"),
            notes: some("No email yet — ask at the next meetup."),
            ..contact(21, "Kwame Mensah", &[])
        },
        ImportedContact {
            role: some("Rear Admiral"),
            ..contact(28, "Grace Hopper", &["grace@navy.example.mil"])
        },
    ];
    assert_eq!(parsed.contacts, expected);
    assert_problems(
        &parsed.problems,
        &[(15, "group (KIND:group)"), (28, "no END:VCARD")],
    );
}

#[test]
fn google_contacts_export() {
    let parsed = parse(&fixture("google-contacts.csv"));
    assert_eq!(parsed.format, Format::Csv);
    let expected = vec![
        ImportedContact {
            company: some("The Good Bakery GmbH"),
            role: some("Head of Product"),
            link: some("https://www.linkedin.com/in/lena-vogel-4b2a1c"),
            tags: strings(&["Friends", "Berlin"]),
            notes: some("Met at Berlin meetup, 2023"),
            ..contact(
                2,
                "Lena Vogel",
                &["lena.vogel@goodbakery.example", "lena@vogel.example"],
            )
        },
        ImportedContact {
            company: some("Haddad, Sons & Partners"),
            role: some("Managing Partner"),
            ..contact(
                3,
                "Omar Haddad",
                &["omar@haddad-sons.example", "o.haddad@gmail.example"],
            )
        },
        ImportedContact {
            company: some("Institute of Things"),
            role: some("Research Scientist"),
            tags: strings(&["starred", "Research"]),
            notes: some("Two-line note:\nlikes hiking"),
            ..contact(4, "Priya S. Raman", &[])
        },
        contact(6, "Bob", &["bob@example.org"]),
    ];
    assert_eq!(parsed.contacts, expected);
    assert_problems(&parsed.problems, &[(7, "neither a name nor an email")]);
}

#[test]
fn semicolon_excel_export_in_windows_1252() {
    let bytes = fixture("semicolon-excel.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must not be UTF-8"
    );
    let parsed = parse(&bytes);
    assert_eq!(parsed.format, Format::Csv);
    assert_eq!(parsed.encoding, TextEncoding::Legacy("windows-1252"));
    let expected = vec![
        ImportedContact {
            company: some("Café Olé S.L."),
            role: some("Directeur général"),
            tags: strings(&["Madrid", "clients"]),
            tier: some("close"),
            notes: some("Préfère le café"),
            ..contact(2, "José Álvarez", &["jose.alvarez@empresa.example"])
        },
        ImportedContact {
            company: some("Dubois; Fils & Cie"),
            role: some("Associée"),
            tier: some("regular"),
            notes: some("Rencontrée à Lyon; très sympa"),
            ..contact(3, "Renée Dubois", &["renee@dubois.example"])
        },
        ImportedContact {
            company: some("Zürich Versicherung"),
            role: some("Aktuar"),
            notes: some("€ 500 budget – “quote”"),
            ..contact(4, "François Müller", &[])
        },
    ];
    assert_eq!(parsed.contacts, expected);
    assert_eq!(parsed.problems, vec![]);
}

#[test]
fn plain_csv_with_bom() {
    let bytes = fixture("plain.csv");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "fixture must start with a BOM"
    );
    let parsed = parse(&bytes);
    assert_eq!(parsed.format, Format::Csv);
    assert_eq!(parsed.encoding, TextEncoding::Utf8);
    let expected = vec![
        ImportedContact {
            company: some("Analytical Engines Ltd"),
            role: some("Chief Programmer"),
            link: some("https://www.linkedin.com/in/ada-lovelace-1815"),
            tags: strings(&["math", "history"]),
            tier: some("close"),
            ..contact(2, "Ada Lovelace", &["ada@analytical.example"])
        },
        ImportedContact {
            company: some("US Navy"),
            role: some("Rear Admiral"),
            link: some("https://linkedin.com/in/gracehopper"),
            tags: strings(&["navy", "cobol"]),
            tier: some("regular"),
            notes: some("Said: \"call me in spring\""),
            ..contact(3, "Grace Hopper", &["grace@navy.example.mil"])
        },
        ImportedContact {
            company: some("Bletchley Park"),
            role: some("Cryptanalyst"),
            tier: some("acquaintance"),
            ..contact(5, "Alan Turing", &[])
        },
        contact(8, "Short Row", &["short@example.com"]),
        contact(9, "Linus", &["linus@example.com", "linus@kernel.example"]),
    ];
    assert_eq!(parsed.contacts, expected);
    assert_problems(
        &parsed.problems,
        &[
            (
                5,
                "\"alan@bletchley\" in column \"email\" is not an email address",
            ),
            (6, "neither a name nor an email"),
            (
                7,
                "has 9 fields but the header row has 8, so its values may be in the wrong columns; it was skipped",
            ),
            (8, "has 2 fields but the header row has 8"),
        ],
    );
}

#[test]
fn every_truncation_of_every_fixture_is_read_without_panic() {
    for name in [
        "linkedin-connections.csv",
        "contacts-v3.vcf",
        "contacts-v4.vcf",
        "google-contacts.csv",
        "semicolon-excel.csv",
        "plain.csv",
    ] {
        let bytes = fixture(name);
        let mut read = 0;
        for end in 0..=bytes.len() {
            let prefix = bytes.get(..end).unwrap_or_default();
            if let Ok(parsed) = parse_import(prefix) {
                check_invariants(prefix, &parsed);
                read += 1;
            }
        }
        // Past the header (or first card), every prefix is readable.
        assert!(read > bytes.len() / 2, "{name}: only {read} prefixes read");
    }
}

// --- format detection and errors -------------------------------------------------

#[test]
fn empty_and_blank_files_are_errors() {
    for input in [
        &b""[..],
        b"   \n\r\n\t",
        b"\xEF\xBB\xBF",
        b"\xEF\xBB\xBF\n\n",
    ] {
        assert_eq!(parse_import(input), Err(ImportError::Empty), "{input:?}");
    }
    let message = ImportError::Empty.to_string();
    assert!(message.contains("LinkedIn Connections.csv"), "{message}");
}

#[test]
fn binary_files_are_errors() {
    let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml";
    assert_eq!(parse_import(zip), Err(ImportError::Binary));
    let mut state: u32 = 0x1234_5678;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0] | 1 // no NUL, so the control-character count decides
        })
        .collect();
    assert_eq!(parse_import(&garbage), Err(ImportError::Binary));
    assert!(ImportError::Binary.to_string().contains("saved as CSV"));
    // One NUL byte in otherwise plain text: UTF-16 without a byte-order mark, or binary.
    let mut text = "name,email\nAda,ada@example.com\n".repeat(50).into_bytes();
    text.push(0);
    assert_eq!(parse_import(&text), Err(ImportError::Binary));
}

#[test]
fn header_without_usable_columns_names_found_and_expected_columns() {
    let err = parse_import(b"Phone,Street,City\n+1 555,Main St,Springfield\n");
    let Err(err) = err else {
        panic!("expected an error, got {err:?}")
    };
    assert_eq!(
        err,
        ImportError::NoUsableColumns {
            line: 1,
            found: strings(&["Phone", "Street", "City"]),
        }
    );
    let message = err.to_string();
    for fragment in [
        "line 1",
        "\"Phone\", \"Street\", \"City\"",
        "first name",
        "email address",
    ] {
        assert!(message.contains(fragment), "{fragment:?} not in {message}");
    }
}

#[test]
fn many_found_columns_are_shortened_in_the_message() {
    let header: Vec<String> = (1..=20).map(|i| format!("col{i}")).collect();
    let Err(err) = parse_import(header.join(",").as_bytes()) else {
        panic!("expected an error")
    };
    let message = err.to_string();
    assert!(message.contains("\"col12\", and 8 more"), "{message}");
    assert!(!message.contains("col13"), "{message}");
}

#[test]
fn company_only_header_is_not_usable() {
    assert!(matches!(
        parse_import(b"company;role\nAcme;CEO\n"),
        Err(ImportError::NoUsableColumns { line: 1, .. })
    ));
}

#[test]
fn header_only_file_has_no_contacts() {
    let parsed = parse(b"Name,Email\n");
    assert_eq!(parsed.format, Format::Csv);
    assert_eq!(parsed.contacts, vec![]);
    assert_eq!(parsed.problems, vec![]);
    let parsed = parse(b"First Name,Last Name,URL,Email Address,Company,Position,Connected On");
    assert_eq!(parsed.format, Format::LinkedIn);
    assert_eq!(parsed.contacts, vec![]);
}

#[test]
fn linkedin_without_preamble_and_with_crlf() {
    let input = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n\
                 Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Programmer,3 November 2024\r\n";
    let parsed = parse(input.as_bytes());
    assert_eq!(parsed.format, Format::LinkedIn);
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            company: some("Engines"),
            role: some("Programmer"),
            link: some("https://www.linkedin.com/in/ada"),
            connected_on: some("2024-11-03"),
            ..contact(2, "Ada Lovelace", &[])
        }]
    );
}

#[test]
fn csv_preamble_before_header_is_reported() {
    let parsed = parse(b"Exported from CRM\n2024-11-03\nname,email\nAda,ada@example.com\n");
    assert_eq!(parsed.format, Format::Csv);
    assert_eq!(
        parsed.contacts,
        vec![contact(4, "Ada", &["ada@example.com"])]
    );
    assert_problems(
        &parsed.problems,
        &[(1, "lines 1 to 2 come before the header row on line 3")],
    );
}

#[test]
fn header_is_searched_past_blank_lines_but_not_far_past_text() {
    let input = format!("{}name,email\nAda,ada@example.com\n", "\n".repeat(70));
    let parsed = parse(input.as_bytes());
    assert_eq!(
        parsed.contacts,
        vec![contact(72, "Ada", &["ada@example.com"])]
    );
    let input = format!("{}name,email\n", "some text\n".repeat(MAX_PREAMBLE_LINES));
    assert!(matches!(
        parse_import(input.as_bytes()),
        Err(ImportError::NoUsableColumns { line: 1, .. })
    ));
}

#[test]
fn vcard_found_after_leading_blank_lines_and_in_lower_case() {
    let parsed = parse(b"\n\n  \nbegin:vcard\nversion:3.0\nfn:Ada Lovelace\nend:vcard\n");
    assert_eq!(parsed.format, Format::VCard);
    assert_eq!(parsed.contacts, vec![contact(4, "Ada Lovelace", &[])]);
}

#[test]
fn vcard_after_stray_text_is_still_read() {
    let parsed = parse(b"Exported by PhoneSync\nBEGIN:VCARD\nFN:Ada\nEND:VCARD\nbye\nEND:VCARD\n");
    assert_eq!(parsed.format, Format::VCard);
    assert_eq!(parsed.contacts, vec![contact(2, "Ada", &[])]);
    assert_problems(
        &parsed.problems,
        &[
            (1, "\"Exported by PhoneSync\" is outside any BEGIN:VCARD"),
            (5, "\"bye\" is outside"),
            (6, "END:VCARD without a BEGIN:VCARD"),
        ],
    );
}

#[test]
fn utf16_with_bom_is_decoded() {
    let text = "Name\tEmail\nZoë\tzoe@example.com\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let parsed = parse(&le);
    assert_eq!(parsed.encoding, TextEncoding::Utf16Le);
    assert_eq!(
        parsed.contacts,
        vec![contact(2, "Zoë", &["zoe@example.com"])]
    );
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let parsed = parse(&be);
    assert_eq!(parsed.encoding, TextEncoding::Utf16Be);
    assert_eq!(
        parsed.contacts,
        vec![contact(2, "Zoë", &["zoe@example.com"])]
    );
}

#[test]
fn windows_1252_is_read_with_its_high_range() {
    let (text, encoding) = decode_text(b"Name\nRen\xE9e \x93Bob\x94 M\xFCller \x80\n");
    assert_eq!(text, "Name\nRenée “Bob” Müller €\n");
    assert_eq!(encoding, TextEncoding::Legacy("windows-1252"));
}

#[test]
fn a_shift_jis_export_is_read_as_shift_jis() {
    let bytes = fixture("outlook-shift-jis.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must not be UTF-8"
    );
    let parsed = parse(&bytes);
    assert_eq!(parsed.encoding, TextEncoding::Legacy("Shift_JIS"));
    let names: Vec<_> = parsed.contacts.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, vec![some("山田 太郎"), some("佐藤 花子")]);
    assert_eq!(parsed.contacts[0].company, some("株式会社サンプル"));
    assert_eq!(parsed.contacts[1].role, some("エンジニア"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
}

#[test]
fn a_windows_1251_export_is_read_as_cyrillic() {
    let bytes = fixture("excel-windows-1251.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must not be UTF-8"
    );
    let parsed = parse(&bytes);
    assert_eq!(parsed.encoding, TextEncoding::Legacy("windows-1251"));
    assert_eq!(parsed.contacts[0].name, some("Иван Петров"));
    assert_eq!(parsed.contacts[0].company, some("ООО «Ромашка»"));
    assert_eq!(parsed.contacts[1].role, some("Аналитик"));
    assert_eq!(parsed.contacts[1].emails, strings(&["elena@example.ru"]));
}

#[test]
fn vcard_charsets_are_decoded_by_their_label() {
    let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED\r\nORG;CHARSET=Shift_JIS;ENCODING=QUOTED-PRINTABLE:=93=8C=8B=9E\r\nEMAIL:ivan@example.ru\r\nEND:VCARD\r\n";
    let parsed = parse(card);
    assert_eq!(parsed.contacts[0].name, some("Иван"));
    assert_eq!(parsed.contacts[0].company, some("東京"));
}

mod details;

#[test]
fn a_row_split_by_an_unquoted_comma_is_skipped_not_imported_as_junk() {
    let parsed = parse(
        b"Name,Email,Company,Title\nPark, Jessica,jessica@example.com,Example,PM\nOmar Haddad,omar@acme.example,Acme,CTO\n",
    );
    assert_eq!(
        parsed.contacts,
        vec![ImportedContact {
            company: some("Acme"),
            role: some("CTO"),
            ..contact(3, "Omar Haddad", &["omar@acme.example"])
        }]
    );
    assert_problems(&parsed.problems, &[(2, "it was skipped")]);
}

/// Issue 20.13: a line no export has (a 400 MB one-line file) is refused before any
/// decoding or copying, naming the line.
#[test]
fn an_overlong_line_is_refused_before_it_is_decoded() {
    let mut text = b"Name,Email\n".to_vec();
    text.extend(std::iter::repeat_n(b'a', MAX_LINE_BYTES + 1));
    text.extend_from_slice(b"\nAda,ada@example.org\n");
    assert_eq!(
        parse_import(&text),
        Err(ImportError::LineTooLong { line: 2 })
    );
    let message = ImportError::LineTooLong { line: 2 }.to_string();
    assert!(
        message.contains("line 2 is longer than 16 MiB"),
        "{message}"
    );
    // A long but possible line is read.
    let mut ok = b"Name,Email,Notes\nAda,ada@example.org,".to_vec();
    ok.extend(std::iter::repeat_n(b'n', 100_000));
    ok.push(b'\n');
    assert_eq!(parse_import(&ok).unwrap().contacts.len(), 1);
}
