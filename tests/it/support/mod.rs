//! Real mail servers for rapport's integration tests.
//!
//! [`TestServers::start`] gives a test its own private Dovecot (IMAP with
//! STARTTLS, IMAPS, LMTP) and its own SMTP submission server
//! (`scripts/test-smtp-server.py`, built on aiosmtpd, delivering into Dovecot
//! over LMTP), each in a fresh temporary directory on free ports, with a
//! throwaway CA. Instances are fully independent, so tests can run in
//! parallel; dropping the value stops both servers and removes the directory.
//!
//! Needs root and the packages from `scripts/setup-test-servers.sh` (Dovecot,
//! python3-aiosmtpd, openssl, and the unprivileged user [`MAIL_USER`] that owns
//! the mailboxes, because Dovecot refuses to deliver as uid 0).
//!
//! Every instance has the accounts `me` (see [`TestServers::me`]) and the
//! contacts in [`CONTACTS`], each with password `<name>-secret` and address
//! `<name>@example.test`; [`TestServers::add_user`] makes more.
//!
//! The instances live in /dev/shm (tmpfs) when there is one, else in the
//! temporary directory; `RAPPORT_TEST_TMPDIR` overrides that. Set
//! `RAPPORT_KEEP_TEST_SERVERS=1` to keep the directories (configs, logs,
//! mailboxes) after the tests for debugging.
//!
//! One module of the integration-test binary (`tests/it/main.rs`); the `sync` and
//! `daemon` benches include it by path for their servers too.
//!
//! ```ignore
//! use crate::support::TestServers;
//! let servers = TestServers::start();
//! servers.deliver("me", b"Subject: hi\r\n\r\nhello\r\n");
//! ```

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::os::unix::fs::{PermissionsExt, fchown};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Mail domain of every test account.
pub const DOMAIN: &str = "example.test";
/// The unprivileged system user that owns the test mailboxes (created by
/// `scripts/setup-test-servers.sh`; keep the two in sync).
pub const MAIL_USER: &str = "rapport-mail";
/// Contacts created in every instance besides `me`.
pub const CONTACTS: [&str; 3] = ["alice", "bob", "carol"];
/// Special-use folders Dovecot creates (and subscribes) for every account.
pub const SPECIAL_FOLDERS: [&str; 5] = ["Archive", "Drafts", "Junk", "Sent", "Trash"];

const SETUP_HINT: &str =
    "run `scripts/setup-test-servers.sh` as root (from the crate root) to install them";
const DOVECOT: &str = "/usr/sbin/dovecot";
const DOVEADM: &str = "/usr/bin/doveadm";
const OPENSSL: &str = "/usr/bin/openssl";
const PYTHON: &str = "/usr/bin/python3";
const AIOSMTPD: &str = "/usr/lib/python3/dist-packages/aiosmtpd";
const SMTP_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-smtp-server.py");
const INTROSPECT_SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scripts/test-oauth2-introspect.py"
);
const DIR_PREFIX: &str = "rapport-test-";
const KEEP_ENV: &str = "RAPPORT_KEEP_TEST_SERVERS";
const TMPDIR_ENV: &str = "RAPPORT_TEST_TMPDIR";
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
const PORT_ATTEMPTS: usize = 8;
const SIGTERM: i32 = 15;
const SIGSTOP: i32 = 19;
const SIGCONT: i32 = 18;

unsafe extern "C" {
    safe fn kill(pid: i32, sig: i32) -> i32;
    safe fn geteuid() -> u32;
}

/// How the SMTP server talks to clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpMode {
    /// A submission port that requires STARTTLS before anything else and
    /// offers AUTH only after it, plus an implicit-TLS (SMTPS) port.
    Tls,
    /// One port with no STARTTLS at all that still advertises AUTH PLAIN and
    /// LOGIN and logs every AUTH attempt ([`TestServers::auth_attempts`]).
    Plaintext,
}

/// What [`TestServers::start_with`] starts.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Address both servers listen on. Dovecot trusts a client whose address
    /// equals the server's (it then allows LOGIN without TLS); clients on
    /// this machine connect from 127.0.0.1, so bind to 127.0.0.2 for a peer
    /// that is not trusted that way.
    pub ip: IpAddr,
    pub smtp: SmtpMode,
    /// Also an OAuth2 login for Dovecot (XOAUTH2 and OAUTHBEARER through an `oauth2`
    /// passdb asking a loopback introspection endpoint, `scripts/test-oauth2-introspect.py`).
    /// The SMTP server takes tokens either way; both read [`TestServers::set_tokens`].
    pub oauth2: bool,
    /// Dovecot's `imap_idle_notify_interval` in seconds (how often it sends
    /// `* OK Still here` during IDLE); `None`: Dovecot's default, 2 minutes.
    pub idle_notify_secs: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            smtp: SmtpMode::Tls,
            oauth2: false,
            idle_notify_secs: None,
        }
    }
}

