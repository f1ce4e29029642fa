use super::*;
use crate::core::model::DraftKind;
use crate::store::{NewContact, NewDraft};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn setup() -> (Store, i64, i64) {
    let mut s = Store::open_in_memory().unwrap();
    let mut add = |name: &str, email: &str| {
        s.add_contact(
            &NewContact {
                name: name.into(),
                emails: vec![email.into()],
                ..Default::default()
            },
            t("2026-11-22T09:00:00Z"),
        )
        .unwrap()
    };
    let a = add("Jessica Park", "jessica@example.com");
    let b = add("Omar Haddad", "omar@example.net");
    (s, a, b)
}

fn ask(s: &Store, a: i64) -> i64 {
    s.insert_draft(
        &NewDraft {
            contact_id: a,
            kind: DraftKind::IntroAsk,
            template: "intro-ask".into(),
            reason: "intro 1".into(),
            reason_key: "intro:1:ask-a".into(),
            due_at: t("2026-11-22T09:00:00Z"),
            to_addr: "jessica@example.com".into(),
            to_name: "Jessica Park".into(),
            subject: "An introduction".into(),
            body: "Hi".into(),
            message_id: "ask@example.org".into(),
            in_reply_to: String::new(),
            references: vec![],
            message: b"Subject: An introduction\r\n\r\nHi\r\n".to_vec(),
            cc: Default::default(),
            account: String::new(),
        },
        t("2026-11-22T09:00:00Z"),
    )
    .unwrap()
    .unwrap()
}

#[test]
fn each_step_is_drafted_once_and_a_draft_names_its_intro() {
    let (s, a, b) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_intro(a, b, "search ranking", now).unwrap();
    let d = ask(&s, a);
    s.set_intro_draft(id, IntroStep::AskA, d, now).unwrap();
    let err = s
        .set_intro_draft(id, IntroStep::AskA, d + 1, now)
        .unwrap_err();
    assert!(err.to_string().contains("already has its ask-a"), "{err}");
    let (intro, step) = s.intro_of_draft(d).unwrap().unwrap();
    assert_eq!((intro.id, step), (id, IntroStep::AskA));
    assert_eq!(intro.drafts, vec![(IntroStep::AskA, d)]);
    assert!(s.intro_of_draft(d + 100).unwrap().is_none());
    assert_eq!(s.intros_of_contact(b).unwrap().len(), 1);
}

#[test]
fn a_closed_stage_closes_the_intro_and_says_when_the_stage_changed() {
    let (s, a, b) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_intro(a, b, "", now).unwrap();
    let update = |stage| IntroUpdate {
        stage,
        next: "x",
        a_yes_at: None,
        b_yes_at: None,
    };
    assert!(
        !s.update_intro(id, &update(IntroStage::AskingA), now)
            .unwrap()
    );
    assert!(
        s.update_intro(id, &update(IntroStage::WaitingA), now)
            .unwrap()
    );
    assert_eq!(s.intros(false).unwrap().len(), 1);
    let later = t("2026-11-30T09:00:00Z");
    assert!(
        s.update_intro(id, &update(IntroStage::DeclinedByA), later)
            .unwrap()
    );
    assert!(s.intros(false).unwrap().is_empty());
    let all = s.intros(true).unwrap();
    assert_eq!(all[0].closed_at, Some(later));
    assert_eq!(all[0].stage, IntroStage::DeclinedByA);
}

#[test]
fn the_same_person_cannot_be_both_sides() {
    let (s, a, _) = setup();
    assert!(s.insert_intro(a, a, "", t("2026-11-22T09:00:00Z")).is_err());
}
