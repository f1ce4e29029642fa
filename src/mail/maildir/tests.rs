use std::cell::Cell;

use super::*;

fn now() -> Timestamp {
    "2026-11-22T09:00:00Z".parse().unwrap()
}

/// A Maildir with `cur`, `new` and `tmp`, and a config that reads it.
struct Fixture {
    dir: tempfile::TempDir,
    cfg: Loaded,
}

impl Fixture {
    fn new(extra: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.path().join("Mail").join(sub)).unwrap();
        }
        let text = format!(
            "[identity]\nname = \"Ada\"\nemail = \"ada@example.org\"\ntimezone = \"Europe/London\"\n\
             [smtp]\ntransport = \"file\"\nfile_dir = \"{out}\"\n\
             [maildir]\npath = \"{mail}\"\n{extra}\n",
            out = dir.path().join("out").display(),
            mail = dir.path().join("Mail").display(),
        );
        let cfg = crate::config::parse(&dir.path().join("config.toml"), &text).unwrap();
        Fixture { dir, cfg }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join("Mail").join("cur").join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn message(i: usize) -> Vec<u8> {
    format!(
        "From: Person {i} <p{i}@example.com>\r\nTo: ada@example.org\r\n\
         Subject: hello {i}\r\nMessage-ID: <m{i}@example.com>\r\n\
         Date: Mon, 16 Nov 2026 10:00:00 +0000\r\n\r\nHi Ada, message {i}.\r\n"
    )
    .into_bytes()
}

/// The id the old code gave a file: FNV-1a of the unique name, folded to 31 bits.
fn old_31_bit_hash(name: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in unique_name(name).bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & 0x7fff_ffff).max(1)
}

fn read_total(reports: &[FolderReport]) -> usize {
    reports.iter().map(|r| r.read).sum()
}

#[test]
fn unique_name_ignores_flags() {
    assert_eq!(
        unique_name("1700000000.M1P2.host,S=100:2,S"),
        "1700000000.M1P2.host,S=100"
    );
    assert_eq!(
        unique_name("1700000000.M1P2.host:2,RS"),
        "1700000000.M1P2.host"
    );
    assert_eq!(unique_name("plain"), "plain");
}

#[test]
fn two_names_that_collided_under_the_old_hash_are_both_read() {
    let (a, b) = (
        "1700000000.M89989P4242.host",
        "1700000000.M305276P4242.host",
    );
    assert_eq!(
        old_31_bit_hash(a),
        old_31_bit_hash(b),
        "the pair must collide"
    );
    let f = Fixture::new("");
    f.write(&format!("{a}:2,S"), &message(1));
    f.write(&format!("{b}:2,S"), &message(2));
    let mut store = Store::open_in_memory().unwrap();
    let reports = sync_maildir(&mut store, &f.cfg, now()).unwrap();
    assert_eq!(read_total(&reports), 2);
    assert_eq!(reports[0].new, 2, "both files are messages of their own");
    // A flag change renames a file: it is not new, and nothing is read again.
    std::fs::rename(
        f.dir.path().join(format!("Mail/cur/{a}:2,S")),
        f.dir.path().join(format!("Mail/cur/{a}:2,RS")),
    )
    .unwrap();
    let again = sync_maildir(&mut store, &f.cfg, now()).unwrap();
    assert_eq!(read_total(&again), 0);
}

#[test]
fn a_one_gigabyte_file_is_read_only_up_to_the_cap() {
    let f = Fixture::new("max_body_bytes = 4096");
    let path = f.write("1700000000.M1P1.host:2,", &message(1));
    // Sparse: a gigabyte long, almost nothing on disk.
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(1 << 30).unwrap();
    let raw = read_capped(std::fs::File::open(&path).unwrap(), 4096).unwrap();
    let header_len = header_end(&message(1)).unwrap();
    assert_eq!(raw.len(), header_len + 4096, "headers plus max_body_bytes");
    let mut store = Store::open_in_memory().unwrap();
    let reports = sync_maildir(&mut store, &f.cfg, now()).unwrap();
    assert_eq!(reports[0].new, 1);
}

