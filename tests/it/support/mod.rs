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
    /// Dovecot makes Archive, Drafts, Junk, Sent and Trash, marked with their special
    /// use (RFC 6154); `false`: it makes none (the compatibility suite's server without
    /// SPECIAL-USE makes its Sent folder, unmarked).
    pub special_use: bool,
    /// Dovecot advertises IDLE; `false`: its capability list without it (the
    /// compatibility suite's server without IDLE).
    pub idle: bool,
    /// Gmail's layout: `[Gmail]/Sent Mail` marked \Sent and `[Gmail]/All Mail` marked
    /// \All instead of `Sent` (the tests put every message in All Mail again, and the
    /// server's own copy of sent mail in Sent Mail, as Gmail does).
    pub gmail: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            smtp: SmtpMode::Tls,
            oauth2: false,
            idle_notify_secs: None,
            special_use: true,
            idle: true,
            gmail: false,
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
            // Two free ports asked one after the other can be the same one: the first
            // is released before the second is asked for.
            let imaps_port = std::iter::repeat_with(|| free_port(options.ip))
                .find(|p| *p != imap_port)
                .expect("a second free port");
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
                Err(log)
                    if (log.contains("Address already in use")
                        || log.contains("duplicate listener"))
                        && attempt < PORT_ATTEMPTS =>
                {
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
        drop(accounts);
        self.wait_known(user);
        account
    }

    /// Waits until Dovecot's auth process knows `user`: it re-reads the users file at
    /// most once a second, so a delivery right after [`Self::add_user`] could still be
    /// refused as "user doesn't exist".
    fn wait_known(&self, user: &str) {
        let start = Instant::now();
        loop {
            let known = Command::new(DOVEADM)
                .arg("-c")
                .arg(self.root.join("dovecot.conf"))
                .args(["user", user])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if known {
                return;
            }
            assert!(
                start.elapsed() < STARTUP_TIMEOUT,
                "Dovecot never knew the new user {user:?}\n{}",
                diagnostics(&self.root)
            );
            thread::sleep(Duration::from_millis(100));
        }
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

// The rest of the harness, by concern: the mailbox operations of `TestServers`,
// starting the servers, and the processes and files they run on; and the compatibility
// suite's other servers (Cyrus, Courier).
pub mod compat;
pub mod feed;
mod mailbox;
mod process;
pub mod radicale;
mod setup;

use process::*;
use setup::*;