/// A mail account on the test servers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Dovecot user name and local part, e.g. `bob`.
    pub user: String,
    /// `bob@example.test`: the mailbox address, and the login name for IMAP
    /// (Dovecot also accepts the bare `user`) and, for `me`, for SMTP.
    pub address: String,
    pub password: String,
}

/// One message for [`TestServers::seed_messages`].
#[derive(Clone, Debug)]
pub struct SeedMessage {
    pub raw: Vec<u8>,
    /// Maildir flag letters: `S` seen, `F` flagged, `R` answered, `D` draft,
    /// `T` deleted. Empty: unseen.
    pub flags: String,
    /// INTERNALDATE (the file's mtime); `None`: now.
    pub received: Option<SystemTime>,
}

impl SeedMessage {
    pub fn new(raw: impl Into<Vec<u8>>) -> Self {
        SeedMessage {
            raw: raw.into(),
            flags: String::new(),
            received: None,
        }
    }

    pub fn flags(mut self, flags: &str) -> Self {
        self.flags = flags.to_string();
        self
    }
}

/// `doveadm mailbox status` of one folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailboxStatus {
    pub messages: u32,
    pub unseen: u32,
    pub uidvalidity: u32,
    pub uidnext: u32,
}

/// A running Dovecot + SMTP server pair; see the module docs.
pub struct TestServers {
    ip: IpAddr,
    imap_port: u16,
    imaps_port: u16,
    smtp_port: u16,
    smtps_port: Option<u16>,
    mail_uid: u32,
    mail_gid: u32,
    accounts: Mutex<Vec<Account>>,
    startup: Duration,
    root: PathBuf,
    // Fields drop in order: the servers stop before the directory goes. The ones
    // named `_…` are only held, to be dropped then.
    _smtp: Server,
    dovecot: Server,
    _introspect: Option<Server>,
    _dir: tempfile::TempDir,
}

impl TestServers {
    /// Both servers on 127.0.0.1, SMTP with STARTTLS (and SMTPS).
    pub fn start() -> TestServers {
        Self::start_with(Options::default())
    }

    /// Both servers on `ip` (e.g. 127.0.0.2), SMTP with STARTTLS (and SMTPS).
    pub fn start_on(ip: IpAddr) -> TestServers {
        Self::start_with(Options {
            ip,
            smtp: SmtpMode::Tls,
            ..Options::default()
        })
    }

    /// Like [`Self::start`], with Dovecot also taking OAuth2 tokens (see
    /// [`Options::oauth2`] and [`Self::set_tokens`]).
    pub fn start_oauth2() -> TestServers {
        Self::start_with(Options {
            oauth2: true,
            ..Options::default()
        })
    }

    /// Both servers on 127.0.0.2 (not "loopback-trusted" by Dovecot for a
    /// client connecting from 127.0.0.1), the SMTP server without any TLS.
    pub fn start_plaintext_smtp() -> TestServers {
        Self::start_with(Options {
            ip: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
            smtp: SmtpMode::Plaintext,
            ..Options::default()
        })
    }