#[test]
fn the_cap_counts_from_the_end_of_the_headers() {
    let mut big = message(7);
    big.extend(std::iter::repeat_n(b'x', 10_000));
    let raw = read_capped(&big[..], 100).unwrap();
    let h = header_end(&big).unwrap();
    assert_eq!(raw.len(), h + 100);
    assert_eq!(&raw[..h], &big[..h]);
    // No blank line at all: at most HEADER_CAP + max_body bytes are read.
    let endless = vec![b'a'; HEADER_CAP * 2];
    let raw = read_capped(&endless[..], 10).unwrap();
    assert_eq!(raw.len(), HEADER_CAP + 10);
    // A short message is read whole.
    assert_eq!(read_capped(&message(1)[..], 1 << 20).unwrap(), message(1));
}

#[test]
fn a_stop_takes_effect_at_the_next_file_and_the_next_sync_goes_on() {
    let f = Fixture::new("");
    for i in 0..500 {
        f.write(&format!("1700000000.M{i:04}P1.host:2,S"), &message(i));
    }
    let mut store = Store::open_in_memory().unwrap();
    let calls = Cell::new(0usize);
    let stop = || {
        calls.set(calls.get() + 1);
        calls.get() > 300
    };
    let first = sync_maildir_until(&mut store, &f.cfg, now(), &stop).unwrap();
    let read = read_total(&first);
    assert!(read < 300, "kept reading after the stop: {read} files");
    assert!(read > 250, "stopped too early: {read}");
    let rest = sync_maildir(&mut store, &f.cfg, now()).unwrap();
    assert_eq!(read + read_total(&rest), 500, "each file read exactly once");
    assert_eq!(rest[0].new, 500 - read);
}

#[test]
fn progress_is_committed_in_batches_so_a_kill_does_not_repeat_it_all() {
    let f = Fixture::new("");
    for i in 0..450 {
        f.write(&format!("1700000000.M{i:04}P1.host:2,S"), &message(i));
    }
    let db = f.dir.path().join("r.db");
    let mut store = Store::open(&db).unwrap();
    // A crash (here a panic) part-way through the folder, after 420 files.
    let calls = Cell::new(0usize);
    let crash = || {
        calls.set(calls.get() + 1);
        assert!(calls.get() < 420, "killed");
        false
    };
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sync_maildir_until(&mut store, &f.cfg, now(), &crash)
    }));
    assert!(crashed.is_err());
    drop(store);
    let mut store = Store::open(&db).unwrap();
    let rest = sync_maildir(&mut store, &f.cfg, now()).unwrap();
    let reread = read_total(&rest);
    assert!(
        reread <= 450 - 2 * BATCH_FILES,
        "the batches committed before the crash were read again: {reread}"
    );
}

/// Every stored message in row order: Message-ID, label and stored reading.
fn stored_rows(store: &Store) -> Vec<(String, String, String)> {
    let conn = store.conn();
    let mut stmt = conn
        .prepare("SELECT message_id, label, classification FROM messages ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_threaded_sync_stores_what_a_sync_in_turn_stores_in_the_same_order() {
    let f = Fixture::new("");
    for i in 0..650 {
        f.write(&format!("1700000000.M{i:04}P1.host:2,S"), &message(i));
    }
    // In memory: no second connection, read and written in turn on this thread.
    let mut one = Store::open_in_memory().unwrap();
    assert!(one.another().unwrap().is_none());
    let a = sync_maildir(&mut one, &f.cfg, now()).unwrap();
    // A file: readers on threads, a writer thread on its own connection.
    let mut threaded = Store::open(&f.dir.path().join("r.db")).unwrap();
    let b = sync_maildir(&mut threaded, &f.cfg, now()).unwrap();
    assert_eq!((read_total(&a), read_total(&b)), (650, 650));
    assert_eq!(
        (a[0].new, a[0].bodies, b[0].new, b[0].bodies),
        (650, 650, 650, 650)
    );
    let rows = stored_rows(&threaded);
    assert_eq!(rows, stored_rows(&one));
    let ids: Vec<String> = (0..650).map(|i| format!("m{i}@example.com")).collect();
    let got: Vec<String> = rows.into_iter().map(|r| r.0).collect();
    assert_eq!(got, ids, "stored in the files' order");
}
