use super::*;
use crate::contacts::import::parse_import;

fn now() -> Timestamp {
    "2026-11-22T09:00:00Z".parse().unwrap()
}

fn import(s: &mut Store, csv: &[u8]) -> MergeReport {
    merge(s, &parse_import(csv).unwrap(), now()).unwrap()
}

#[test]
fn twice_adds_nothing_and_merges_by_email_link_name() {
    let mut s = Store::open_in_memory().unwrap();
    let csv = b"Name,Email,Company,LinkedIn\nJessica Park,jessica@example.com,Example,https://www.linkedin.com/in/jpark\nOmar Haddad,,Acme,https://www.linkedin.com/in/omar\n";
    let r = import(&mut s, csv);
    assert_eq!(
        (r.added, r.merged, r.unchanged, r.without_email),
        (2, 0, 0, 1)
    );
    let r = import(&mut s, csv);
    assert_eq!((r.added, r.merged, r.unchanged), (0, 0, 2));
    assert!(r.changes.is_empty());

    // A later export gives Omar an email: found by link, address and role added.
    let csv2 = b"Name,Email,LinkedIn,Title\nOmar Haddad,omar@acme.example,https://www.linkedin.com/in/omar/,CTO\n";
    let r = import(&mut s, csv2);
    assert_eq!((r.added, r.merged), (0, 1));
    let omar = s.find_contacts("omar@acme.example").unwrap();
    assert_eq!(omar.len(), 1);
    assert_eq!(omar[0].role, "CTO");
    assert_eq!(
        omar[0].company, "Acme",
        "a company the record lacks is kept"
    );
    assert_eq!(s.contacts().unwrap().len(), 2);

    // By exact name alone, nothing is overwritten.
    let r = import(&mut s, b"Name,Company\njessica park,Other Co\n");
    assert_eq!((r.added, r.unchanged), (0, 1), "found by name: unchanged");
    let j = s.find_contacts("jessica@example.com").unwrap();
    assert_eq!(j[0].company, "Example");
}

#[test]
fn two_jessica_parks_with_different_addresses_stay_two_and_the_import_says_so() {
    let mut s = Store::open_in_memory().unwrap();
    import(&mut s, b"Name,Email\nJessica Park,jessica@example.com\n");
    let r = import(&mut s, b"Name,Email\nJessica Park,jpark@other.example\n");
    assert_eq!((r.added, r.merged), (1, 0));
    assert_eq!(s.contacts().unwrap().len(), 2);
    let p = &r.problems[0];
    assert_eq!(p.line, 2);
    assert!(
        p.message.contains("different email address"),
        "{}",
        p.message
    );
    assert!(p.message.contains("separate contact"), "{}", p.message);
    // A different profile link says the same.
    import(
        &mut s,
        b"Name,LinkedIn\nOmar Haddad,https://www.linkedin.com/in/omar\n",
    );
    let r = import(
        &mut s,
        b"Name,LinkedIn\nOmar Haddad,https://www.linkedin.com/in/omar-h\n",
    );
    assert_eq!(r.added, 1);
    assert!(r.problems[0].message.contains("different profile link"));
    // Two Omars now: a record with only the name is neither merged nor added.
    let r = import(&mut s, b"Name,Company\nOmar Haddad,Acme\n");
    assert_eq!((r.added, r.merged, r.unchanged), (0, 0, 0));
    assert!(r.skipped[0].message.contains("2 contacts have that name"));
}

#[test]
fn a_file_that_makes_a_name_ambiguous_imports_the_same_way_twice() {
    // Found by the fuzz harness: the first import merged the address-less record by
    // name, then a namesake made the name ambiguous, so the second import added it.
    let mut s = Store::open_in_memory().unwrap();
    let csv = b"Name,Email\nElena Smirnova,elena@example.ru\nElena Smirnova,\nElena Smirnova,slena@example.ru\n";
    assert_eq!(import(&mut s, csv).added, 2);
    let again = import(&mut s, csv);
    assert_eq!(again.added, 0, "{again:?}");
}

#[test]
fn a_name_match_without_contradiction_is_merged() {
    let mut s = Store::open_in_memory().unwrap();
    import(&mut s, b"Name,Company\nLena Ortiz,Initech\n");
    let r = import(&mut s, b"Name,Email\nLena Ortiz,lena@initech.example\n");
    assert_eq!((r.added, r.merged), (0, 1));
    assert_eq!(s.contacts().unwrap().len(), 1);
    assert!(r.problems.is_empty());
}

