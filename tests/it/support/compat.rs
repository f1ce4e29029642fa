//! The compatibility suite's servers: Dovecot (the usual [`TestServers`]), and Cyrus
//! IMAP 3.6 and Courier-IMAP 5.0 from Debian's packages, which conflict with Dovecot's
//! (`imap-server`), so `scripts/setup-test-servers.sh` downloads and unpacks them into
//! [`COMPAT_ROOT`] instead of installing them. Each [`Mailhost`] is one IMAP server on
//! loopback in its own temporary directory, with the user `me` (password `me-secret`),
//! TLS from the same throwaway CA as the SMTP server beside it, and is stopped (its
//! whole process group) when dropped.
//!
//! When Cyrus or Courier cannot be had (no unpacked packages), [`Mailhost::start`] says
//! so in one line per server and returns `None`: the test passes without running, and
//! `scripts/test` prints the same line, so nobody mistakes it for a run.

mod admin;
mod courier;
mod cyrus;

pub use admin::Admin;

use super::*;

/// Where `scripts/setup-test-servers.sh` unpacks Cyrus and Courier (`root/`) and marks
/// it done (`ready`); `RAPPORT_COMPAT_ROOT` overrides it.
pub const COMPAT_ROOT: &str = "/opt/rapport-test-servers";
const COMPAT_ROOT_ENV: &str = "RAPPORT_COMPAT_ROOT";
/// The password of `me` on every server (what [`TestServers::rapport_config`] prints).
pub const PASSWORD: &str = "me-secret";

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dovecot,
    Cyrus,
    Courier,
}

/// What the server offers, where it can be told.
#[derive(Clone, Copy, Debug)]
pub struct Quirks {
    /// The Sent folder is marked `\Sent` (Dovecot, Cyrus); Courier never marks one.
    pub special_use: bool,
    /// IDLE is advertised.
    pub idle: bool,
}

impl Default for Quirks {
    fn default() -> Self {
        Quirks {
            special_use: true,
            idle: true,
        }
    }
}

/// One IMAP server of [`Kind`] with an SMTP server beside it (the SMTP server of a
/// [`TestServers`], which also keeps what it received).
pub struct Mailhost {
    pub kind: Kind,
    /// The SMTP sink, and the IMAP server itself for [`Kind::Dovecot`].
    pub servers: TestServers,
    other: Option<Other>,
}

/// Cyrus or Courier: its ports and processes.
struct Other {
    imap_port: u16,
    imaps_port: u16,
    group: Group,
    _dir: tempfile::TempDir,
}

impl Mailhost {
    /// Starts the server, `me` in it with an empty INBOX and its Sent folder (marked
    /// `\Sent` when `quirks` say so and the server can); `None` when Cyrus or Courier is
    /// not unpacked (said in one line).
    pub fn start(kind: Kind, quirks: Quirks) -> Option<Mailhost> {
        // Said (and nothing started) before anything else when it cannot be had.
        let root = available(kind)?;
        let servers = TestServers::start_with(Options {
            special_use: quirks.special_use,
            idle: quirks.idle,
            ..Options::default()
        });
        let other = match kind {
            Kind::Dovecot => None,
            Kind::Cyrus | Kind::Courier => {
                let tls = servers
                    .ca_pem_path()
                    .parent()
                    .expect("the CA's folder")
                    .to_path_buf();
                let mut dir = tempfile::Builder::new()
                    .prefix(DIR_PREFIX)
                    .tempdir_in(temp_base())
                    .expect("a temporary directory");
                if std::env::var_os(KEEP_ENV).is_some() {
                    dir.disable_cleanup(true);
                    eprintln!("{KEEP_ENV}: keeping {:?}", dir.path());
                }
                set_mode(dir.path(), 0o755);
                let (group, imap_port, imaps_port) = if kind == Kind::Cyrus {
                    cyrus::start(&root, dir.path(), &tls, quirks)
                } else {
                    courier::start(&root, dir.path(), &tls, quirks)
                };
                // The port answers, and it is this server that answers.
                let greeting = greeting(imap_port);
                let name = if kind == Kind::Cyrus {
                    "Cyrus"
                } else {
                    "Courier"
                };
                assert!(
                    greeting.contains(name),
                    "another server answers on {imap_port}: {greeting}\n{}",
                    group.diagnostics()
                );
                Some(Other {
                    imap_port,
                    imaps_port,
                    group,
                    _dir: dir,
                })
            }
        };
        let host = Mailhost {
            kind,
            servers,
            other,
        };
        // Dovecot makes its own Sent folder, marked, unless told to make none.
        if kind != Kind::Dovecot || !quirks.special_use {
            let special = (quirks.special_use && kind == Kind::Cyrus).then_some("\\Sent");
            host.admin().create(host.sent_wire(), special);
        }
        Some(host)
    }

