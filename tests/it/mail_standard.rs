//! Issue 9: every kind of draft, with ordinary, long and non-ASCII names and subjects,
//! is standard mail — read back by two independent parsers (mail-parser, and Python's
//! `email` package with `policy.strict`, which raises on any defect) and checked rule by
//! rule: `MIME-Version: 1.0`, no line over 998 octets (headers within 78), `Date`,
//! `Message-ID`, `In-Reply-To` and `References` right for threads, and the text the
//! user approved coming back unchanged.

use std::process::Command;

use rapport::core::render::{self, Envelope, Rendered, Templates};

const PYTHON: &str = "/usr/bin/python3";

/// A message as composed, with what it must say.
struct Case {
    label: String,
    bytes: Vec<u8>,
    to_name: String,
    subject: String,
    body: String,
    message_id: String,
    in_reply_to: String,
    references: Vec<String>,
}

fn names() -> Vec<(&'static str, String)> {
    vec![
        ("plain", "Jessica Park".to_string()),
        ("accents", "Zoë Ångström-Müller".to_string()),
        ("cjk", "山田 太郎".to_string()),
        (
            "quotes",
            "Park, Jessica \"Jess\" (Example Corp)".to_string(),
        ),
        ("long ascii word", "J".repeat(1106)),
        (
            "long words",
            "Maximilian-Alexander ".repeat(60).trim().to_string(),
        ),
        (
            "long non-ascii",
            "Bénédicte ".repeat(120).trim().to_string(),
        ),
    ]
}

fn subjects() -> Vec<(&'static str, String)> {
    vec![
        ("template subject", String::new()),
        ("accents", "Café à Zürich — nächste Woche?".to_string()),
        ("long ascii word", format!("Re: {}", "x".repeat(1200))),
        (
            "long mixed",
            "Über ein Gespräch über die nächsten Wochen ".repeat(30),
        ),
    ]
}

fn cases() -> Vec<Case> {
    let templates = Templates::new(Vec::new());
    let mut out = Vec::new();
    for (kind, threaded) in [
        ("meeting-request", false),
        ("nudge", true),
        ("thank-you", true),
        ("check-in", false),
    ] {
        for (name_label, name) in names() {
            for (subject_label, subject) in subjects() {
                let mut data = render::sample_data();
                data.contact.name = name.clone();
                data.contact.first_name = render::first_name(&name);
                if !subject.is_empty() {
                    data.request.subject = subject.clone();
                }
                let rendered = templates.render(kind, &data).unwrap();
                let rendered = if subject.is_empty() {
                    rendered
                } else if threaded {
                    Rendered {
                        subject: render::reply_subject(&subject),
                        body: rendered.body,
                    }
                } else {
                    Rendered {
                        subject: subject.trim().to_string(),
                        body: rendered.body,
                    }
                };
                let refs: Vec<String> = if threaded {
                    vec![
                        "rapport.1.first@example.org".into(),
                        "their-reply.2@mail.example.com".into(),
                    ]
                } else {
                    Vec::new()
                };
                let message_id = format!("rapport.{}.{}@example.org", out.len(), kind);
                let in_reply_to = refs.last().cloned().unwrap_or_default();
                let env = Envelope {
                    from_name: "Ada Lovelace",
                    from_addr: "ada@example.org",
                    to_name: &name,
                    to_addr: "jessica@example.com",
                    cc: None,
                    message_id: &message_id,
                    in_reply_to: &in_reply_to,
                    references: &refs,
                };
                let composed = render::compose(&env, &rendered).unwrap();
                let bytes = render::stamp_date(
                    &composed,
                    "2026-11-23T09:00:00Z".parse().unwrap(),
                    &jiff::tz::TimeZone::get("Europe/Berlin").unwrap(),
                );
                out.push(Case {
                    label: format!("{kind} / name: {name_label} / subject: {subject_label}"),
                    bytes,
                    to_name: name.clone(),
                    subject: rendered.subject.clone(),
                    body: rendered.body.clone(),
                    message_id,
                    in_reply_to,
                    references: refs,
                });
            }
        }
    }
    out
}

/// Whether a display name needs more than one encoded-word (see `render::headers`).
fn split_across_encoded_words(name: &str) -> bool {
    let foldable_ascii = name.is_ascii() && name.split_whitespace().all(|w| w.len() <= 60);
    !foldable_ascii && name.len() > 45
}

fn header_block(bytes: &[u8]) -> &str {
    let text = std::str::from_utf8(bytes).unwrap();
    text.split_once("\r\n\r\n").unwrap().0
}

#[test]
fn line_limits_and_required_headers() {
    for c in cases() {
        let text = std::str::from_utf8(&c.bytes).expect("mail is UTF-8 at most");
        assert!(text.ends_with("\r\n"), "{}", c.label);
        assert!(
            !text.replace("\r\n", "").contains(['\r', '\n']),
            "{}: bare CR or LF",
            c.label
        );
        for line in text.split("\r\n") {
            assert!(
                line.len() <= 998,
                "{}: a {}-octet line",
                c.label,
                line.len()
            );
        }
        let headers = header_block(&c.bytes);
        for line in headers.split("\r\n") {
            assert!(line.is_ascii(), "{}: non-ASCII header {line:?}", c.label);
            assert!(
                line.len() <= 78,
                "{}: a {}-octet header line: {line}",
                c.label,
                line.len()
            );
        }
        let names: Vec<&str> = headers
            .split("\r\n")
            .filter(|l| !l.starts_with([' ', '\t']))
            .filter_map(|l| l.split_once(':').map(|(n, _)| n))
            .collect();
        for required in [
            "Date",
            "From",
            "To",
            "Subject",
            "Message-ID",
            "MIME-Version",
        ] {
            assert_eq!(
                names
                    .iter()
                    .filter(|n| n.eq_ignore_ascii_case(required))
                    .count(),
                1,
                "{}: {required} once: {names:?}",
                c.label
            );
        }
        assert!(headers.contains("MIME-Version: 1.0\r\n"), "{}", c.label);
        let threaded = !c.references.is_empty();
        for h in ["In-Reply-To", "References"] {
            assert_eq!(names.contains(&h), threaded, "{}: {h}", c.label);
        }
    }
}

