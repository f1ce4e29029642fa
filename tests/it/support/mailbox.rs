//! The mailbox side of [`TestServers`]: delivering and seeding mail, reading what the
//! servers saw (mailbox state, the SMTP log, delivered messages), and pausing Dovecot.

use super::*;

impl TestServers {
    // ---- mailboxes -------------------------------------------------------

    /// Delivers one message to `user`'s INBOX through Dovecot's LMTP, as
    /// mail arrives normally (Dovecot assigns the UID, adds Return-Path,
    /// Delivered-To and Received). Bare LF line ends are sent as CRLF.
    pub fn deliver(&self, user: &str, raw: &[u8]) {
        self.account(user);
        let rcpt = format!("{user}@{DOMAIN}");
        if let Err(e) = lmtp_deliver(&self.root.join("run/lmtp"), &rcpt, raw) {
            panic!(
                "LMTP delivery to {rcpt} failed: {e}\n{}",
                diagnostics(&self.root)
            );
        }
    }

    /// Writes messages straight into the folder's Maildir (created if
    /// needed), unseen, in the given order (it becomes their UID order), far
    /// faster than LMTP: for bulk seeding. Stored byte for byte.
    pub fn seed_maildir(&self, user: &str, folder: &str, messages: &[Vec<u8>]) {
        let dir = self.mailbox_dir(user, folder);
        for raw in messages {
            self.write_maildir_file(&dir, raw, "", None);
        }
    }

    /// [`Self::seed_maildir`] with flags and received dates.
    pub fn seed_messages(&self, user: &str, folder: &str, messages: &[SeedMessage]) {
        let dir = self.mailbox_dir(user, folder);
        for m in messages {
            self.write_maildir_file(&dir, &m.raw, &m.flags, m.received);
        }
    }

    /// Throws away the folder's Dovecot index and UID list (the messages
    /// stay), so Dovecot gives it a new, larger UIDVALIDITY and numbers the
    /// messages again from UID 1. Returns the new UIDVALIDITY. Clients see it
    /// on their next SELECT/EXAMINE/STATUS; do it while no client has the
    /// folder selected.
    pub fn recreate_mailbox(&self, user: &str, folder: &str) -> u32 {
        let dir = self.mailbox_dir(user, folder);
        let before = self.mailbox_status(user, folder).uidvalidity;
        let inbox_dir = self.mailbox_dir(user, "INBOX");
        remove_index_files(&dir, "dovecot-uidlist");
        remove_index_files(&dir, "dovecot.index");
        // The mailbox list index caches every folder's UIDVALIDITY.
        remove_index_files(&inbox_dir, "dovecot.list.index");
        let after = self.mailbox_status(user, folder).uidvalidity;
        assert_ne!(
            before, after,
            "recreate_mailbox({user:?}, {folder:?}): UIDVALIDITY did not change"
        );
        after
    }

    /// Message counts, UIDVALIDITY and UIDNEXT of a folder, from Dovecot.
    pub fn mailbox_status(&self, user: &str, folder: &str) -> MailboxStatus {
        let out = self.doveadm(&[
            "-f",
            "tab",
            "mailbox",
            "status",
            "-u",
            user,
            "messages unseen uidvalidity uidnext",
            folder,
        ]);
        let mut lines = out.lines();
        let (Some(header), Some(values)) = (lines.next(), lines.next()) else {
            panic!("unexpected doveadm mailbox status output for {user}/{folder}: {out:?}");
        };
        let field = |name: &str| -> u32 {
            header
                .split('\t')
                .zip(values.split('\t'))
                .find(|(h, _)| *h == name)
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or_else(|| panic!("no {name} in doveadm mailbox status output {out:?}"))
        };
        MailboxStatus {
            messages: field("messages"),
            unseen: field("unseen"),
            uidvalidity: field("uidvalidity"),
            uidnext: field("uidnext"),
        }
    }

