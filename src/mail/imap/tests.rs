use std::borrow::Cow;
use std::time::Duration;

use imap_proto::{MailboxDatum, Response, Status};

use super::idle::{Heard, classify, silence_limit};
use super::*;

#[test]
fn uid_sets_are_compact() {
    assert_eq!(uid_set(&[5, 1, 2, 3, 9, 12, 13, 14, 3]), "1:3,5,9,12:14");
    assert_eq!(uid_set(&[7]), "7");
    assert_eq!(uid_set(&[]), "");
}

fn data(status: Status, text: &str) -> Response<'static> {
    Response::Data {
        status,
        code: None,
        information: Some(Cow::Owned(text.to_string())),
    }
}

#[test]
fn keep_alives_are_not_changes_and_new_mail_is() {
    assert_eq!(classify(&data(Status::Ok, "Still here")), Heard::KeepAlive);
    assert_eq!(
        classify(&Response::MailboxData(MailboxDatum::Exists(3))),
        Heard::Change
    );
    assert_eq!(
        classify(&Response::MailboxData(MailboxDatum::Recent(1))),
        Heard::Change
    );
    assert_eq!(classify(&Response::Expunge(2)), Heard::Change);
    assert_eq!(classify(&data(Status::Bye, "shutting down")), Heard::Gone);
}

#[test]
fn a_silent_server_is_hung_after_three_keep_alive_intervals() {
    let limit = silence_limit(Duration::from_secs(2));
    assert!(limit >= Duration::from_secs(6), "{limit:?}");
    assert!(limit <= Duration::from_secs(15), "{limit:?}");
    // Dovecot's default two minutes: a stall is noticed within ten.
    assert!(silence_limit(Duration::from_secs(120)) < Duration::from_secs(600));
}
