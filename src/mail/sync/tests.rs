use super::need as judge;
use super::*;
use crate::core::classify::Parsed;
use crate::mail::imap::Special;

fn fetched(sizes: &[u32]) -> Vec<imap::Fetched> {
    sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| imap::Fetched {
            uid: u32::try_from(i).unwrap() + 1,
            size,
            internal_date: None,
            header: Vec::new(),
            oversized: false,
        })
        .collect()
}

#[test]
fn bodies_are_grouped_by_bytes_and_every_header_lands_in_one_group() {
    // 250 messages of 2 MiB each, as in the run that reached 1.09 GB: groups of 8.
    let headers = fetched(&[2 * 1024 * 1024; 250]);
    let wanted = vec![true; 250];
    let groups = body_groups(&headers, &wanted, BODY_BATCH_BYTES);
    assert_eq!(groups.len(), 32);
    let mut seen = 0;
    for g in &groups {
        assert_eq!(g.start, seen, "groups are consecutive");
        seen = g.end;
        let bytes: u64 = headers[g.clone()].iter().map(|f| u64::from(f.size)).sum();
        assert!(bytes <= BODY_BATCH_BYTES, "{bytes}");
    }
    assert_eq!(seen, 250);
}

#[test]
fn unwanted_bodies_cost_nothing_and_a_huge_one_stands_alone() {
    let headers = fetched(&[10, 100_000_000, 10, 5, 7]);
    let wanted = [true, true, false, true, true];
    let groups = body_groups(&headers, &wanted, 1000);
    assert_eq!(groups, vec![0..1, 1..3, 3..5]);
    // Nothing wanted: one group, so the headers are still classified.
    assert_eq!(body_groups(&headers, &[false; 5], 1000), vec![0..5]);
    assert!(body_groups(&[], &[], 1000).is_empty());
}

fn classifier() -> Classifier {
    Classifier {
        user: vec!["ada@example.org".to_string()],
        sent_ids: HashSet::new(),
        tz: jiff::tz::TimeZone::UTC,
        now: "2026-11-30T08:00:00Z".parse().unwrap(),
        reader: None,
        account: String::new(),
    }
}

fn message(extra_header: &str) -> Vec<u8> {
    format!(
        "{extra_header}From: Jessica Park <jessica@example.com>\r\n\
         To: Ada Lovelace <ada@example.org>\r\n\
         Subject: Coffee next week?\r\n\
         Date: Mon, 30 Nov 2026 07:05:00 +0000\r\n\
         Message-ID: <digest-test@example.org>\r\n\
         \r\n\
         Hi Ada, would you have 20 minutes for a call next week?\r\n"
    )
    .into_bytes()
}

#[test]
fn the_digest_header_makes_a_message_bulk_whatever_it_says() {
    let c = classifier();
    let plain = c.prepare(&message(""), None);
    assert_eq!(
        plain.label,
        classify::Label::MeetingRequest,
        "the control reads as a request"
    );
    let digest = c.prepare(&message("X-Rapport-Digest: 1\r\n"), None);
    assert_eq!(digest.label, classify::Label::Bulk);
    let evidence = format!("{:?}", digest.classification.evidence);
    assert!(evidence.contains("X-Rapport-Digest"), "{evidence}");
}

fn header(lines: &str) -> Vec<u8> {
    format!("{lines}Subject: hello\r\nMessage-ID: <h@example.test>\r\n\r\n").into_bytes()
}