    /// The server's name, for messages.
    pub fn name(&self) -> &'static str {
        match self.kind {
            Kind::Dovecot => "Dovecot",
            Kind::Cyrus => "Cyrus",
            Kind::Courier => "Courier",
        }
    }

    /// Cleartext IMAP (STARTTLS offered; LOGIN taken from 127.0.0.1).
    pub fn imap_port(&self) -> u16 {
        self.other
            .as_ref()
            .map_or_else(|| self.servers.imap_port(), |o| o.imap_port)
    }

    /// IMAP with implicit TLS.
    pub fn imaps_port(&self) -> u16 {
        self.other
            .as_ref()
            .map_or_else(|| self.servers.imaps_port(), |o| o.imaps_port)
    }

    /// The login name of `me` on this server.
    pub fn user(&self) -> &'static str {
        match self.kind {
            Kind::Dovecot => "me@example.test",
            Kind::Cyrus | Kind::Courier => "me",
        }
    }

    /// A folder's wire name under the server's layout: `Sent` on Dovecot, `INBOX.Sent`
    /// on Cyrus and Courier (Debian's defaults: every folder under the inbox, `.`).
    pub fn folder(&self, wire: &str) -> String {
        match self.kind {
            Kind::Dovecot => wire.to_string(),
            Kind::Cyrus | Kind::Courier => format!("INBOX.{wire}"),
        }
    }

    /// The Sent folder's wire name.
    pub fn sent_wire(&self) -> &'static str {
        match self.kind {
            Kind::Dovecot => "Sent",
            Kind::Cyrus | Kind::Courier => "INBOX.Sent",
        }
    }

    /// A logged-in [`Admin`] connection as `me`.
    pub fn admin(&self) -> Admin {
        Admin::login(self.imap_port(), self.user(), PASSWORD)
    }

    /// rapport's config for `me` on this server (SMTP to the sink beside it).
    pub fn rapport_config(&self) -> String {
        let base = self.servers.rapport_config();
        let dovecot = format!(
            "port = {}\nsecurity = \"tls\"\nusername = \"me@example.test\"\npassword_command",
            self.servers.imaps_port()
        );
        assert!(base.contains(&dovecot), "the [imap] lines moved: {base}");
        base.replacen(
            &dovecot,
            &format!(
                "port = {}\nsecurity = \"tls\"\nusername = \"{}\"\npassword_command",
                self.imaps_port(),
                self.user()
            ),
            1,
        )
    }

    /// Cuts every IMAP connection of `me` from the server's side, as a server's own
    /// timeout or a restart does.
    pub fn drop_connections(&self) {
        match &self.other {
            None => {
                self.servers.doveadm(&["kick", "me"]);
            }
            Some(o) => o.group.kill_named("imapd"),
        }
    }

    /// Makes the server refuse every APPEND to its Sent folder (NO) while it can still
    /// be read: an ACL without the insert right (as Cyrus's admin on Cyrus, a negative
    /// right of the owner on Courier), a Maildir whose `tmp/` the server's user cannot
    /// write on Dovecot (which has no ACL plugin here).
    pub fn refuse_appends_to_sent(&self) {
        match self.kind {
            Kind::Cyrus => {
                // Only an admin may take rights from the owner; in the admin's
                // namespace `INBOX.Sent` of `me` is `user.me.Sent`.
                let mut admin = Admin::login(self.imap_port(), "cyrus", PASSWORD);
                admin.run("SETACL \"user.me.Sent\" me lrs");
            }
            Kind::Courier => {
                self.admin().run("SETACL \"INBOX.Sent\" -owner i");
            }
            Kind::Dovecot => {
                // Dovecot makes the folder's Maildir when it is first opened.
                self.admin().messages(self.sent_wire());
                let root = self.servers.ca_pem_path();
                let root = root.ancestors().nth(2).expect("the servers' root");
                set_mode(&root.join("mail/me/Maildir/.Sent/tmp"), 0o555);
            }
        }
    }

    /// The server's own log lines, for a failure message.
    pub fn diagnostics(&self) -> String {
        match &self.other {
            None => self.servers.diagnostics(),
            Some(o) => o.group.diagnostics(),
        }
    }
}

/// The first line a server sends on `port`.
fn greeting(port: u16) -> String {
    let stream = std::net::TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("cannot connect to 127.0.0.1:{port}: {e}"));
    stream
        .set_read_timeout(Some(STARTUP_TIMEOUT))
        .expect("a read timeout");
    let mut line = String::new();
    let _ = BufReader::new(stream).read_line(&mut line);
    line.trim_end().to_string()
}