    pub fn start_with(options: Options) -> TestServers {
        let began = Instant::now();
        let (mail_uid, mail_gid) = check_prerequisites();
        let base = temp_base();
        reap_stale_instances(&base);

        let mut dir = tempfile::Builder::new()
            .prefix(DIR_PREFIX)
            .tempdir_in(&base)
            .unwrap_or_else(|e| panic!("cannot create a temporary directory in {base:?}: {e}"));
        if std::env::var_os(KEEP_ENV).is_some() {
            dir.disable_cleanup(true);
            eprintln!("{KEEP_ENV}: keeping {:?}", dir.path());
        }
        let root = dir.path().to_path_buf();
        // Dovecot's login/auth processes and the mail user must get through.
        set_mode(&root, 0o755);
        write(&root.join("owner.pid"), std::process::id().to_string());
        for sub in ["tls", "run", "state", "mail", "smtp", "oauth2"] {
            fs::create_dir(root.join(sub))
                .unwrap_or_else(|e| panic!("cannot create {:?}: {e}", root.join(sub)));
        }
        set_mode(&root.join("mail"), 0o755);
        let lmtp = root.join("run/lmtp");
        assert!(
            lmtp.as_os_str().len() < 100,
            "the LMTP socket path {lmtp:?} is too long for a unix socket; set {TMPDIR_ENV} to a shorter directory"
        );

        make_certificates(&root.join("tls"), options.ip);

        let mut servers_accounts = Vec::new();
        let mut users_file = String::new();
        for user in std::iter::once("me").chain(CONTACTS) {
            let account = new_account(user, &format!("{user}-secret"));
            users_file.push_str(&passwd_line(&root, &account, mail_uid, mail_gid));
            make_home(&root, user, mail_uid, mail_gid);
            servers_accounts.push(account);
        }
        write(&root.join("users"), users_file);
        let me = servers_accounts[0].clone();

        // The SMTP server picks its own ports (it binds port 0 and reports them
        // in smtp/ready); it is the slower one to start, so it goes first.
        write(&root.join("oauth2/tokens"), "");
        set_mode(&root.join("oauth2"), 0o755);
        set_mode(&root.join("oauth2/tokens"), 0o644);
        let mut smtp = Server::new(spawn_smtp(&root, options, &me), "smtp");
        write(&root.join("smtp/pid"), smtp.child.id().to_string());
        let introspect = options
            .oauth2
            .then(|| start_introspection(&root, options.ip));

        let mut dovecot = None;
        for attempt in 1..=PORT_ATTEMPTS {
            let imap_port = free_port(options.ip);
            let imaps_port = free_port(options.ip);
            let mut conf = dovecot_conf(&root, options, imap_port, imaps_port, mail_uid);
            if let Some((_, port)) = &introspect {
                conf = with_oauth2(&root, &conf, options.ip, *port);
            }
            write(&root.join("dovecot.conf"), conf);
            let mut child = Server::new(spawn_dovecot(&root), "dovecot");
            match wait_dovecot(&root, &mut child) {
                Ok(()) => {
                    dovecot = Some((child, imap_port, imaps_port));
                    break;
                }
                Err(log) if log.contains("Address already in use") && attempt < PORT_ATTEMPTS => {
                    continue;
                }
                Err(log) => {
                    panic!(
                        "Dovecot did not start (config {:?}):\n{log}\n{}",
                        root.join("dovecot.conf"),
                        diagnostics(&root)
                    );
                }
            }
        }
        let (dovecot, imap_port, imaps_port) =
            dovecot.expect("Dovecot start loop ended without a result");

        let (smtp_port, smtps_port) = match wait_smtp(&root, &mut smtp.child) {
            Ok(ports) => ports,
            Err(why) => {
                panic!(
                    "the test SMTP server did not start: {why}\n{}",
                    diagnostics(&root)
                );
            }
        };

        TestServers {
            ip: options.ip,
            imap_port,
            imaps_port,
            smtp_port,
            smtps_port,
            mail_uid,
            mail_gid,
            accounts: Mutex::new(servers_accounts),
            dovecot,
            _smtp: smtp,
            _introspect: introspect.map(|(server, _)| server),
            startup: began.elapsed(),
            root,
            _dir: dir,
        }
    }

    // ---- addresses -------------------------------------------------------

    /// The address both servers listen on.
    pub fn ip(&self) -> IpAddr {
        self.ip
    }

    /// [`Self::ip`] as a string, e.g. "127.0.0.1".
    pub fn host(&self) -> String {
        self.ip.to_string()
    }

    /// IMAP with implicit TLS.
    pub fn imaps_port(&self) -> u16 {
        self.imaps_port
    }

    /// Cleartext IMAP offering STARTTLS. Dovecot allows LOGIN here without TLS
    /// only to a client whose address equals the server's (127.0.0.1 to
    /// 127.0.0.1); otherwise it announces LOGINDISABLED until STARTTLS.
    pub fn imap_port(&self) -> u16 {
        self.imap_port
    }

    /// SMTP submission: STARTTLS required in [`SmtpMode::Tls`], no TLS at all
    /// in [`SmtpMode::Plaintext`].
    pub fn smtp_port(&self) -> u16 {
        self.smtp_port
    }

    /// SMTP with implicit TLS. Panics in [`SmtpMode::Plaintext`].
    pub fn smtps_port(&self) -> u16 {
        self.smtps_port
            .expect("the plaintext-mode SMTP server has no SMTPS port")
    }

    /// A rapport config for the user `me`: SMTP with required STARTTLS and IMAP over
    /// TLS, both trusting the throwaway CA. Tests adjust it with `str::replace`.
    pub fn rapport_config(&self) -> String {
        format!(
            r#"[identity]
name = "Ada Lovelace"
email = "me@example.test"
timezone = "Europe/London"

[smtp]
host = "{host}"
port = {smtp}
security = "starttls"
username = "me@example.test"
password_command = "echo me-secret"
ca_file = "{ca}"
timeout_seconds = 10

[imap]
host = "{host}"
port = {imaps}
security = "tls"
username = "me@example.test"
password_command = "echo me-secret"
ca_file = "{ca}"
poll_seconds = 10
"#,
            host = self.host(),
            smtp = self.smtp_port(),
            imaps = self.imaps_port(),
            ca = self.ca_pem_path().display(),
        )
    }

