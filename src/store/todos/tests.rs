use super::*;
use crate::store::NewContact;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn store_with(names: &[&str]) -> (Store, Vec<i64>) {
    let mut store = Store::open_in_memory().unwrap();
    let ids = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            store
                .add_contact(
                    &NewContact {
                        name: n.to_string(),
                        emails: vec![format!("p{i}@example.com")],
                        ..NewContact::default()
                    },
                    ts("2026-11-01T09:00:00Z"),
                )
                .unwrap()
        })
        .collect();
    (store, ids)
}

#[test]
fn open_items_are_listed_by_due_and_done_ones_drop_out() {
    let (store, ids) = store_with(&["Jessica Park", ""]);
    let now = ts("2026-12-01T10:00:00Z");
    let a = store
        .add_todo(
            ids[0],
            "send the fintech intro",
            Some("2026-12-05".parse().unwrap()),
            now,
        )
        .unwrap();
    let b = store.add_todo(ids[1], "share the deck", None, now).unwrap();
    let c = store
        .add_todo(
            ids[0],
            "book a follow-up",
            Some("2026-11-28".parse().unwrap()),
            now,
        )
        .unwrap();
    let open: Vec<i64> = store.open_todos().unwrap().iter().map(|t| t.id).collect();
    assert_eq!(open, [c, a, b]);
    let named = store.todo(b).unwrap().unwrap();
    assert_eq!(
        named.contact, "p1@example.com",
        "a nameless contact shows its address"
    );

    assert!(store.complete_todo(c, now).unwrap());
    assert!(
        !store.complete_todo(c, now).unwrap(),
        "done twice is refused"
    );
    assert!(!store.complete_todo(9999, now).unwrap());
    let open: Vec<i64> = store.open_todos().unwrap().iter().map(|t| t.id).collect();
    assert_eq!(open, [a, b]);
    let mine = store.todos_for_contact(ids[0]).unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[1].done_at.as_deref(), Some("2026-12-01T10:00:00Z"));
}

#[test]
fn ids_are_not_reused_after_a_contact_is_removed() {
    let (mut store, ids) = store_with(&["A", "B"]);
    let now = ts("2026-12-01T10:00:00Z");
    store.add_todo(ids[0], "one", None, now).unwrap();
    let second = store.add_todo(ids[1], "two", None, now).unwrap();
    store.remove_contact(ids[1]).unwrap();
    assert!(
        store.todo(second).unwrap().is_none(),
        "removed with its contact"
    );
    let third = store.add_todo(ids[0], "three", None, now).unwrap();
    assert!(third > second, "{third} reuses {second}");
}
