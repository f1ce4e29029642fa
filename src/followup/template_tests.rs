//! Which template a draft gets: the first request to someone you have never spoken to is
//! a cold request, and the check-in after their "later" recalls when they said to come back.

use jiff::Timestamp;

use super::*;
use crate::core::model::{DraftKind, InteractionKind as K};
use crate::store::{NewContact, NewInteraction};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn loaded(dir: &std::path::Path) -> Loaded {
    let text = "[identity]\nname = \"Ada Byron\"\nemail = \"ada@example.org\"\ntimezone = \"Europe/Berlin\"\n\n[smtp]\nhost = \"localhost\"\ntransport = \"file\"\nfile_dir = \"/nonexistent\"\n";
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    crate::config::load(&path).unwrap()
}

fn add(store: &mut Store, name: &str, now: Timestamp) -> i64 {
    let c = NewContact {
        name: name.into(),
        emails: vec![format!("{}@example.com", name.to_lowercase())],
        company: "Acme".into(),
        link: "https://www.linkedin.com/in/someone".into(),
        ..Default::default()
    };
    store.add_contact(&c, now).unwrap()
}

fn event(store: &mut Store, contact: i64, at: &str, kind: K, key: &str, detail: &str) {
    store
        .add_interaction(&NewInteraction {
            contact_id: contact,
            at: t(at),
            kind,
            summary: key,
            message_key: key,
            draft_id: None,
            detail: serde_json::from_str(detail).unwrap(),
            source: "sync",
        })
        .unwrap();
}

#[test]
fn the_follow_up_after_a_later_recalls_when_they_said_to_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path());
    let mut s = Store::open_in_memory().unwrap();
    let now = t("2026-11-02T09:00:00Z");
    let id = add(&mut s, "Omar", now);
    event(
        &mut s,
        id,
        "2026-11-02T09:00:00Z",
        K::RequestSent,
        "<req@x>",
        "{}",
    );
    event(
        &mut s,
        id,
        "2026-11-03T09:00:00Z",
        K::Reply,
        "<later@x>",
        r#"{"intent": "later", "later_until": "2027-01-01"}"#,
    );
    plan_all(&mut s, &cfg, t("2027-01-02T09:00:00Z")).unwrap();
    let drafts = s.drafts(true).unwrap();
    let d = drafts
        .iter()
        .find(|d| d.kind == DraftKind::CheckIn)
        .unwrap_or_else(|| panic!("no check-in: {drafts:?}"));
    assert_eq!(d.template, "later-follow-up");
    assert!(
        d.body
            .contains("you suggested I get back to you in January"),
        "{}",
        d.body
    );
    assert!(!d.body.contains("It's been a little while"), "{}", d.body);
}

#[test]
fn a_request_to_someone_never_spoken_to_is_a_cold_request() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path());
    let mut s = Store::open_in_memory().unwrap();
    let now = t("2026-11-02T09:00:00Z");
    let id = add(&mut s, "Lena", now);
    // An import leaves notes (how you met, their vCard NOTE): still a first contact.
    event(
        &mut s,
        id,
        "2024-03-12T12:00:00Z",
        K::Note,
        crate::store::MET_KEY,
        "{}",
    );
    assert_eq!(
        draft::request_template(&s.interactions(id).unwrap()),
        "cold-request"
    );
    let c = s.contact(id).unwrap().unwrap();
    let templates = draft::load_templates(&dir.path().join("none")).unwrap();
    let r = templates
        .render(
            "cold-request",
            &draft::template_data(&cfg, &c, "lena@example.com"),
        )
        .unwrap();
    assert!(r.body.contains("We have not spoken yet"), "{}", r.body);
    assert!(
        r.body.contains("on LinkedIn through your work at Acme"),
        "{}",
        r.body
    );
    assert!(r.body.contains("25-minute conversation"), "{}", r.body);
    assert!(!r.body.contains("enjoyed"), "{}", r.body);

    // Once any mail passed between you, it is the request for someone you have spoken to.
    event(
        &mut s,
        id,
        "2026-11-01T12:00:00Z",
        K::EmailReceived,
        "<hi@x>",
        "{}",
    );
    assert_eq!(
        draft::request_template(&s.interactions(id).unwrap()),
        "meeting-request"
    );
}

#[test]
fn every_built_in_template_renders_the_sample() {
    let templates = draft::load_templates(std::path::Path::new("/nonexistent")).unwrap();
    let names: Vec<&str> = templates.names().collect();
    for name in [
        "cold-request",
        "later-follow-up",
        "meeting-request",
        "check-in",
    ] {
        assert!(names.contains(&name), "{name} missing: {names:?}");
        templates
            .render(name, &crate::core::render::sample_data())
            .unwrap();
    }
}