    /// The throwaway CA (PEM) that signed both servers' certificate, whose
    /// names are `localhost`, 127.0.0.1 and [`Self::ip`].
    pub fn ca_pem_path(&self) -> PathBuf {
        self.root.join("tls/ca.pem")
    }

    pub fn ca_pem(&self) -> Vec<u8> {
        read(&self.ca_pem_path())
    }

    /// How long [`Self::start_with`] took.
    pub fn startup_time(&self) -> Duration {
        self.startup
    }

    // ---- accounts --------------------------------------------------------

    /// The account owner; the only credentials the SMTP server accepts.
    pub fn me(&self) -> Account {
        self.account("me")
    }

    /// An existing account (`me`, a contact, or one from [`Self::add_user`]).
    pub fn account(&self, user: &str) -> Account {
        self.accounts
            .lock()
            .expect("accounts lock poisoned")
            .iter()
            .find(|a| a.user == user)
            .cloned()
            .unwrap_or_else(|| panic!("no test account {user:?}; create it with add_user"))
    }

    /// Creates `user@example.test` with this password (usable at once by
    /// IMAP, LMTP and as an SMTP recipient).
    pub fn add_user(&self, user: &str, password: &str) -> Account {
        assert!(
            !password.is_empty() && !password.contains([':', '\n', '\r']),
            "add_user({user:?}): the password must be non-empty and have no ':' or newline"
        );
        let account = new_account(user, password);
        let mut accounts = self.accounts.lock().expect("accounts lock poisoned");
        assert!(
            accounts.iter().all(|a| a.user != user),
            "add_user: the account {user:?} already exists"
        );
        make_home(&self.root, user, self.mail_uid, self.mail_gid);
        let mut users = fs::read_to_string(self.root.join("users"))
            .unwrap_or_else(|e| panic!("cannot read the Dovecot users file: {e}"));
        users.push_str(&passwd_line(
            &self.root,
            &account,
            self.mail_uid,
            self.mail_gid,
        ));
        write(&self.root.join("users"), users);
        accounts.push(account.clone());
        account
    }

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

    /// The introspection endpoint's log, one JSON object a line (never the token).
    pub fn introspection_log(&self) -> Vec<String> {
        fs::read_to_string(self.root.join("oauth2/log.jsonl"))
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The messages the SMTP server accepted, exactly as received, in order.
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

    /// Stops Dovecot and every process it started (so the IMAP process serving a
    /// connection stops answering, as a hung server would) with SIGSTOP.
    pub fn pause_dovecot(&self) {
        self.signal_dovecot(SIGSTOP);
    }

    /// Lets Dovecot go on after [`Self::pause_dovecot`].
    pub fn resume_dovecot(&self) {
        self.signal_dovecot(SIGCONT);
    }

    fn signal_dovecot(&self, sig: i32) {
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
    fn mailbox_dir(&self, user: &str, folder: &str) -> PathBuf {
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

    fn write_maildir_file(
        &self,
        dir: &Path,
        raw: &[u8],
        flags: &str,
        received: Option<SystemTime>,
    ) {
        static LAST_MICROS: AtomicU64 = AtomicU64::new(0);
        // Strictly increasing fake delivery times keep the file names (and so
        // the UIDs Dovecot assigns) in seeding order and unique.
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

impl Drop for TestServers {
    fn drop(&mut self) {
        if thread::panicking() {
            eprintln!(
                "test servers in {:?} at a failed test:\n{}",
                self.root,
                diagnostics(&self.root)
            );
        }
        // Then the fields drop: smtp and dovecot stop, the directory goes.
    }
}

// ---- start-up helpers ----------------------------------------------------

/// Checks what `scripts/setup-test-servers.sh` installs; returns the mail
/// user's uid and gid.
fn check_prerequisites() -> (u32, u32) {
    assert!(
        geteuid() == 0,
        "the test servers need root (Dovecot switches to the unprivileged mail user {MAIL_USER}); \
         run the tests as root"
    );
    let missing: Vec<&str> = [DOVECOT, DOVEADM, OPENSSL, PYTHON, AIOSMTPD]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "missing {missing:?} (packages dovecot-imapd, dovecot-lmtpd, python3-aiosmtpd, openssl): {SETUP_HINT}"
    );
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.len() >= 4 && f[0] == MAIL_USER)
                .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
                .flatten()
        })
        .unwrap_or_else(|| panic!("the system user {MAIL_USER} does not exist: {SETUP_HINT}"))
}

/// The directory the instances go in: `$RAPPORT_TEST_TMPDIR` if set, else
/// /dev/shm when it is there (tmpfs: creating files on this VM's disk is
/// ~15x slower, which matters for seeding 20,000 messages), else the usual
/// temporary directory. Every ancestor must be searchable by Dovecot's
/// unprivileged processes and the mail user.
fn temp_base() -> PathBuf {
    let base = match std::env::var_os(TMPDIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => {
            let shm = Path::new("/dev/shm");
            let usable = fs::metadata(shm)
                .is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o1777 == 0o1777);
            if usable {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            }
        }
    };
    for dir in base.ancestors() {
        let mode = fs::metadata(dir)
            .unwrap_or_else(|e| panic!("cannot stat {dir:?}: {e}"))
            .permissions()
            .mode();
        assert!(
            mode & 0o001 != 0,
            "{dir:?} is not searchable by other users (mode {mode:o}), so Dovecot's mail user \
             cannot reach the test mailboxes under {base:?}; set {TMPDIR_ENV} to e.g. /tmp"
        );
    }
    base
}