/// Two ports for a Cyrus or Courier instance, free when asked. They are taken below the
/// kernel's ephemeral range (32768 and up), where [`free_port`] (Dovecot) and the SMTP
/// server's port 0 land: a port handed to another server between this check and the
/// bind would make this instance's wait see the other server listening. Spread by the
/// process id, so test processes of other checkouts do not meet.
fn compat_ports() -> (u16, u16) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = 20_000 + u64::from(std::process::id() % 500) * 24;
    for _ in 0..1000 {
        let n = NEXT.fetch_add(2, Ordering::SeqCst);
        let port = |k: u64| u16::try_from(base + (n + k) % 12_000).expect("a port below 32768");
        let (a, b) = (port(0), port(1));
        let free = |p: u16| TcpListener::bind(("127.0.0.1", p)).is_ok();
        if free(a) && free(b) {
            return (a, b);
        }
    }
    panic!("no two free ports between 20000 and 32000 on 127.0.0.1");
}

/// The unpacked packages' root, or `None` after saying (once per server) why not.
fn available(kind: Kind) -> Option<PathBuf> {
    static SAID: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let base =
        std::env::var_os(COMPAT_ROOT_ENV).map_or_else(|| PathBuf::from(COMPAT_ROOT), PathBuf::from);
    let (name, binary) = match kind {
        Kind::Dovecot => return Some(base),
        Kind::Cyrus => ("Cyrus", "usr/lib/cyrus/bin/master"),
        Kind::Courier => ("Courier", "usr/bin/imapd"),
    };
    let root = base.join("root");
    if base.join("ready").exists() && root.join(binary).exists() {
        return Some(root);
    }
    let mut said = SAID
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !said.contains(&name) {
        said.push(name);
        eprintln!(
            "compat: {name} NOT TESTED: its unpacked Debian packages are not in {} (run scripts/setup-test-servers.sh as root, or set {COMPAT_ROOT_ENV})",
            base.display()
        );
    }
    None
}

/// The processes of a server started in a process group of their own, all stopped when
/// dropped, and its log files.
struct Group {
    child: Child,
    logs: Vec<PathBuf>,
}

impl Group {
    /// Spawns `cmd` as the leader of a new process group.
    fn spawn(mut cmd: Command, what: &str, logs: Vec<PathBuf>) -> Group {
        use std::os::unix::process::CommandExt as _;
        let child = cmd
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        Group { child, logs }
    }

    fn pgid(&self) -> i32 {
        i32::try_from(self.child.id()).expect("pid fits in i32")
    }

    /// Waits until `port` on 127.0.0.1 accepts connections.
    fn wait_listening(&mut self, port: u16, what: &str) {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{what} exited with {status}:\n{}", self.diagnostics());
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{what} did not listen on {port} within {STARTUP_TIMEOUT:?}:\n{}",
                self.diagnostics()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every process under the leader, with its name: Courier's `couriertcpd` puts
    /// itself in a process group of its own, so they are found by descent.
    fn descendants(&self) -> Vec<(i32, String)> {
        let Ok(entries) = fs::read_dir("/proc") else {
            return Vec::new();
        };
        // (pid, parent, name) of every process.
        let procs: Vec<(i32, i32, String)> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter_map(|pid| {
                let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                let (open, close) = (stat.find('(')?, stat.rfind(')')?);
                let name = stat.get(open + 1..close)?.to_string();
                // "pid (comm) state ppid ...".
                let ppid = stat
                    .get(close + 1..)?
                    .split_whitespace()
                    .nth(1)?
                    .parse()
                    .ok()?;
                Some((pid, ppid, name))
            })
            .collect();
        let mut under = vec![self.pgid()];
        let mut i = 0;
        while let Some(&parent) = under.get(i) {
            under.extend(procs.iter().filter(|p| p.1 == parent).map(|p| p.0));
            i += 1;
        }
        procs
            .into_iter()
            .filter(|p| p.0 != self.pgid() && under.contains(&p.0))
            .map(|(pid, _, name)| (pid, name))
            .collect()
    }

    /// SIGTERM to every process under the leader named `comm`.
    fn kill_named(&self, comm: &str) {
        for (pid, name) in self.descendants() {
            if name == comm {
                kill(pid, SIGTERM);
            }
        }
    }

    fn diagnostics(&self) -> String {
        let mut out = String::new();
        for log in &self.logs {
            out.push_str(&format!("--- last lines of {} ---\n", log.display()));
            out.push_str(&tail(log, 25));
        }
        out
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // Found before anything is stopped: once the leader is gone they are orphans.
        let under: Vec<i32> = self.descendants().into_iter().map(|(p, _)| p).collect();
        kill(-self.pgid(), SIGTERM);
        for &pid in &under {
            kill(pid, SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline
            && (under.iter().any(|&p| process_alive(p))
                || matches!(self.child.try_wait(), Ok(None)))
        {
            thread::sleep(Duration::from_millis(5));
        }
        // Whatever is left (a connection's process) goes too.
        kill(-self.pgid(), SIGKILL);
        for &pid in under.iter().filter(|&&p| process_alive(p)) {
            kill(pid, SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SIGKILL: i32 = 9;
