use super::is_email;

#[test]
fn people_s_addresses_pass() {
    for good in [
        "a@b.co",
        "a.b@example.co.uk",
        "first.last+tag@sub.example.org",
        "o'neil@example.ie",
        "zoë@exämple.se",
        "x-y_z@mail-1.example.com",
    ] {
        assert!(is_email(good), "{good}");
    }
}

#[test]
fn anything_else_fails() {
    let long_local = format!("{}@example.com", "a".repeat(65));
    let long = format!("a@{}.com", "b".repeat(250));
    for bad in [
        "",
        "a",
        "plain",
        "a@b",
        "@b.co",
        "@b.c",
        "a@",
        "a@.c",
        "a@@b.co",
        "a@b@c.co",
        "a b@c.d",
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
        "\"a b\"@c.co",
        "a@[127.0.0.1]",
        "a@b.c\r\nBcc: x@y.z",
        " a@b.co",
        long_local.as_str(),
        long.as_str(),
    ] {
        assert!(!is_email(bad), "{bad:?}");
    }
}
