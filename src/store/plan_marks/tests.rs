use super::*;
use crate::core::model::InteractionKind;
use crate::store::{NewContact, NewInteraction};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn reply(s: &Store, contact: i64, key: &str, at: Timestamp) {
    s.add_interaction(&NewInteraction {
        contact_id: contact,
        at,
        kind: InteractionKind::Reply,
        summary: key,
        message_key: key,
        draft_id: None,
        detail: serde_json::json!({}),
        source: "sync",
    })
    .unwrap();
}

/// A pass reads a contact; another process adds to its timeline before the pass
/// marks it planned. The contact must stay marked, whether it had a mark or not.
#[test]
fn a_change_made_while_a_pass_runs_keeps_the_contact_marked() {
    let mut s = Store::open_in_memory().unwrap();
    let now = t("2026-11-23T10:00:00Z");
    let new = NewContact {
        name: "Ana".into(),
        emails: vec!["ana@example.com".into()],
        ..Default::default()
    };
    let ana = s.add_contact(&new, now).unwrap();
    for round in 0..2 {
        if round == 0 {
            // No mark at all (as after a config change): due all the same.
            s.plan_config_is("a config", now).unwrap();
        } else {
            // A change before the pass: a mark with a count.
            reply(&s, ana, "<before@x>", now);
        }
        let due = s.plan_due(now).unwrap();
        let (id, seen) = due[0];
        assert_eq!(id, ana);
        // The pass reads Ana here; meanwhile the daemon stores her reply.
        reply(&s, ana, &format!("<r{round}@x>"), now);
        s.mark_planned(id, seen, now, None).unwrap();
        assert_eq!(s.contacts_to_plan(now).unwrap(), vec![ana], "round {round}");
        // The next pass sees the reply, and nothing happens meanwhile: settled.
        let (_, seen) = s.plan_due(now).unwrap()[0];
        s.mark_planned(ana, seen, now, None).unwrap();
        assert!(s.contacts_to_plan(now).unwrap().is_empty(), "round {round}");
    }
}
