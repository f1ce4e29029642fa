use super::*;

#[test]
fn examples_are_kept_once_per_message_listed_in_order_and_forgotten() {
    let mut store = Store::open_in_memory().unwrap();
    let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let tx = store.batch().unwrap();
    tx.keep_reader_example("a@x", "righto, pencil me in", Class::Other, now)
        .unwrap();
    tx.keep_reader_example("b@x", "takke nej", Class::No, now)
        .unwrap();
    // A second correction of the same message replaces the first.
    tx.keep_reader_example("a@x", "righto, pencil me in", Class::Yes, now)
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        store.reader_examples().unwrap(),
        vec![
            ("righto, pencil me in".to_string(), Class::Yes),
            ("takke nej".to_string(), Class::No)
        ]
    );
    assert!(store.forget_reader_example("a@x").unwrap());
    assert!(!store.forget_reader_example("a@x").unwrap());
    assert_eq!(store.reader_examples().unwrap().len(), 1);
}
