use super::*;

#[test]
fn neutralises_nested_message_types() {
    let raw = b"Content-Type: Message/RFC822\r\n\r\nContent-Type: multipart/ (c) digest; boundary=x\r\nmessage/delivery-status";
    let out = neutralise_nesting(raw);
    let s = String::from_utf8_lossy(&out);
    assert!(s.contains("Messagx/RFC822"), "{s}");
    assert!(s.contains("multipart/ (c) digesx"), "{s}");
    assert!(s.contains("message/delivery-status"), "{s}");
    assert_eq!(out.len(), raw.len());
}

#[test]
fn leaves_clean_input_borrowed() {
    let raw = b"Subject: hi\n\nmessage body, multipart words";
    assert!(matches!(neutralise_nesting(raw), Cow::Borrowed(_)));
}

fn deep(n: usize, encoded: bool) -> Vec<u8> {
    let inner = "From: a@b\nContent-Type: message/rfc822\n\n".repeat(n) + "From: x\n\nhi\n";
    let mut s = String::from("From: a@b\nSubject: deep\nContent-Type: message/rfc822\n");
    if encoded {
        s.push_str("Content-Transfer-Encoding: quoted-printable\n\n");
    } else {
        s.push('\n');
    }
    s.push_str(&inner);
    s.into_bytes()
}

/// Runs on a deliberately small stack: parsing and dropping must not
/// recurse per nesting level.
#[test]
fn deep_nested_messages_do_not_overflow_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let a = parse_mail(&deep(20_000, false));
            let b = parse_mail(&deep(20_000, true));
            (a.subject, b.subject)
        });
    let joined = handle.map(std::thread::JoinHandle::join);
    match joined {
        Ok(Ok((a, b))) => {
            assert_eq!(a.as_deref(), Some("deep"));
            assert_eq!(b.as_deref(), Some("deep"));
        }
        other => panic!("thread failed: {other:?}"),
    }
}

#[test]
fn headerless_garbage_is_tolerated() {
    let m = parse_mail(b"\x00\xff\xfe garbage");
    assert!(m.subject.is_none());
}

#[test]
fn enclosed_id_is_read_from_headers_only() {
    let id = enclosed_message_id(b"From: a@b\r\nMessage-ID: <abc@x.y>\r\n\r\nbody");
    assert_eq!(id.as_deref(), Some("abc@x.y"));
}
