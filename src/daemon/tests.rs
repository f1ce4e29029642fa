use super::*;
use crate::config::Loaded;
use crate::store::NewContact;

#[test]
fn backoff_grows_and_is_bounded() {
    for f in 0..20 {
        let d = backoff(f);
        assert!(d >= Duration::from_secs(1), "{f}: {d:?}");
        assert!(d <= Duration::from_secs(375), "{f}: {d:?}");
    }
    assert!(backoff(1) < Duration::from_secs(3));
    assert!(backoff(12) >= Duration::from_secs(225));
}

#[test]
fn second_daemon_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let a = try_lock(&db).unwrap();
    assert!(a.is_some());
    assert!(try_lock(&db).unwrap().is_none());
    assert_eq!(running(&db).unwrap(), Some(std::process::id().to_string()));
    drop(a);
    assert_eq!(running(&db).unwrap(), None);
}

#[test]
fn the_watchdog_is_fed_only_while_the_heartbeat_is_fresh() {
    let allowed = Duration::from_secs(600);
    assert!(heartbeat_fresh(0, allowed));
    assert!(heartbeat_fresh(600, allowed));
    assert!(!heartbeat_fresh(601, allowed));
    assert!(!heartbeat_fresh(-1, allowed));
}

fn t(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

fn loaded(dir: &Path) -> Loaded {
    let text = "[identity]\nname = \"Ada\"\nemail = \"ada@example.org\"\ntimezone = \"Europe/Berlin\"\n\n[smtp]\nhost = \"localhost\"\ntransport = \"file\"\nfile_dir = \"/nonexistent\"\n";
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    config::load(&path).unwrap()
}

fn approved_draft(store: &mut Store, due: &str, now: jiff::Timestamp) -> i64 {
    let c = store
        .add_contact(
            &NewContact {
                name: "Jessica Park".into(),
                emails: vec!["jessica@example.com".into()],
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let id = store
        .insert_draft(
            &crate::store::NewDraft {
                contact_id: c,
                kind: crate::core::model::DraftKind::MeetingRequest,
                template: "meeting-request".into(),
                reason: "test".into(),
                reason_key: format!("k:{due}"),
                due_at: t(due),
                to_addr: "jessica@example.com".into(),
                to_name: "Jessica Park".into(),
                subject: "Coffee?".into(),
                body: "Hi".into(),
                message: b"Subject: Coffee?\r\n\r\nHi\r\n".to_vec(),
                cc: Default::default(),
                account: String::new(),
                message_id: format!("m-{due}@example.org"),
                in_reply_to: String::new(),
                references: Vec::new(),
            },
            now,
        )
        .unwrap()
        .unwrap();
    store.approve(id, now).unwrap();
    id
}

#[test]
fn the_wake_up_follows_the_earliest_due_time() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path());
    let mut store = Store::open_in_memory().unwrap();
    // Monday 10:00 UTC = 11:00 Berlin, inside the default window.
    let now = t("2026-11-23T10:00:00Z");
    assert!(next_due(&store, &cfg, now, None).unwrap().is_none());
    let plan = t("2026-11-23T12:00:00Z");
    let (at, why) = next_due(&store, &cfg, now, Some(plan)).unwrap().unwrap();
    assert_eq!((at, why.as_str()), (plan, "a follow-up comes due"));
    let id = approved_draft(&mut store, "2026-11-23T11:00:00Z", now);
    let (at, why) = next_due(&store, &cfg, now, Some(plan)).unwrap().unwrap();
    assert_eq!(at, t("2026-11-23T11:00:00Z"));
    assert_eq!(why, format!("draft {id} comes due"));
    // The cap wins when it is sooner; the due time when it is.
    let (d, w) = plan_wait(now, Some((at, why.clone())), IDLE_SLICE, "slice");
    assert_eq!((d, w.as_str()), (IDLE_SLICE, "slice"));
    let (d, _) = plan_wait(now, Some((at, why)), Duration::from_secs(7200), "slice");
    assert_eq!(d, Duration::from_secs(3600));
}

#[test]
fn a_draft_due_outside_the_window_wakes_the_daemon_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path());
    let mut store = Store::open_in_memory().unwrap();
    // Saturday: the default window (weekdays) opens on Monday.
    let now = t("2026-11-21T10:00:00Z");
    approved_draft(&mut store, "2026-11-21T09:00:00Z", now);
    let (at, _) = next_due(&store, &cfg, now, None).unwrap().unwrap();
    let local = at.to_zoned_datetime(cfg.tz.clone());
    assert_eq!(local.weekday(), jiff::civil::Weekday::Monday, "{local}");
    assert!(at > now);
}