#[test]
fn mail_parser_reads_back_what_was_approved() {
    for c in cases() {
        let m = mail_parser::MessageParser::default()
            .parse(&c.bytes)
            .unwrap_or_else(|| panic!("{}: unparseable", c.label));
        assert_eq!(m.subject(), Some(c.subject.as_str()), "{}", c.label);
        let to = m.to().and_then(|a| a.first()).unwrap();
        assert_eq!(to.name(), Some(c.to_name.as_str()), "{}", c.label);
        assert_eq!(to.address(), Some("jessica@example.com"), "{}", c.label);
        assert_eq!(m.message_id(), Some(c.message_id.as_str()), "{}", c.label);
        let date = m.date().unwrap();
        assert_eq!(
            date.to_rfc3339(),
            "2026-11-23T10:00:00+01:00",
            "{}",
            c.label
        );
        if c.references.is_empty() {
            assert!(m.in_reply_to().is_empty(), "{}", c.label);
        } else {
            assert_eq!(
                m.in_reply_to().as_text(),
                Some(c.in_reply_to.as_str()),
                "{}",
                c.label
            );
            let refs: Vec<&str> = m
                .references()
                .as_text_list()
                .map(|l| l.iter().map(AsRef::as_ref).collect())
                .unwrap_or_default();
            assert_eq!(refs, c.references, "{}", c.label);
        }
        let body = m.body_text(0).unwrap().replace("\r\n", "\n");
        assert_eq!(body, c.body, "{}", c.label);
    }
}

/// Python's parser, with `policy.strict`: any defect it registers is an error.
#[test]
fn python_email_strict_reads_back_what_was_approved() {
    let cases = cases();
    let dir = tempfile::tempdir().unwrap();
    for (i, c) in cases.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i:04}.eml")), &c.bytes).unwrap();
    }
    let script = r#"
import email, json, os, sys
from email import policy
from email.parser import BytesParser
out = []
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        m = BytesParser(policy=policy.strict).parse(f)
    defects = [type(x).__name__ for x in m.defects]
    for part in m.walk():
        defects += [type(x).__name__ for x in part.defects]
    for h in ("subject", "to", "from", "message-id", "date", "in-reply-to", "references"):
        v = m[h]
        if v is not None:
            defects += [type(x).__name__ for x in getattr(v, "defects", ())]
    to = m["to"].addresses[0]
    out.append({
        "defects": defects,
        "mime": m["mime-version"],
        "subject": str(m["subject"]),
        "to_name": to.display_name,
        "to_addr": to.addr_spec,
        "message_id": str(m["message-id"]),
        "date": m["date"].datetime.isoformat(),
        "in_reply_to": str(m["in-reply-to"] or ""),
        "references": str(m["references"] or "").split(),
        "body": m.get_content(),
    })
print(json.dumps(out))
"#;
    let run = Command::new(PYTHON)
        .args(["-I", "-c", script])
        .arg(dir.path())
        .output()
        .expect("running /usr/bin/python3");
    assert!(
        run.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let parsed: Vec<serde_json::Value> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(parsed.len(), cases.len());
    for (c, p) in cases.iter().zip(&parsed) {
        let l = &c.label;
        assert_eq!(p["defects"], serde_json::json!([]), "{l}");
        assert_eq!(p["mime"], "1.0", "{l}");
        assert_eq!(p["subject"], c.subject.as_str(), "{l}");
        if split_across_encoded_words(&c.to_name) {
            // CPython's address parser puts a space at each join of adjacent
            // encoded-words (RFC 2047 6.2 says to drop that whitespace, as mail-parser
            // does, checked above); the name is otherwise the same.
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(
                squeeze(p["to_name"].as_str().unwrap()),
                squeeze(&c.to_name),
                "{l}"
            );
        } else {
            assert_eq!(p["to_name"], c.to_name.as_str(), "{l}");
        }
        assert_eq!(p["to_addr"], "jessica@example.com", "{l}");
        assert_eq!(p["message_id"], format!("<{}>", c.message_id), "{l}");
        assert_eq!(p["date"], "2026-11-23T10:00:00+01:00", "{l}");
        let refs: Vec<String> = c.references.iter().map(|r| format!("<{r}>")).collect();
        assert_eq!(p["references"], serde_json::json!(refs), "{l}");
        let irt = if c.in_reply_to.is_empty() {
            String::new()
        } else {
            format!("<{}>", c.in_reply_to)
        };
        assert_eq!(p["in_reply_to"], irt.as_str(), "{l}");
        let body = p["body"].as_str().unwrap().replace("\r\n", "\n");
        assert_eq!(body, c.body, "{l}");
    }
}