/// Stops servers left behind by test processes that died without dropping
/// their TestServers (e.g. killed by Ctrl-C), and removes their directories.
fn reap_stale_instances(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(DIR_PREFIX) {
            continue;
        }
        let path = entry.path();
        let Some(owner) = read_pid(&path.join("owner.pid")) else {
            continue; // still being set up
        };
        if process_alive(owner) {
            continue;
        }
        let mut pids = Vec::new();
        for (pid_file, comm) in [("run/master.pid", "dovecot"), ("smtp/pid", "python3")] {
            if let Some(pid) = read_pid(&path.join(pid_file)) {
                let running = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
                if running.trim() == comm && process_alive(pid) {
                    pids.push(pid);
                    pids.extend(children_of(pid));
                }
            }
        }
        for &pid in &pids {
            kill(pid, SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while pids.iter().any(|&p| process_alive(p)) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        // owner.pid goes last, so a removal cut short is retried next time.
        if let Ok(items) = fs::read_dir(&path) {
            for item in items.flatten() {
                if item.file_name() != "owner.pid" {
                    let p = item.path();
                    let _ = if p.is_dir() {
                        fs::remove_dir_all(&p)
                    } else {
                        fs::remove_file(&p)
                    };
                }
            }
        }
        let _ = fs::remove_file(path.join("owner.pid"));
        let _ = fs::remove_dir(&path);
    }
}

/// Running, i.e. neither gone nor a zombie.
fn process_alive(pid: i32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .rfind(')')
        .and_then(|close| stat[close + 1..].split_whitespace().next());
    !matches!(state, Some("Z" | "X") | None)
}

fn read_pid(path: &Path) -> Option<i32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// A throwaway CA and a server certificate for localhost, 127.0.0.1 and `ip`.
fn make_certificates(dir: &Path, ip: IpAddr) {
    let mut names = vec!["DNS:localhost".to_string(), "IP:127.0.0.1".to_string()];
    if ip != IpAddr::V4(Ipv4Addr::LOCALHOST) {
        names.push(format!("IP:{ip}"));
    }
    let config = format!(
        "[req]\n\
         distinguished_name = dn\n\
         prompt = no\n\
         [dn]\n\
         CN = unused\n\
         [ca_ext]\n\
         basicConstraints = critical,CA:TRUE\n\
         keyUsage = critical,keyCertSign,cRLSign\n\
         subjectKeyIdentifier = hash\n\
         [server_ext]\n\
         basicConstraints = critical,CA:FALSE\n\
         keyUsage = critical,digitalSignature\n\
         extendedKeyUsage = serverAuth\n\
         subjectAltName = {}\n\
         subjectKeyIdentifier = hash\n\
         authorityKeyIdentifier = keyid\n",
        names.join(",")
    );
    write(&dir.join("openssl.cnf"), config);
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    openssl(
        dir,
        &[
            &[
                "req",
                "-x509",
                "-config",
                "openssl.cnf",
                "-extensions",
                "ca_ext",
            ][..],
            &ec,
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "7"],
            &["-subj", "/CN=rapport test CA"],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[
            &[
                "req",
                "-x509",
                "-config",
                "openssl.cnf",
                "-extensions",
                "server_ext",
            ][..],
            &["-CA", "ca.pem", "-CAkey", "ca.key"],
            &ec,
            &["-keyout", "server.key", "-out", "server.pem", "-days", "7"],
            &["-subj", "/CN=localhost"],
        ]
        .concat(),
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new(OPENSSL)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {OPENSSL}: {e}"));
    assert!(
        out.status.success(),
        "openssl {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn new_account(user: &str, password: &str) -> Account {
    assert!(
        !user.is_empty()
            && user
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)),
        "test account names must be lowercase ASCII letters, digits, '.', '_' or '-': {user:?}"
    );
    Account {
        user: user.to_string(),
        address: format!("{user}@{DOMAIN}"),
        password: password.to_string(),
    }
}

/// A Dovecot passwd-file line: user:password:uid:gid:gecos:home:shell:extra.
fn passwd_line(root: &Path, account: &Account, uid: u32, gid: u32) -> String {
    format!(
        "{}:{{PLAIN}}{}:{uid}:{gid}::{}::\n",
        account.user,
        account.password,
        root.join("mail").join(&account.user).display()
    )
}

fn make_home(root: &Path, user: &str, uid: u32, gid: u32) {
    let home = root.join("mail").join(user);
    fs::create_dir(&home).unwrap_or_else(|e| panic!("cannot create {home:?}: {e}"));
    std::os::unix::fs::chown(&home, Some(uid), Some(gid))
        .unwrap_or_else(|e| panic!("cannot chown {home:?} to {MAIL_USER}: {e}"));
    set_mode(&home, 0o700);
}

fn dovecot_conf(
    root: &Path,
    options: Options,
    imap_port: u16,
    imaps_port: u16,
    uid: u32,
) -> String {
    let ip = options.ip;
    let notify = options
        .idle_notify_secs
        .map(|n| format!("  imap_idle_notify_interval = {n} secs\n"))
        .unwrap_or_default();
    let r = root.display();
    let instance = root.file_name().map_or_else(
        || "rapport-test".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut special = String::new();
    for name in SPECIAL_FOLDERS {
        special.push_str(&format!(
            "  mailbox {name} {{\n    special_use = \\{name}\n    auto = subscribe\n  }}\n"
        ));
    }
    format!(
        "# Generated by tests/support/mod.rs; touches nothing outside {r}.
instance_name = {instance}
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
hostname = imap.{DOMAIN}
protocols = imap lmtp
listen = {ip}
ssl = yes
ssl_cert = <{r}/tls/server.pem
ssl_key = <{r}/tls/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_username_format = %Ln
auth_failure_delay = 0
auth_verbose = yes
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {r}/users
}}
userdb {{
  driver = passwd-file
  args = {r}/users
}}
namespace inbox {{
  inbox = yes
  separator = /
{special}}}
protocol imap {{
  mail_max_userip_connections = 100
{notify}}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
}}
"
    )
}

