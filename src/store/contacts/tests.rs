use super::*;

fn now() -> Timestamp {
    "2026-11-22T09:00:00Z".parse().unwrap()
}

fn jessica() -> NewContact {
    NewContact {
        name: "Jessica Park".into(),
        emails: vec!["Jessica@Example.com".into()],
        company: "Example".into(),
        tags: vec!["fintech".into()],
        ..Default::default()
    }
}

#[test]
fn add_find_update_remove() {
    let mut s = Store::open_in_memory().unwrap();
    let id = s.add_contact(&jessica(), now()).unwrap();
    let c = s.contact(id).unwrap().unwrap();
    assert_eq!(c.emails[0].address, "jessica@example.com");
    assert_eq!(c.tier, Tier::Regular);
    assert_eq!(c.tags, vec!["fintech"]);

    assert_eq!(s.find_contacts("JESSICA@example.com").unwrap().len(), 1);
    assert_eq!(s.find_contacts(&id.to_string()).unwrap()[0].id, id);
    assert_eq!(s.find_contacts("park").unwrap()[0].id, id);
    assert!(s.find_contacts("nobody").unwrap().is_empty());

    let id2 = s
        .add_contact(
            &NewContact {
                name: "Jess Parker".into(),
                emails: vec!["jp@example.org".into()],
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(s.find_contacts("park").unwrap().len(), 2, "ambiguous");
    assert_eq!(s.find_contacts("jess parker").unwrap()[0].id, id2);

    // Addresses are unique across contacts.
    let e = s
        .update_contact(
            id2,
            &ContactPatch {
                add_emails: vec!["jessica@example.com".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains(&format!("#{id}")), "{e}");

    s.update_contact(
        id,
        &ContactPatch {
            tier: Some(Tier::Close),
            do_not_contact: Some(true),
            add_emails: vec!["jp2@example.com".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let c = s.contact(id).unwrap().unwrap();
    assert!(c.do_not_contact);
    assert_eq!(c.tier, Tier::Close);
    assert_eq!(c.emails.len(), 2);

    assert!(s.mark_bounced("jessica@example.com", now()).unwrap());
    let c = s.contact(id).unwrap().unwrap();
    assert_eq!(c.sendable_address(), Some("jp2@example.com"));

    s.remove_contact(id).unwrap();
    assert!(s.contact(id).unwrap().is_none());
    assert!(
        s.contact_id_by_address("jp2@example.com")
            .unwrap()
            .is_none()
    );
}

#[test]
fn bad_address_is_refused() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = jessica();
    c.emails = vec!["not-an-address".into()];
    assert!(s.add_contact(&c, now()).is_err());
    assert!(s.contacts().unwrap().is_empty(), "nothing half-written");
}

#[test]
fn matching_folds_case_and_accents_in_every_script() {
    let mut s = Store::open_in_memory().unwrap();
    let mut add = |name: &str, email: &str| {
        s.add_contact(
            &NewContact {
                name: name.into(),
                emails: vec![email.into()],
                ..Default::default()
            },
            now(),
        )
        .unwrap()
    };
    let zoe = add("Zoë Ångström-Müller", "zoe@example.se");
    let emile = add("Émile Zola", "emile@example.fr");
    let lukasz = add("Łukasz Nowak", "lukasz@example.pl");
    let orsted = add("Hans Ørsted", "hans@example.dk");
    let zhang = add("张伟", "wei@example.cn");
    let ivan = add("Иван Петров", "ivan@example.ru");
    for (query, id) in [
        ("Ångström", zoe),
        ("ångström", zoe),
        ("ANGSTROM", zoe),
        ("zoe angstrom-muller", zoe),
        ("ZOË", zoe),
        ("émile", emile),
        ("EMILE", emile),
        ("Łukasz", lukasz),
        ("lukasz", lukasz),
        ("ørsted", orsted),
        ("Orsted", orsted),
        ("张", zhang),
        ("иван", ivan),
        ("ИВАН", ivan),
        ("Ivan", ivan),
    ] {
        let found: Vec<i64> = s
            .find_contacts(query)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(found, [id], "{query:?}");
    }
}

#[test]
fn fold_keeps_what_it_cannot_transliterate() {
    assert_eq!(fold("Straße"), "strasse");
    assert_eq!(fold("张伟"), "张伟");
    assert_eq!(fold(""), "");
}

/// Found by the CLI + daemon walk: `rapport contacts edit --email` beside the daemon
/// failed with "database is locked". The edit read before it wrote, in a deferred
/// transaction; when another process wrote meanwhile, SQLite refused the upgrade to a
/// write at once instead of waiting. An edit waits for the other writer, then applies.
#[test]
fn an_edit_waits_for_another_writer_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let mut s = Store::open(&path).unwrap();
    let id = s.add_contact(&jessica(), now()).unwrap();
    let mut other = Store::open(&path).unwrap();
    let (holding, held) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        other.in_transaction(|o| {
            let bob = NewContact {
                name: "Bob Lee".into(),
                emails: vec!["bob@example.com".into()],
                ..Default::default()
            };
            o.add_contact(&bob, now())?;
            holding.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(300));
            Ok(())
        })
    });
    held.recv().unwrap();
    let patch = ContactPatch {
        add_emails: vec!["jp@home.example".into()],
        ..Default::default()
    };
    s.update_contact(id, &patch).unwrap();
    writer.join().unwrap().unwrap();
    let c = s.contact(id).unwrap().unwrap();
    assert!(c.emails.iter().any(|e| e.address == "jp@home.example"));
    assert_eq!(s.find_contacts("bob@example.com").unwrap().len(), 1);
}