#[test]
fn a_reimport_with_a_new_company_and_role_updates_them_and_says_so() {
    let mut s = Store::open_in_memory().unwrap();
    import(
        &mut s,
        b"Name,Email,Company,Title\nJessica Park,jessica@example.com,Example,PM\n",
    );
    let r = import(
        &mut s,
        b"Name,Email,Company,Title\nJessica Park,jessica@example.com,Newco,Head of Product\n",
    );
    assert_eq!(r.merged, 1);
    let fields: Vec<(&str, &str, &str)> = r
        .changes
        .iter()
        .map(|c| (c.field, c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("company", "Example", "Newco"),
            ("role", "PM", "Head of Product")
        ]
    );
    let j = &s.find_contacts("jessica@example.com").unwrap()[0];
    assert_eq!(
        (j.company.as_str(), j.role.as_str()),
        ("Newco", "Head of Product")
    );
}

#[test]
fn a_dry_run_reports_what_would_change_and_writes_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    import(
        &mut s,
        b"Name,Email,Company\nJessica Park,jessica@example.com,Example\n",
    );
    let parsed = parse_import(
        b"Name,Email,Company\nJessica Park,jessica@example.com,Newco\nOmar Haddad,omar@acme.example,Acme\n",
    )
    .unwrap();
    let r = dry_run(&mut s, &parsed, now()).unwrap();
    assert!(r.dry_run);
    assert_eq!((r.added, r.merged), (1, 1));
    assert_eq!(r.changes.len(), 1);
    assert!(r.added_ids.is_empty());
    assert_eq!(s.contacts().unwrap().len(), 1, "nothing written");
    assert_eq!(s.contacts().unwrap()[0].company, "Example");
    // The real import then does exactly that.
    let real = merge(&mut s, &parsed, now()).unwrap();
    assert_eq!((real.added, real.merged, real.changes), (1, 1, r.changes));
}

#[test]
fn linkedin_fixture_imports_with_counts() {
    let mut s = Store::open_in_memory().unwrap();
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/linkedin-connections.csv"
    ))
    .unwrap();
    let parsed = parse_import(&bytes).unwrap();
    let r = merge(&mut s, &parsed, now()).unwrap();
    assert!(r.added > 0);
    assert!(r.without_email > 0, "most LinkedIn rows have no email");
    assert_eq!(s.contacts().unwrap().len(), r.added);
    let again = merge(&mut s, &parsed, now()).unwrap();
    assert_eq!(again.added, 0);
    assert_eq!(again.merged, 0);
}

#[test]
fn linkedin_connected_on_is_kept_as_when_you_met_once() {
    let mut s = Store::open_in_memory().unwrap();
    let csv = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nJessica,Park,https://www.linkedin.com/in/jpark,,Example,PM,03 Nov 2024\n";
    import(&mut s, csv);
    import(&mut s, csv);
    let c = &s.contacts().unwrap()[0];
    let timeline = s.interactions(c.id).unwrap();
    assert_eq!(timeline.len(), 1, "{timeline:?}");
    assert_eq!(crate::store::fmt_ts(timeline[0].at), "2024-11-03T12:00:00Z");
    assert_eq!(timeline[0].kind, InteractionKind::Note);
    assert_eq!(timeline[0].summary, "Connected on LinkedIn");
}

#[test]
fn a_name_with_a_control_character_is_found_again_on_a_second_import() {
    // Found by the fuzz harness: the stored name had the control character dropped, the
    // lookup did not, so every re-import added the contact again.
    let mut s = Store::open_in_memory().unwrap();
    let csv = b"Name,Company\nLena\x02 Ortiz,Initech\n";
    assert_eq!(import(&mut s, csv).added, 1);
    let again = import(&mut s, csv);
    assert_eq!((again.added, again.unchanged), (0, 1));
}