    /// Runs `doveadm -c <this instance's config> ARGS` and returns stdout;
    /// panics (with stderr) if it fails.
    pub fn doveadm(&self, args: &[&str]) -> String {
        let out = Command::new(DOVEADM)
            .arg("-c")
            .arg(self.root.join("dovecot.conf"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {DOVEADM}: {e}"));
        assert!(
            out.status.success(),
            "doveadm {args:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    // ---- SMTP server -----------------------------------------------------

    /// Replaces the SMTP server's fault injection file; it is re-read on
    /// every command it can affect, and one entry is consumed per attempt.
    /// Keys: `mail:<sender>`, `rcpt:<recipient>`, `data:<any recipient>`
    /// (or `*` for any address), `auth`. Entries: a reply code, a full reply
    /// line, `"disconnect"`, or `{"delay": secs, "reply": ..}`. Example:
    /// `{"rcpt:bob@example.test": [451, 451], "data:carol@example.test": [554]}`.
    pub fn set_faults(&self, json: &str) {
        write(&self.root.join("smtp/faults.json"), json);
    }

    /// The fault injection file as it is now (consumed entries removed).
    pub fn faults(&self) -> String {
        fs::read_to_string(self.root.join("smtp/faults.json")).unwrap_or_else(|_| "{}".into())
    }

    /// Every SMTP server event so far, one compact JSON object per line, in
    /// order, each starting with `{"event":"<kind>",`: `connect`, `auth` (an
    /// AUTH command, before any credentials), `auth_result`, `mail`, `rcpt`,
    /// `data` (with mail_from, rcpt_tos, size, message_id, subject, tls,
    /// result) and `fault`. A line is written before its reply is sent.
    pub fn smtp_log(&self) -> Vec<String> {
        let text = fs::read_to_string(self.root.join("smtp/smtp-log.jsonl")).unwrap_or_default();
        // Only complete lines.
        let complete = match text.rfind('\n') {
            Some(end) => &text[..=end],
            None => "",
        };
        complete.lines().map(str::to_string).collect()
    }

    /// The complete [`Self::smtp_log`] lines written after byte `offset`, which moves past
    /// them: for a test that follows the log as it grows without rereading all of it.
    pub fn smtp_log_after(&self, offset: &mut u64) -> Vec<String> {
        use std::io::{Seek, SeekFrom};
        let Ok(mut file) = File::open(self.root.join("smtp/smtp-log.jsonl")) else {
            return Vec::new();
        };
        let mut bytes = Vec::new();
        if file.seek(SeekFrom::Start(*offset)).is_err() || file.read_to_end(&mut bytes).is_err() {
            return Vec::new();
        }
        // Only complete lines: the server may be writing the next one.
        let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |e| e + 1);
        *offset += end as u64;
        String::from_utf8_lossy(&bytes[..end])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The [`Self::smtp_log`] lines of one kind of event.
    pub fn smtp_events(&self, event: &str) -> Vec<String> {
        let prefix = format!("{{\"event\":\"{event}\",");
        self.smtp_log()
            .into_iter()
            .filter(|l| l.starts_with(&prefix))
            .collect()
    }

    /// Every AUTH command the SMTP server received (before checking any
    /// credentials), as [`Self::smtp_log`] lines.
    pub fn auth_attempts(&self) -> Vec<String> {
        self.smtp_events("auth")
    }

    /// Sets the valid OAuth2 access tokens, each for one user (an address, or a bare
    /// Dovecot user name); every other token is refused, by SMTP and IMAP alike.
    pub fn set_tokens(&self, tokens: &[(&str, &str)]) {
        let text: String = tokens.iter().map(|(t, u)| format!("{t} {u}\n")).collect();
        let path = self.root.join("oauth2/tokens");
        let tmp = self.root.join("oauth2/.tokens.tmp");
        write(&tmp, text);
        set_mode(&tmp, 0o644);
        fs::rename(&tmp, &path).unwrap_or_else(|e| panic!("cannot replace {path:?}: {e}"));
    }

    /// The bytes Dovecot sent to an IMAP client in each session ended so far, in order
    /// (the `out=` of its "Disconnected" lines), counted at the server's side.
    pub fn imap_bytes_out(&self) -> Vec<u64> {
        let log = fs::read_to_string(self.root.join("dovecot.log")).unwrap_or_default();
        log.lines()
            .filter(|l| l.contains("imap(") && l.contains("Disconnected"))
            .filter_map(|l| {
                l.split(" out=")
                    .nth(1)?
                    .split_whitespace()
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .collect()
    }

    /// The introspection endpoint's log, one JSON object a line (never the token).
    pub fn introspection_log(&self) -> Vec<String> {
        fs::read_to_string(self.root.join("oauth2/log.jsonl"))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The messages the SMTP server accepted, exactly as received, in order.
    /// Where the SMTP server writes each message it accepted (`000001.eml`, …).
    pub fn smtp_messages_dir(&self) -> PathBuf {
        self.root.join("smtp/messages")
    }

    pub fn sent_messages(&self) -> Vec<Vec<u8>> {
        let dir = self.root.join("smtp/messages");
        let mut names: Vec<PathBuf> = fs::read_dir(&dir)
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        // `.NNNNNN.eml` is a file the server is still writing (renamed when whole).
        names.retain(|p| {
            p.extension().is_some_and(|e| e == "eml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        });
        names.sort();
        names.iter().map(|p| read(p)).collect()
    }

    /// The `n`th message the SMTP server accepted (counting from 1), once it is whole:
    /// for a test that reads deliveries as they come without rereading them all.
    pub fn sent_message(&self, n: usize) -> Option<Vec<u8>> {
        fs::read(self.root.join(format!("smtp/messages/{n:06}.eml"))).ok()
    }

    /// Stops Dovecot and every process it started (so the IMAP process serving a
    /// connection stops answering, as a hung server would) with SIGSTOP.
    pub fn pause_dovecot(&self) {
        self.signal_dovecot(SIGSTOP);
    }

    /// Lets Dovecot go on after [`Self::pause_dovecot`].
    pub fn resume_dovecot(&self) {
        self.signal_dovecot(SIGCONT);
    }

    pub(super) fn signal_dovecot(&self, sig: i32) {
        let Ok(master) = i32::try_from(self.dovecot.child.id()) else {
            return;
        };
        let mut pids = vec![master];
        pids.extend(children_of(master));
        for pid in pids {
            kill(pid, sig);
        }
    }

    /// The tails of the servers' logs, for assertion messages.
    pub fn diagnostics(&self) -> String {
        diagnostics(&self.root)
    }

    // ---- internals -------------------------------------------------------

    /// The Maildir directory of a folder, created through Dovecot if needed.
    pub(super) fn mailbox_dir(&self, user: &str, folder: &str) -> PathBuf {
        self.account(user);
        let path = self.doveadm(&["mailbox", "path", "-u", user, folder]);
        let dir = PathBuf::from(path.trim());
        if !dir.join("cur").is_dir() {
            if folder.eq_ignore_ascii_case("INBOX") {
                // Opening INBOX makes Dovecot create it.
                self.doveadm(&["mailbox", "status", "-u", user, "messages", "INBOX"]);
            } else {
                self.doveadm(&["mailbox", "create", "-s", "-u", user, folder]);
            }
        }
        assert!(
            dir.join("cur").is_dir(),
            "Dovecot did not create the Maildir {dir:?} for {user}/{folder}"
        );
        dir
    }

    pub(super) fn write_maildir_file(
        &self,
        dir: &Path,
        raw: &[u8],
        flags: &str,
        received: Option<SystemTime>,
    ) {
        static LAST_MICROS: AtomicU64 = AtomicU64::new(0);
        // Strictly increasing fake delivery times keep the file names (and so
        // the UIDs Dovecot assigns) in seeding order and unique.
        // Dovecot's file names carry a real delivery time, not rapport's clock.
        #[allow(clippy::disallowed_methods)]
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64);
        let mut prev = LAST_MICROS.load(Ordering::Relaxed);
        let micros = loop {
            let next = now.max(prev + 1);
            match LAST_MICROS.compare_exchange_weak(
                prev,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break next,
                Err(actual) => prev = actual,
            }
        };
        let mut flags: Vec<char> = flags.chars().collect();
        flags.sort_unstable();
        flags.dedup();
        let flags: String = flags.into_iter().collect();
        let base = format!(
            "{}.M{}P{}.rapport-test,S={}",
            micros / 1_000_000,
            micros % 1_000_000,
            std::process::id(),
            raw.len()
        );
        let tmp = dir.join("tmp").join(&base);
        let dest = dir.join("cur").join(format!("{base}:2,{flags}"));
        let mut file = File::create(&tmp).unwrap_or_else(|e| panic!("cannot create {tmp:?}: {e}"));
        file.write_all(raw)
            .unwrap_or_else(|e| panic!("cannot write {tmp:?}: {e}"));
        fchown(&file, Some(self.mail_uid), Some(self.mail_gid))
            .unwrap_or_else(|e| panic!("cannot chown {tmp:?}: {e}"));
        if let Some(at) = received {
            file.set_modified(at)
                .unwrap_or_else(|e| panic!("cannot set the mtime of {tmp:?}: {e}"));
        }
        drop(file);
        fs::rename(&tmp, &dest).unwrap_or_else(|e| panic!("cannot move {tmp:?} to {dest:?}: {e}"));
    }
}