#[test]
fn bodies_are_fetched_only_where_they_can_reach_a_timeline() {
    let contacts: HashSet<String> = ["bob@example.test".to_string()].into();
    let sent: HashSet<String> = ["mine-1@example.org".to_string()].into();
    let known = Known {
        contacts: &contacts,
        sent_ids: &sent,
    };
    let need = |lines: &str| judge(&Parsed::new(&header(lines)), 1000, 2_000_000, &known);
    assert_eq!(
        need("From: Bob <BOB@example.test>\r\nTo: ada@example.org\r\n"),
        Need::Body
    );
    assert_eq!(
        need("From: ada@example.org\r\nTo: x@y.test, bob@example.test\r\n"),
        Need::Body
    );
    assert_eq!(
        need("From: dan@else.test\r\nIn-Reply-To: <mine-1@example.org>\r\n"),
        Need::Body,
        "a reply to something the user sent"
    );
    assert_eq!(
        need("From: dan@else.test\r\nReferences: <a@b> <mine-1@example.org>\r\n"),
        Need::Body
    );
    assert_eq!(
        need("From: MAILER-DAEMON@mx.test\r\n"),
        Need::Body,
        "a bounce"
    );
    assert_eq!(
        need(
            "From: x@mx.test\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n"
        ),
        Need::Body
    );
    assert_eq!(
        need("From: dan@else.test\r\nAuto-Submitted: auto-replied\r\n"),
        Need::Body
    );
    assert_eq!(
        need("From: dan@else.test\r\nContent-Type: text/calendar; method=REQUEST\r\n"),
        Need::Body
    );
    assert_eq!(
        need("From: dan@else.test\r\nTo: ada@example.org\r\n"),
        Need::Deferred
    );
    assert_eq!(
        need("From: bob@example.test\r\nList-Id: <l.example>\r\n"),
        Need::Headers,
        "list mail is read from its headers, even a contact's"
    );
    assert_eq!(
        body::need(
            &Parsed::new(&header("From: bob@example.test\r\n")),
            3_000_000,
            2_000_000,
            &known
        ),
        Need::Headers,
        "larger than max_body_bytes"
    );
    assert_eq!(
        body::need(&Parsed::new(b""), 10, 2_000_000, &known),
        Need::Body,
        "no headers at all"
    );
}

#[test]
fn the_headers_the_judgement_skips_do_not_hide_the_ones_it_reads() {
    let contacts: HashSet<String> = ["bob@example.test".to_string()].into();
    let sent = HashSet::new();
    let known = Known {
        contacts: &contacts,
        sent_ids: &sent,
    };
    let need = |lines: &str| judge(&Parsed::new(&header(lines)), 1000, 2_000_000, &known);
    let noise = "Received: from mx.example.test (mx.example.test [192.0.2.1])\r\n\tby me.example.org with ESMTPS id 1; Mon, 2 Nov 2026 10:00:00 +0000\r\nDKIM-Signature: v=1; a=rsa-sha256; d=example.test;\r\n\tb=abc\r\n";
    assert_eq!(
        need(&format!(
            "{noise}From: dan@else.test\r\n{noise}Cc: Bob <bob@example.test>\r\n"
        )),
        Need::Body,
        "a contact in Cc after Received lines"
    );
    assert_eq!(
        need(&format!(
            "{noise}From: dan@else.test\r\nPRECEDENCE: Bulk\r\n"
        )),
        Need::Headers,
        "a header name in any case"
    );
    assert_eq!(
        need("From: dan@else.test\r\nX-Failed-Recipients: bob@example.test\r\n"),
        Need::Body,
        "a header asked only whether it is there"
    );
    assert_eq!(
        need(
            "From: dan@else.test\r\nList-Unsubscribe: <mailto:u@l.test>\r\nTo: bob@example.test\r\n"
        ),
        Need::Headers
    );
    assert_eq!(
        body::need(
            &Parsed::new(b"From: dan@else.test\r\nSubject: =?utf-8?q?Automatic_reply?=\r\nMessage-ID: <e@else.test>\r\n\r\n"),
            1000,
            2_000_000,
            &known
        ),
        Need::Body,
        "an encoded subject is decoded"
    );
}

fn imap_config(extra: &str) -> crate::config::Imap {
    toml::from_str(&format!(
        "host = \"imap.example.org\"\npassword_command = \"true\"\n{extra}"
    ))
    .unwrap()
}

#[test]
fn the_sent_folder_is_read_before_the_inbox_unless_the_user_chose_an_order() {
    let folders = [
        imap::Folder {
            name: "INBOX".into(),
            special: None,
            selectable: true,
        },
        imap::Folder {
            name: "Sent Items".into(),
            special: Some(Special::Sent),
            selectable: true,
        },
    ];
    let cfg = imap_config("");
    assert_eq!(choose_folders(&cfg, &folders), ["Sent Items", "INBOX"]);
    // No \Sent folder: the inbox alone; a named one comes first.
    assert_eq!(choose_folders(&cfg, &folders[..1]), ["INBOX"]);
    let named = imap_config("sent_folder = \"Outbox\"");
    assert_eq!(choose_folders(&named, &[]), ["Outbox", "INBOX"]);
    // The user's own order is kept, whatever it is.
    let own = imap_config("folders = [\"INBOX\", \"Sent\"]");
    assert_eq!(choose_folders(&own, &folders), ["INBOX", "Sent"]);
}