/// Starts the loopback introspection endpoint; returns it and its port.
fn start_introspection(root: &Path, ip: IpAddr) -> (Server, u16) {
    let dir = root.join("oauth2");
    let ready = dir.join("ready");
    let child = Command::new(PYTHON)
        .args(["-I", "-u", INTROSPECT_SCRIPT, "--exit-with-parent"])
        .arg("--host")
        .arg(ip.to_string())
        .arg("--tokens-file")
        .arg(dir.join("tokens"))
        .arg("--ready")
        .arg(&ready)
        .arg("--log")
        .arg(dir.join("log.jsonl"))
        .stdin(Stdio::null())
        .stdout(log_file(&dir.join("stdout.log")))
        .stderr(log_file(&dir.join("stderr.log")))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {PYTHON} {INTROSPECT_SCRIPT}: {e}"));
    let mut server = Server::new(child, "introspect");
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!(
                "the introspection endpoint exited with {status}:\n{}",
                tail(&dir.join("stderr.log"), 20)
            );
        }
        if let Some(port) = fs::read_to_string(&ready)
            .ok()
            .and_then(|t| json_number(&t, "port"))
        {
            return (server, port);
        }
        assert!(
            Instant::now() < deadline,
            "the introspection endpoint did not start"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// Adds XOAUTH2 and OAUTHBEARER to a generated Dovecot config: an `oauth2` passdb
/// (tried first, for those mechanisms only) asking the endpoint on `port`.
fn with_oauth2(root: &Path, conf: &str, ip: IpAddr, port: u16) -> String {
    let ext = root.join("oauth2/dovecot-oauth2.conf.ext");
    write(
        &ext,
        format!(
            "introspection_mode = post\nintrospection_url = http://{ip}:{port}/introspect\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n"
        ),
    );
    set_mode(&ext, 0o644);
    conf.replacen(
        "auth_mechanisms = plain login\n",
        "auth_mechanisms = plain login xoauth2 oauthbearer\n",
        1,
    )
    .replacen(
        "passdb {\n  driver = passwd-file\n",
        &format!(
            "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {}\n}}\npassdb {{\n  driver = passwd-file\n  mechanisms = plain login\n",
            ext.display()
        ),
        1,
    )
}

fn spawn_dovecot(root: &Path) -> Child {
    // A retry after a port clash reuses the directory.
    let _ = fs::remove_file(root.join("run/master.pid"));
    Command::new(DOVECOT)
        .arg("-F")
        .arg("-c")
        .arg(root.join("dovecot.conf"))
        .stdin(Stdio::null())
        .stdout(log_file(&root.join("dovecot.stdout")))
        .stderr(log_file(&root.join("dovecot.stderr")))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {DOVECOT}: {e}"))
}

/// Waits until Dovecot listens (it writes master.pid only after binding all
/// its listeners) and answers on LMTP. Err: its log, after it exited.
fn wait_dovecot(root: &Path, server: &mut Server) -> Result<(), String> {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Some(status) = server.child.try_wait().expect("waiting for dovecot") {
            return Err(format!(
                "dovecot exited with {status}:\n{}{}",
                tail(&root.join("dovecot.stderr"), 20),
                tail(&root.join("dovecot.log"), 20)
            ));
        }
        if root.join("run/master.pid").exists()
            && UnixStream::connect(root.join("run/lmtp")).is_ok()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            panic!(
                "Dovecot did not get ready within {STARTUP_TIMEOUT:?}\n{}",
                diagnostics(root)
            );
        }
        thread::sleep(Duration::from_millis(5));
    }
}

