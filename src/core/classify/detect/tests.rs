use super::dsn::{parse_dsn, status_code};
use super::reply::{is_machine_sender, reply_prefix};

#[test]
fn dsn_groups_without_blank_lines() {
    let t = "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@x.org\nAction: delayed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 450 try\n later";
    let r = parse_dsn(t);
    assert_eq!(r.len(), 2);
    assert_eq!(
        r.first().and_then(|x| x.final_recipient.clone()).as_deref(),
        Some("a@x.org")
    );
    assert_eq!(
        r.get(1).and_then(|x| x.diagnostic.clone()).as_deref(),
        Some("450 try later")
    );
}

#[test]
fn status_codes() {
    assert_eq!(
        status_code("smtp; 550 5.1.1 <a@b> user unknown").as_deref(),
        Some("5.1.1")
    );
    assert_eq!(
        status_code("Status: 4.4.7 (delivery expired)").as_deref(),
        Some("4.4.7")
    );
    assert_eq!(status_code("version 1.2.3"), None);
}

#[test]
fn reply_prefixes() {
    assert_eq!(reply_prefix("Re: hi"), Some("re:"));
    assert_eq!(reply_prefix("AW: Termin"), Some("aw:"));
    assert_eq!(reply_prefix("[Test1] Re: x"), Some("re:"));
    assert_eq!(reply_prefix("R: R: I: x"), Some("r:"));
    assert_eq!(reply_prefix("Re[2]: x"), Some("Re[n]:"));
    assert_eq!(reply_prefix("Regarding the meeting"), None);
    assert_eq!(reply_prefix("回复：会议"), Some("回复："));
}

#[test]
fn machine_senders() {
    assert!(is_machine_sender("noreply@x.com"));
    assert!(is_machine_sender("no-reply+abc@x.com"));
    assert!(!is_machine_sender("norene@x.com"));
}
