//! The foundation as a user drives it: init, contacts, request, queue, send (file
//! transport; the SMTP path has its own tests against a real server).

use crate::util::Env;

fn draft_ids(env: &Env) -> Vec<i64> {
    env.drafts()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn init_is_private_and_never_overwrites() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let mode = std::fs::metadata(env.config_path())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let data = env.home().join(".local/share/rapport");
    assert_eq!(
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let before = std::fs::read_to_string(env.config_path()).unwrap();
    let r = env.rapport(&["init"]).fails();
    assert!(r.stderr.contains("never overwrites"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), before);

    // Issue 22 item 7: readable by the group, with no secret in it, is fine (as msmtp
    // and mbsync have it); writable by others never is.
    std::fs::set_permissions(env.config_path(), std::fs::Permissions::from_mode(0o640)).unwrap();
    env.rapport(&["queue"]).ok();
    std::fs::set_permissions(env.config_path(), std::fs::Permissions::from_mode(0o664)).unwrap();
    let r = env.rapport(&["queue"]).fails();
    assert!(r.stderr.contains("chmod 600"), "{}", r.stderr);
    assert!(r.stderr.contains("changed by others"), "{}", r.stderr);
}

#[test]
fn config_errors_name_file_key_and_line() {
    let env = Env::new();
    env.edit_config(|t| t.replace("daily_send_cap = 20", "daily_send_cap = 20\nsend_cap = 3"));
    let r = env.rapport(&["queue"]).fails();
    assert!(r.stderr.contains("config.toml:"), "{}", r.stderr);
    assert!(r.stderr.contains("send_cap"), "{}", r.stderr);

    let env = Env::new();
    env.edit_config(|t| {
        t.replacen(
            "password_command = \"pass show mail/smtp\"",
            "password = \"hunter2\"",
            1,
        )
    });
    let r = env.rapport(&["queue"]).fails();
    assert!(r.stderr.contains("smtp.password"), "{}", r.stderr);
    assert!(r.stderr.contains("password_command"), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
}

#[test]
fn contacts_add_list_show_edit_remove() {
    let env = Env::new();
    env.rapport(&[
        "contacts",
        "add",
        "jessica@example.com",
        "--name",
        "Jessica Park",
        "--company",
        "Example Corp",
        "--tier",
        "close",
        "--tag",
        "fintech",
    ])
    .ok();
    env.add_contact("jp@example.com", "Jess Parker");
    let r = env
        .rapport(&["contacts", "add", "JESSICA@example.com"])
        .fails();
    assert!(r.stderr.contains("already contact #1"), "{}", r.stderr);
    let r = env
        .rapport(&[
            "contacts",
            "add",
            "x@example.com",
            "--name",
            "Eve\r\nBcc: a@b.c",
        ])
        .fails();
    assert!(r.stderr.contains("line break"), "{}", r.stderr);

    let list = env.rapport(&["contacts", "list", "--json"]).ok().json();
    let contacts = list["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0]["name"], "Jess Parker");
    assert_eq!(contacts[1]["tier"], "close");
    assert_eq!(contacts[1]["emails"][0]["address"], "jessica@example.com");

    let r = env.rapport(&["contacts", "show", "jess"]).fails();
    assert!(r.stderr.contains("matches 2 contacts"), "{}", r.stderr);
    assert!(r.stderr.contains("jp@example.com"), "{}", r.stderr);

    env.rapport(&["note", "jessica", "wants intros to fintech PMs"])
        .ok();
    env.rapport(&[
        "contacts",
        "edit",
        "jessica@example.com",
        "--role",
        "PM",
        "--email",
        "j.park@example.net",
    ])
    .ok();
    let show = env
        .rapport(&["contacts", "show", "1", "--json"])
        .ok()
        .json();
    assert_eq!(show["contact"]["role"], "PM");
    assert_eq!(show["contact"]["emails"].as_array().unwrap().len(), 2);
    assert_eq!(show["timeline"][0]["kind"], "note");
    assert_eq!(
        show["timeline"][0]["summary"],
        "wants intros to fintech PMs"
    );

    env.rapport(&["contacts", "remove", "jp@example.com", "--yes"])
        .ok();
    let list = env.rapport(&["contacts", "list", "--json"]).ok().json();
    assert_eq!(list["contacts"].as_array().unwrap().len(), 1);
}

#[test]
fn request_approve_send_exactly_once() {
    let env = Env::new();
    env.add_contact("jessica@example.com", "Jessica Park");
    env.rapport(&["request", "jessica"]).ok();
    let r = env.rapport(&["request", "jessica"]).fails();
    assert!(r.stderr.contains("already in the queue"), "{}", r.stderr);

    let q = env.rapport(&["queue", "--json"]).ok().json();
    let d = &q["drafts"][0];
    assert_eq!(d["id"], 1);
    assert_eq!(d["status"], "pending");
    assert_eq!(d["kind"], "meeting-request");
    assert!(d["why"].as_str().unwrap().starts_with("you asked on"));
    let message_id = d["message_id"].as_str().unwrap().to_string();

    let shown = env.rapport(&["queue", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("Would you be available in the next 2-3 weeks"),
        "{shown}"
    );
    assert!(shown.contains("25-minute"), "{shown}");
    let raw = env.rapport(&["queue", "show", "1", "--raw"]).ok().stdout;

    // Nothing leaves before approval.
    env.rapport(&["send"]).ok();
    assert!(env.outbox_files().is_empty());

    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Sent 1"), "{out}");
    let files = env.outbox_files();
    assert_eq!(files.len(), 1);
    let sent = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        sent.starts_with("Date: Mon, 23 Nov 2026 11:00:00 +0100\r\n"),
        "{sent}"
    );
    assert_eq!(
        &sent[sent.find("\r\n").unwrap() + 2..],
        raw,
        "approved bytes are what is sent"
    );
    assert!(sent.contains(&format!("Message-ID: <{message_id}>")));

    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Nothing to send"), "{out}");
    assert_eq!(env.outbox_files().len(), 1, "a second send sends nothing");

    let show = env
        .rapport(&["contacts", "show", "jessica", "--json"])
        .ok()
        .json();
    let tl = show["timeline"].as_array().unwrap();
    assert_eq!(tl.len(), 1);
    assert_eq!(tl[0]["kind"], "request-sent");
    assert_eq!(tl[0]["message_key"], message_id.as_str());
}

#[test]
fn edit_changes_the_bytes_and_needs_approval_again() {
    let mut env = Env::new();
    env.add_contact("jessica@example.com", "Jessica Park");
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let editor = env.script(
        "editor.sh",
        "sed -i 's/^Subject: .*/Subject: Coffee soon?/; s/Best,/Warmly,/' \"$1\"",
    );
    env.extra_env.push(("EDITOR".into(), editor));
    let out = env.rapport(&["queue", "edit", "1"]).ok().stdout;
    assert!(out.contains("approve it again"), "{out}");
    let d = env.draft(1);
    assert_eq!(d["status"], "pending");
    assert_eq!(d["subject"], "Coffee soon?");
    assert!(d["body"].as_str().unwrap().contains("Warmly,"));
    env.rapport(&["send"]).ok();
    assert!(
        env.outbox_files().is_empty(),
        "edited text was not approved"
    );
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let sent = std::fs::read_to_string(&env.outbox_files()[0]).unwrap();
    assert!(sent.contains("Subject: Coffee soon?"), "{sent}");
    assert!(sent.contains("Warmly,"), "{sent}");

    // An edit that breaks the headers changes nothing.
    env.add_contact("omar@example.com", "Omar");
    env.rapport(&["request", "omar"]).ok();
    env.script("editor.sh", "printf 'Hello\\n\\nBody\\n' > \"$1\"");
    let r = env.rapport(&["queue", "edit", "2"]).fails();
    assert!(r.stderr.contains("nothing changed"), "{}", r.stderr);
}

#[test]
fn window_cap_reject_and_snooze_hold_sends() {
    let mut env = Env::new();
    for (addr, name) in [
        ("a@example.com", "Ann"),
        ("b@example.com", "Ben"),
        ("c@example.com", "Cy"),
    ] {
        env.add_contact(addr, name);
        env.rapport(&["request", addr]).ok();
    }
    assert_eq!(draft_ids(&env), vec![1, 2, 3]);
    env.rapport(&["queue"]).ok(); // `--all` approves what the listing showed
    env.rapport(&["queue", "approve", "--all"]).ok();
    env.rapport(&["queue", "reject", "3", "--reason", "changed my mind"])
        .ok();

    // Saturday: outside the window.
    env.now = "2026-11-28T10:00:00Z".into();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("outside the send window"), "{out}");
    assert!(env.outbox_files().is_empty());

    // Monday, with a cap of one a day.
    env.edit_config(|t| t.replace("daily_send_cap = 20", "daily_send_cap = 1"));
    env.now = "2026-11-30T10:00:00Z".into();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("daily cap"), "{out}");
    assert_eq!(env.outbox_files().len(), 1);
    env.now = "2026-11-30T15:00:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(env.outbox_files().len(), 1, "cap holds for the whole day");
    env.now = "2026-12-01T09:30:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(env.outbox_files().len(), 2, "the next day the second goes");
    env.rapport(&["send"]).ok();
    assert_eq!(env.outbox_files().len(), 2, "the rejected one never goes");

    // Snooze: back to pending after the date, needing approval again.
    env.add_contact("d@example.com", "Dee");
    env.rapport(&["request", "d@example.com"]).ok();
    env.rapport(&["queue", "approve", "4"]).ok();
    env.rapport(&["queue", "snooze", "4", "--for", "2w"]).ok();
    let r = env
        .rapport(&["queue", "snooze", "4", "--for", "soon"])
        .fails();
    assert!(r.stderr.contains("not a duration"), "{}", r.stderr);
    env.now = "2026-12-16T10:00:00Z".into();
    let q = env.rapport(&["queue", "--json"]).ok().json();
    let d4 = q["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == 4)
        .unwrap()
        .clone();
    assert_eq!(d4["status"], "pending");
    env.rapport(&["send"]).ok();
    assert_eq!(env.outbox_files().len(), 2);
}

#[test]
fn do_not_contact_withdraws_and_blocks() {
    let env = Env::new();
    env.add_contact("a@example.com", "Ann");
    env.rapport(&["request", "ann"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env
        .rapport(&["contacts", "edit", "ann", "--do-not-contact"])
        .ok()
        .stdout;
    assert!(out.contains("Withdrew 1"), "{out}");
    env.rapport(&["send"]).ok();
    assert!(env.outbox_files().is_empty());
    let r = env.rapport(&["request", "ann"]).fails();
    assert!(r.stderr.contains("do-not-contact"), "{}", r.stderr);
}

#[test]
fn templates_check_and_strict_overrides() {
    let env = Env::new();
    let out = env.rapport(&["templates", "check"]).ok().stdout;
    for name in ["meeting-request", "nudge", "thank-you", "check-in"] {
        assert!(out.contains(name), "{out}");
    }
    let dir = env.home().join(".config/rapport/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("nudge.hbs"),
        "Subject: Hi\n\nHello {{contact.nickname}}\n",
    )
    .unwrap();
    let r = env.rapport(&["templates", "check"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("template `nudge`, line 3"),
        "{}",
        r.stdout
    );

    env.add_contact("a@example.com", "Ann Lee");
    let r = env
        .rapport(&["request", "ann", "--template", "nudge"])
        .fails();
    assert!(r.stderr.contains("nudge"), "{}", r.stderr);
    let q = env.rapport(&["queue", "--json"]).ok().json();
    assert!(
        q["drafts"].as_array().unwrap().is_empty(),
        "no draft with a hole in it"
    );
    let out = env
        .rapport(&["templates", "preview", "meeting-request", "ann"])
        .ok()
        .stdout;
    assert!(out.contains("Hi Ann,"), "{out}");
}

#[test]
fn a_meeting_agreed_outside_email_gets_its_thank_you_when_due() {
    let mut env = Env::new();
    env.add_contact("omar@example.com", "Omar Haddad");
    env.now = "2026-11-20T10:00:00Z".into();
    env.rapport(&[
        "meeting",
        "add",
        "omar",
        "--at",
        "2026-11-24T15:00",
        "--minutes",
        "25",
    ])
    .ok();
    let again = env
        .rapport(&["meeting", "add", "omar", "--at", "2026-11-24T15:00"])
        .ok()
        .stdout;
    assert!(again.contains("already recorded"), "{again}");
    let show = env
        .rapport(&["contacts", "show", "omar", "--json"])
        .ok()
        .json();
    assert_eq!(show["timeline"][0]["kind"], "meeting-scheduled");
    // 15:00 in Berlin is 14:00 UTC.
    assert_eq!(
        show["timeline"][0]["detail"]["start"],
        "2026-11-24T14:00:00Z"
    );
    assert_eq!(show["stage"]["stage"], "scheduled");

    // Before the meeting ends nothing is drafted; two hours after, the thank-you is.
    env.now = "2026-11-24T14:30:00Z".into();
    assert!(env.rapport(&["plan"]).ok().stdout.contains("Nothing new"));
    env.now = "2026-11-24T16:30:00Z".into();
    let out = env.rapport(&["plan"]).ok().stdout;
    assert!(out.contains("Drafted 1"), "{out}");
    let q = env.rapport(&["queue", "--json"]).ok().json();
    assert_eq!(q["drafts"][0]["kind"], "thank-you");
    assert!(
        q["drafts"][0]["why"]
            .as_str()
            .unwrap()
            .contains("meeting ended"),
        "{q}"
    );
    let shown = env.rapport(&["queue", "show", "1"]).ok().stdout;
    assert!(shown.contains("on Tuesday"), "{shown}");
    // Planning again changes nothing, nor does the full pass over everyone.
    assert!(env.rapport(&["plan"]).ok().stdout.contains("Nothing new"));
    assert!(
        env.rapport(&["plan", "--all"])
            .ok()
            .stdout
            .contains("Nothing new")
    );
}

#[test]
fn importing_linkedin_twice_adds_nothing_the_second_time() {
    let env = Env::new();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/linkedin-connections.csv"
    );
    let first = env
        .rapport(&["contacts", "import", file, "--json"])
        .ok()
        .json();
    let added = first["added"].as_u64().unwrap();
    assert!(added >= 10, "{first}");
    assert!(first["without_email"].as_u64().unwrap() > 0, "{first}");
    assert_eq!(first["format"], "linkedin");
    let problems = first["problems"].as_array().unwrap();
    assert!(
        problems.iter().all(|p| p["line"].as_u64().unwrap() > 1),
        "problems name their line: {first}"
    );
    let out = env.rapport(&["contacts", "import", file]).ok().stdout;
    assert!(out.contains("added 0, merged 0"), "{out}");
    let list = env.rapport(&["contacts", "list", "--json"]).ok().json();
    assert_eq!(list["contacts"].as_array().unwrap().len() as u64, added);

    let vcf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/contacts-v3.vcf"
    );
    let out = env.rapport(&["contacts", "import", vcf]).ok().stdout;
    assert!(out.contains("(vCard)"), "{out}");
    let r = env
        .rapport(&["contacts", "import", "/nonexistent.csv"])
        .fails();
    assert!(r.stderr.contains("/nonexistent.csv"), "{}", r.stderr);
}

#[test]
fn auto_approve_applies_only_to_the_kinds_listed() {
    let mut env = Env::new();
    env.edit_config(|t| t.replace("auto_approve = []", "auto_approve = [\"thank-you\"]"));
    env.add_contact("omar@example.com", "Omar");
    env.now = "2026-11-20T10:00:00Z".into();
    env.rapport(&["meeting", "add", "omar", "--at", "2026-11-24T10:00"])
        .ok();
    env.rapport(&["request", "omar"]).ok();
    env.now = "2026-11-24T13:00:00Z".into();
    let out = env.rapport(&["plan"]).ok().stdout;
    assert!(out.contains("approved it (policy.auto_approve)"), "{out}");
    let q = env.rapport(&["queue", "--json"]).ok().json();
    let status = |kind: &str| {
        q["drafts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == kind)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("thank-you"), "approved");
    assert_eq!(
        status("meeting-request"),
        "pending",
        "not listed: waits for the user"
    );
}

#[test]
fn an_unreachable_server_is_tried_once_per_run_not_once_per_draft() {
    // A loopback port with nothing listening: connections are refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new();
    env.edit_config(|t| {
        t.replace(
            &format!("transport = \"file\"\nfile_dir = \"{}\"", env.outbox().display()),
            &format!("host = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\npassword_command = \"echo x\""),
        )
        .replacen("host = \"smtp.example.org\"\n", "", 1)
        .replacen("security = \"tls\"\n", "", 1)
        .replacen("password_command = \"pass show mail/smtp\"\n", "", 1)
    });
    for (addr, name) in [
        ("a@example.com", "Ann"),
        ("b@example.com", "Ben"),
        ("c@example.com", "Cy"),
    ] {
        env.add_contact(addr, name);
        env.rapport(&["request", addr]).ok();
    }
    env.rapport(&["queue"]).ok(); // `--all` approves what the listing showed
    env.rapport(&["queue", "approve", "--all"]).ok();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Not sent 1 yet, will retry"), "{out}");
    assert!(out.contains("Held back"), "{out}");
    let q = env.rapport(&["queue", "--json"]).ok().json();
    let attempts: Vec<i64> = q["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["attempts"].as_i64().unwrap())
        .collect();
    assert_eq!(attempts, vec![1, 0, 0], "{q}");
    assert!(
        q["drafts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "approved")
    );
}
