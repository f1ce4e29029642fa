use super::*;

fn item(id: i64, due: Option<&str>, done: bool) -> ActionItem {
    ActionItem {
        id,
        contact_id: 1,
        contact: "Jessica".into(),
        text: format!("item {id}"),
        due: due.map(|d| d.parse().unwrap()),
        done_at: done.then(|| "2026-12-01T10:00:00Z".to_string()),
    }
}

#[test]
fn overdue_first_then_by_due_then_undated() {
    let today: Date = "2026-12-05".parse().unwrap();
    let items = [
        item(1, None, false),
        item(2, Some("2026-12-09"), false),
        item(3, Some("2026-12-01"), false),
        item(4, Some("2026-12-05"), false),
        item(5, Some("2026-11-20"), true),
        item(6, Some("2026-12-04"), false),
        item(7, None, false),
    ];
    let ids: Vec<i64> = order_open(&items, today).iter().map(|i| i.id).collect();
    assert_eq!(ids, [3, 6, 4, 2, 1, 7]);
}

#[test]
fn labels_say_where_each_item_stands() {
    let today: Date = "2026-12-05".parse().unwrap();
    let table = [
        (
            item(1, Some("2026-12-04"), false),
            "overdue since 2026-12-04",
            true,
        ),
        (item(2, Some("2026-12-05"), false), "due today", false),
        (item(3, Some("2026-12-06"), false), "due 2026-12-06", false),
        (item(4, None, false), "", false),
        (item(5, Some("2026-11-01"), true), "done", false),
    ];
    for (i, label, overdue) in table {
        assert_eq!(i.due_label(today), label, "item {}", i.id);
        assert_eq!(i.is_overdue(today), overdue, "item {}", i.id);
    }
}
