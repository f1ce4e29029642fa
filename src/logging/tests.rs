use super::*;

#[test]
fn the_mail_libraries_wire_traces_are_never_logged() {
    use tracing::Level;
    for target in [
        "async_imap::imap_stream",
        "async_imap",
        "lettre::transport::smtp::client::connection",
        "imap_proto::parser",
        "ureq::unversioned::transport::tcp",
        "ureq_proto::client",
    ] {
        assert!(carries_wire(target, Level::TRACE), "{target}");
        assert!(carries_wire(target, Level::DEBUG), "{target}");
        assert!(!carries_wire(target, Level::WARN), "{target}");
    }
    assert!(!carries_wire("rapport::mail::sync", Level::TRACE));
    assert!(!carries_wire("async_imapx", Level::TRACE));
    assert!(!carries_wire("rustls::client", Level::DEBUG));
}

#[test]
fn the_daemon_speaks_at_info_and_other_crates_stay_at_warn() {
    assert_eq!(default_filter(0, false), "warn");
    assert_eq!(default_filter(0, true), "warn,rapport=info");
    assert_eq!(default_filter(2, false), "warn,rapport=debug");
    for v in 0..4 {
        for d in [false, true] {
            assert!(default_filter(v, d).starts_with("warn"), "{v} {d}");
        }
    }
}
