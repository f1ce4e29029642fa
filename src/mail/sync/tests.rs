use super::*;

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