fn spawn_smtp(root: &Path, options: Options, me: &Account) -> Child {
    let dir = root.join("smtp");
    let mut cmd = Command::new(PYTHON);
    // -I: ignore PYTHON* variables and user site-packages (pyenv and friends).
    cmd.args(["-I", "-u", SMTP_SCRIPT])
        .arg("--host")
        .arg(options.ip.to_string())
        .args(["--port", "0", "--smtps-port", "0"])
        .args(["--username", &me.address, "--password", &me.password])
        .arg("--lmtp-socket")
        .arg(root.join("run/lmtp"))
        .arg("--users-file")
        .arg(root.join("users"))
        .arg("--tokens-file")
        .arg(root.join("oauth2/tokens"))
        .args(["--domain", DOMAIN, "--exit-with-parent"])
        .arg("--dir")
        .arg(&dir);
    match options.smtp {
        SmtpMode::Tls => {
            cmd.arg("--cert")
                .arg(root.join("tls/server.pem"))
                .arg("--key")
                .arg(root.join("tls/server.key"));
        }
        SmtpMode::Plaintext => {
            cmd.arg("--plaintext");
        }
    }
    cmd.stdin(Stdio::null())
        .stdout(log_file(&dir.join("stdout.log")))
        .stderr(log_file(&dir.join("stderr.log")))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {PYTHON} {SMTP_SCRIPT}: {e}"))
}

