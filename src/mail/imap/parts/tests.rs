use super::*;

/// The plan for the BODYSTRUCTURE in a server's FETCH line.
fn plan_of(line: &str) -> Option<Plan> {
    let (_, r) = imap_proto::parser::parse_response(line.as_bytes()).unwrap();
    let imap_proto::Response::Fetch(_, attrs) = r else {
        panic!("not a FETCH: {line}");
    };
    attrs.iter().find_map(|a| match a {
        imap_proto::AttributeValue::BodyStructure(bs) => Some(plan(bs)),
        _ => None,
    })?
}

/// mixed(alternative(text/plain, text/html), text/calendar, a 5 MB application/pdf).
const MIXED: &str = "* 1 FETCH (UID 7 BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 20 1 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 30 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"alt\") NIL NIL NIL)(\"text\" \"calendar\" (\"method\" \"REQUEST\") NIL NIL \"7bit\" 300 10 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"deck.pdf\") NIL NIL \"base64\" 5000000 NIL (\"attachment\" (\"filename\" \"deck.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL))\r\n";

#[test]
fn a_large_attachment_is_left_out_and_everything_else_fetched() {
    let p = plan_of(MIXED).expect("a plan");
    assert_eq!(
        p.items(100),
        [
            "BODY.PEEK[1.MIME]",
            "BODY.PEEK[1.1.MIME]",
            "BODY.PEEK[1.1]<0.100>",
            "BODY.PEEK[1.2.MIME]",
            "BODY.PEEK[1.2]<0.100>",
            "BODY.PEEK[2.MIME]",
            "BODY.PEEK[2]<0.100>",
            "BODY.PEEK[3.MIME]",
        ]
    );
    let mut got: HashMap<String, Vec<u8>> = [
        (
            "1.MIME",
            "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n",
        ),
        ("1.1.MIME", "Content-Type: text/plain\r\n\r\n"),
        ("1.1", "hello"),
        ("1.2.MIME", "Content-Type: text/html\r\n"),
        ("1.2", "<p>hello</p>"),
        ("2.MIME", ""),
        ("2", "BEGIN:VCALENDAR"),
        ("3.MIME", "Content-Type: application/pdf; name=\"deck.pdf\""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
    .collect();
    let text = String::from_utf8(p.rebuild(&got).unwrap()).unwrap();
    assert_eq!(
        text,
        "--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
         --alt\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
         --alt\r\nContent-Type: text/html\r\n\r\n<p>hello</p>\r\n--alt--\r\n\r\n\
         --outer\r\n\r\nBEGIN:VCALENDAR\r\n\
         --outer\r\nContent-Type: application/pdf; name=\"deck.pdf\"\r\n\r\n\r\n--outer--\r\n"
    );
    got.remove("1.2");
    assert_eq!(p.rebuild(&got), None, "a part that did not come: no text");
}

#[test]
fn nothing_to_leave_out_or_nothing_to_follow_gives_no_plan() {
    // One part: the text is the body.
    assert_eq!(
        plan_of(
            "* 1 FETCH (UID 1 BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 20 1 NIL NIL NIL NIL))\r\n"
        ),
        None
    );
    // A small attachment is fetched with the rest: a TEXT fetch does as well.
    let small = MIXED.replace("5000000", "900");
    assert_eq!(plan_of(&small), None);
    // A large image without its multipart's boundary: cannot be put back together.
    let unbounded = MIXED.replace("(\"boundary\" \"outer\")", "NIL");
    assert_eq!(plan_of(&unbounded), None);
    // A calendar object sent as an application, however large, is read.
    let ics = MIXED.replace("\"application\" \"pdf\"", "\"application\" \"ics\"");
    assert_eq!(plan_of(&ics), None);
}

#[test]
fn sections_are_keyed_by_their_path() {
    assert_eq!(
        section_key(&SectionPath::Part(vec![1, 2], None)).as_deref(),
        Some("1.2")
    );
    assert_eq!(
        section_key(&SectionPath::Part(vec![3], Some(MessageSection::Mime))).as_deref(),
        Some("3.MIME")
    );
    assert_eq!(section_key(&SectionPath::Full(MessageSection::Text)), None);
}