#[test]
fn one_name_repeated_with_links_holding_control_characters_is_found_again() {
    // The fuzz harness's shape: one name, many links. Stored links lose their control
    // characters, so the lookup must use the link as it would be stored, or a second
    // import finds none of the namesakes and adds them all again.
    let mut s = Store::open_in_memory().unwrap();
    let csv = b"Name,Company,LinkedIn\nAnn Lee,A,https://l.example/a\x01\nAnn Lee,B,https://l.example/\x02b\nAnn Lee,C,https://l.example/c\x7f\n";
    let r = import(&mut s, csv);
    assert_eq!(r.added, 3, "three links, three people");
    let r = import(&mut s, csv);
    assert_eq!((r.added, r.unchanged), (0, 3), "{:?}", r.problems);
    assert_eq!(s.contacts().unwrap().len(), 3);
}

#[test]
fn a_linkedin_export_with_a_preamble_and_few_emails_imports_with_its_batch_tier_and_tag() {
    let mut s = Store::open_in_memory().unwrap();
    let csv = b"Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nJessica,Park,https://www.linkedin.com/in/jpark,,Example,PM,12 Mar 2024\nOmar,Haddad,https://www.linkedin.com/in/omar,omar@acme.example,Acme,CTO,03 Nov 2021\nLena,Vogel,https://www.linkedin.com/in/lena,,,,01 Jan 2020\n";
    let parsed = parse_import(csv).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let batch = Batch {
        tier: Some(Tier::Acquaintance),
        tags: vec!["linkedin".into()],
    };
    let r = merge_with(&mut s, &parsed, &batch, now()).unwrap();
    assert_eq!((r.added, r.without_email), (3, 2));
    for c in s.contacts().unwrap() {
        assert_eq!(c.tier, Tier::Acquaintance, "{}", c.name);
        assert_eq!(c.tags, ["linkedin"], "{}", c.name);
        assert_eq!(c.source, "import");
    }
    // Imported people are history: none of them is new this month.
    let since = "2026-11-01T00:00:00Z".parse().unwrap();
    assert!(s.contacts_added_since(since).unwrap().is_empty());
    assert_eq!(
        s.count_contacts_added_since(since).unwrap(),
        0,
        "status agrees"
    );
    s.add_contact(
        &NewContact {
            name: "Met Today".into(),
            emails: vec!["met@example.com".into()],
            source: "manual".into(),
            ..NewContact::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(s.contacts_added_since(since).unwrap().len(), 1);
    assert_eq!(s.count_contacts_added_since(since).unwrap(), 1);
}

#[test]
fn a_vcard_note_and_rev_become_a_note_and_how_you_met_once() {
    let mut s = Store::open_in_memory().unwrap();
    let vcf = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.com\r\nNOTE:met at the Lisbon meetup\\, wants intros\r\nREV:20240312T101500Z\r\nEND:VCARD\r\n";
    let parsed = parse_import(vcf).unwrap();
    merge(&mut s, &parsed, now()).unwrap();
    merge(&mut s, &parsed, now()).unwrap();
    let c = &s.contacts().unwrap()[0];
    let timeline = s.interactions(c.id).unwrap();
    assert_eq!(timeline.len(), 2, "{timeline:?}");
    assert_eq!(crate::store::fmt_ts(timeline[0].at), "2024-03-12T12:00:00Z");
    assert_eq!(timeline[0].message_key, crate::store::MET_KEY);
    assert!(
        timeline[0].summary.contains("vCard"),
        "{}",
        timeline[0].summary
    );
    assert_eq!(timeline[1].kind, InteractionKind::Note);
    assert_eq!(
        timeline[1].summary,
        "met at the Lisbon meetup, wants intros"
    );
}

#[test]
fn a_dry_run_lists_each_addition_and_change() {
    let mut s = Store::open_in_memory().unwrap();
    import(
        &mut s,
        b"Name,Email,Company\nJessica Park,jessica@example.com,Old Co\n",
    );
    let parsed = parse_import(
        b"Name,Email,Company,Date Added\nJessica Park,jessica@example.com,New Co,2023-05-01\nOmar Haddad,,Acme,2022-01-02\n",
    )
    .unwrap();
    let r = dry_run(&mut s, &parsed, now()).unwrap();
    assert_eq!(
        r.additions,
        [Addition {
            line: 3,
            name: "Omar Haddad".into(),
            email: String::new()
        }]
    );
    assert_eq!(r.changes.len(), 1);
    assert_eq!(
        (r.changes[0].from.as_str(), r.changes[0].to.as_str()),
        ("Old Co", "New Co")
    );
    assert_eq!(s.contacts().unwrap().len(), 1, "a dry run writes nothing");
}