/// Waits for smtp/ready, written once the server listens; returns its ports.
fn wait_smtp(root: &Path, child: &mut Child) -> Result<(u16, Option<u16>), String> {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let ready = root.join("smtp/ready");
    loop {
        if let Some(status) = child.try_wait().expect("waiting for the SMTP server") {
            return Err(format!("it exited with {status}"));
        }
        if let Ok(text) = fs::read_to_string(&ready) {
            let smtp = json_number(&text, "smtp")
                .ok_or_else(|| format!("no smtp port in {ready:?}: {text:?}"))?;
            return Ok((smtp, json_number(&text, "smtps")));
        }
        if Instant::now() > deadline {
            return Err(format!("no {ready:?} within {STARTUP_TIMEOUT:?}"));
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// `"key": 123` in a flat JSON object.
fn json_number(text: &str, key: &str) -> Option<u16> {
    let at = text.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A port that was free a moment ago (Dovecot must be told its ports; a
/// clash with a port taken meanwhile makes the caller retry).
fn free_port(ip: IpAddr) -> u16 {
    TcpListener::bind(SocketAddr::new(ip, 0))
        .and_then(|l| l.local_addr())
        .map_or_else(
            |e| panic!("cannot bind a free port on {ip}: {e}"),
            |a| a.port(),
        )
}

/// A server process, stopped when dropped (also when start-up panics).
struct Server {
    child: Child,
    name: &'static str,
}

impl Server {
    fn new(child: Child, name: &'static str) -> Self {
        Server { child, name }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        stop_child(&mut self.child, self.name);
    }
}

/// SIGTERM, a bounded wait, then SIGKILL.
///
/// Dovecot's master, once told to stop, waits a fixed ~1 s for its `log`
/// child unless that is already on its way out, so its direct children get
/// SIGTERM together with it: that brings a shutdown from ~1.1 s to ~0.1 s.
fn stop_child(child: &mut Child, what: &str) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let pid = i32::try_from(child.id()).expect("pid fits in i32");
    let children = children_of(pid);
    kill(pid, SIGTERM);
    for c in children {
        kill(c, SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(2));
    }
    eprintln!("test servers: {what} ignored SIGTERM for 5 s; killing it");
    let _ = child.kill();
    let _ = child.wait();
}

/// Pids of `parent`'s children.
fn children_of(parent: i32) -> Vec<i32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces.
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            let Some(close) = stat.rfind(')') else {
                return false;
            };
            stat[close + 1..].split_whitespace().nth(1) == Some(parent.to_string().as_str())
        })
        .collect()
}

// ---- LMTP ------------------------------------------------------------------

fn lmtp_deliver(socket: &Path, rcpt: &str, raw: &[u8]) -> Result<(), String> {
    let stream = UnixStream::connect(socket).map_err(|e| format!("connect {socket:?}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut writer = stream;
    let mut step = |command: Option<&[u8]>, expect: u16| -> Result<(), String> {
        if let Some(command) = command {
            writer.write_all(command).map_err(|e| e.to_string())?;
        }
        let reply = read_reply(&mut reader)?;
        if reply.0 == expect {
            Ok(())
        } else {
            let sent = command.map(String::from_utf8_lossy).unwrap_or_default();
            Err(format!(
                "after {:?}: {} {}",
                sent.trim_end(),
                reply.0,
                reply.1
            ))
        }
    };
    step(None, 220)?;
    step(Some(b"LHLO harness.example.test\r\n"), 250)?;
    step(
        Some(format!("MAIL FROM:<harness@{DOMAIN}>\r\n").as_bytes()),
        250,
    )?;
    step(Some(format!("RCPT TO:<{rcpt}>\r\n").as_bytes()), 250)?;
    step(Some(b"DATA\r\n"), 354)?;
    let mut data = Vec::with_capacity(raw.len() + raw.len() / 32 + 8);
    let body = raw.strip_suffix(b"\n").unwrap_or(raw);
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.first() == Some(&b'.') {
            data.push(b'.');
        }
        data.extend_from_slice(line);
        data.extend_from_slice(b"\r\n");
    }
    data.extend_from_slice(b".\r\n");
    step(Some(&data), 250)?;
    let _ = step(Some(b"QUIT\r\n"), 221);
    Ok(())
}

/// One (possibly multi-line) SMTP/LMTP reply.
fn read_reply(reader: &mut impl BufRead) -> Result<(u16, String), String> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!("connection closed (got {text:?})"));
        }
        text.push_str(&line);
        let code = line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| format!("bad reply line {line:?}"))?;
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok((code, text.trim_end().to_string()));
        }
    }
}

// ---- small helpers ---------------------------------------------------------

fn remove_index_files(dir: &Path, prefix: &str) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(prefix) {
                let path = e.path();
                fs::remove_file(&path)
                    .unwrap_or_else(|err| panic!("cannot remove {path:?}: {err}"));
            }
        }
    }
}

fn diagnostics(root: &Path) -> String {
    let mut out = String::new();
    for name in [
        "dovecot.stderr",
        "dovecot.log",
        "smtp/stderr.log",
        "smtp/stdout.log",
        "smtp/smtp-log.jsonl",
    ] {
        out.push_str(&format!("--- last lines of {name} ---\n"));
        out.push_str(&tail(&root.join(name), 25));
    }
    out
}

fn tail(path: &Path, n: usize) -> String {
    let mut text = String::new();
    if let Ok(mut f) = File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[lines.len().saturating_sub(n)..].join("\n");
    out.push('\n');
    out
}

fn log_file(path: &Path) -> File {
    File::create(path).unwrap_or_else(|e| panic!("cannot create {path:?}: {e}"))
}

/// Atomic write (temporary file + rename), so readers never see half a file.
fn write(path: &Path, contents: impl AsRef<[u8]>) {
    let tmp = path.with_extension("tmp-write");
    fs::write(&tmp, contents).unwrap_or_else(|e| panic!("cannot write {tmp:?}: {e}"));
    fs::rename(&tmp, path).unwrap_or_else(|e| panic!("cannot rename {tmp:?} to {path:?}: {e}"));
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {path:?}: {e}"))
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("cannot chmod {path:?}: {e}"));
}
