use super::*;

fn fetched(sizes: &[u32]) -> Vec<imap::Fetched> {
    sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| imap::Fetched {
            uid: u32::try_from(i).unwrap() + 1,
            size,
            internal_date: None,
            header: Vec::new(),
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
        plain.label, "meeting_request",
        "the control reads as a request"
    );
    let digest = c.prepare(&message("X-Rapport-Digest: 1\r\n"), None);
    assert_eq!(digest.label, "bulk");
    let evidence = digest.classification["evidence"].to_string();
    assert!(evidence.contains("X-Rapport-Digest"), "{evidence}");
}