#[test]
fn a_held_draft_that_is_due_is_looked_at_again_in_a_minute_not_in_a_spin() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path());
    let mut store = Store::open_in_memory().unwrap();
    let now = t("2026-11-23T10:00:00Z");
    approved_draft(&mut store, "2026-11-23T09:00:00Z", now);
    let (at, _) = next_due(&store, &cfg, now, None).unwrap().unwrap();
    assert_eq!(at, t("2026-11-23T10:01:00Z"));
}

#[test]
fn the_database_file_is_checked_by_identity_not_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    std::fs::write(&path, b"one").unwrap();
    let opened = FileId::of(&path).unwrap();
    assert!(check_database(&path, opened).is_ok());
    // Written in place: still the same file.
    std::fs::write(&path, b"one, more").unwrap();
    assert!(check_database(&path, opened).is_ok());
    // Replaced by another file of the same name (a restored backup).
    let other = dir.path().join("backup.db");
    std::fs::write(&other, b"two").unwrap();
    std::fs::rename(&other, &path).unwrap();
    let e = format!("{:#}", check_database(&path, opened).unwrap_err());
    assert!(e.contains("was replaced while the daemon ran"), "{e}");
    // Deleted.
    std::fs::remove_file(&path).unwrap();
    let e = format!("{:#}", check_database(&path, opened).unwrap_err());
    assert!(e.contains("was deleted or moved"), "{e}");
    // The lock file's record of it reads back.
    assert_eq!(FileId::parse(&opened.to_string()), Some(opened));
    assert_eq!(FileId::parse("garbage"), None);
}

#[test]
fn a_symlinked_path_to_the_database_takes_the_same_locks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    std::fs::write(&db, b"").unwrap();
    let link = dir.path().join("elsewhere.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let held = try_lock(&db).unwrap();
    assert!(held.is_some());
    assert!(try_lock(&link).unwrap().is_none(), "the daemon lock");
    let send = crate::send::try_lock(&link).unwrap();
    assert!(send.is_some());
    assert!(
        crate::send::try_lock(&db).unwrap().is_none(),
        "the send lock"
    );
}

#[test]
fn the_stop_grace_fits_inside_the_units_stop_timeout() {
    let unit = include_str!("../../systemd/rapport.service");
    let stop: u64 = unit
        .lines()
        .find_map(|l| l.strip_prefix("TimeoutStopSec="))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // Room to record the draft, log and exit after the grace.
    assert!(STOP_GRACE + Duration::from_secs(3) <= Duration::from_secs(stop));
}

#[test]
fn the_cli_tells_a_daemon_working_on_a_replaced_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    std::fs::write(&db, b"one").unwrap();
    let mut lock = try_lock(&db).unwrap().unwrap();
    let before = running_daemon(&db).unwrap().unwrap();
    assert!(before.same_file, "no file recorded yet: taken as the same");
    lock.record_database(FileId::of(&db).unwrap()).unwrap();
    let same = running_daemon(&db).unwrap().unwrap();
    assert_eq!(same.pid, std::process::id().to_string());
    assert!(same.same_file);
    assert_eq!(running(&db).unwrap(), Some(same.pid.clone()));
    let other = dir.path().join("restored.db");
    std::fs::write(&other, b"two").unwrap();
    std::fs::rename(&other, &db).unwrap();
    assert!(!running_daemon(&db).unwrap().unwrap().same_file);
    std::fs::remove_file(&db).unwrap();
    assert!(!running_daemon(&db).unwrap().unwrap().same_file);
    drop(lock);
    assert_eq!(running_daemon(&db).unwrap(), None);
}

/// Issue 22 item 8: a wake-up for a copy to file in Sent says so, not "a follow-up".
#[test]
fn a_sent_copy_wake_up_is_named_as_one() {
    let plan = Some((
        t("2026-11-23T12:00:00Z"),
        "a follow-up comes due".to_string(),
    ));
    let copy = Some(t("2026-11-23T10:05:00Z"));
    let (at, why) = with_copy(plan.clone(), copy).unwrap();
    assert_eq!(at, t("2026-11-23T10:05:00Z"));
    assert!(why.contains("copy") && why.contains("Sent"), "{why}");
    assert_eq!(with_copy(plan.clone(), None), plan);
    let later = Some(t("2026-11-23T13:00:00Z"));
    assert_eq!(with_copy(plan.clone(), later), plan);
    assert!(with_copy(None, copy).is_some());
}

/// RFC 2177 lets a server drop an IDLE after 30 minutes, and Microsoft 365 does so at
/// 29: the daemon re-issues its IDLE well before.
#[test]
fn idle_is_reissued_before_microsofts_29_minutes() {
    assert!(IDLE_SLICE < Duration::from_secs(29 * 60), "{IDLE_SLICE:?}");
}
