//! Starting the test servers: prerequisites, the temporary directory, certificates,
//! accounts, the Dovecot and SMTP configurations, and waiting for both to listen.

use super::*;

// ---- start-up helpers ----------------------------------------------------

/// Checks what `scripts/setup-test-servers.sh` installs; returns the mail
/// user's uid and gid.
pub(super) fn check_prerequisites() -> (u32, u32) {
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
pub(super) fn temp_base() -> PathBuf {
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
pub(super) fn reap_stale_instances(base: &Path) {
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
pub(super) fn process_alive(pid: i32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .rfind(')')
        .and_then(|close| stat[close + 1..].split_whitespace().next());
    !matches!(state, Some("Z" | "X") | None)
}

pub(super) fn read_pid(path: &Path) -> Option<i32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// A throwaway CA and a server certificate for localhost, 127.0.0.1 and `ip`.
pub(super) fn make_certificates(dir: &Path, ip: IpAddr) {
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

pub(super) fn openssl(dir: &Path, args: &[&str]) {
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

pub(super) fn new_account(user: &str, password: &str) -> Account {
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
pub(super) fn passwd_line(root: &Path, account: &Account, uid: u32, gid: u32) -> String {
    format!(
        "{}:{{PLAIN}}{}:{uid}:{gid}::{}::\n",
        account.user,
        account.password,
        root.join("mail").join(&account.user).display()
    )
}

pub(super) fn make_home(root: &Path, user: &str, uid: u32, gid: u32) {
    let home = root.join("mail").join(user);
    fs::create_dir(&home).unwrap_or_else(|e| panic!("cannot create {home:?}: {e}"));
    std::os::unix::fs::chown(&home, Some(uid), Some(gid))
        .unwrap_or_else(|e| panic!("cannot chown {home:?} to {MAIL_USER}: {e}"));
    set_mode(&home, 0o700);
}

/// Dovecot 2.3's capabilities after login, less IDLE.
const DOVECOT_CAPS_WITHOUT_IDLE: &str = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE";

pub(super) fn dovecot_conf(
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
    // Without special use, no folder is made either: the compatibility suite makes the
    // ones it needs, unmarked (a deleted one must stay deleted, not come back).
    for name in SPECIAL_FOLDERS
        .iter()
        .copied()
        .filter(|_| options.special_use)
    {
        let (folder, name) = match name {
            "Sent" if options.gmail => ("\"[Gmail]/Sent Mail\"", name),
            "Archive" if options.gmail => ("\"[Gmail]/All Mail\"", "All"),
            _ => (name, name),
        };
        special.push_str(&format!(
            "  mailbox {folder} {{\n    special_use = \\{name}\n    auto = subscribe\n  }}\n"
        ));
    }
    let capability = if options.idle {
        String::new()
    } else {
        format!("  imap_capability = {DOVECOT_CAPS_WITHOUT_IDLE}\n")
    };
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
{notify}{capability}}}
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
pub(super) fn start_introspection(root: &Path, ip: IpAddr) -> (Server, u16) {
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
pub(super) fn with_oauth2(root: &Path, conf: &str, ip: IpAddr, port: u16) -> String {
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

pub(super) fn spawn_dovecot(root: &Path) -> Child {
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
pub(super) fn wait_dovecot(root: &Path, server: &mut Server) -> Result<(), String> {
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

pub(super) fn spawn_smtp(root: &Path, options: Options, me: &Account) -> Child {
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
pub(super) fn wait_smtp(root: &Path, child: &mut Child) -> Result<(u16, Option<u16>), String> {
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
pub(super) fn json_number(text: &str, key: &str) -> Option<u16> {
    let at = text.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A port that was free a moment ago (Dovecot must be told its ports; a
/// clash with a port taken meanwhile makes the caller retry).
pub(super) fn free_port(ip: IpAddr) -> u16 {
    TcpListener::bind(SocketAddr::new(ip, 0))
        .and_then(|l| l.local_addr())
        .map_or_else(
            |e| panic!("cannot bind a free port on {ip}: {e}"),
            |a| a.port(),
        )
}

/// A server process, stopped when dropped (also when start-up panics).
pub(super) struct Server {
    pub(super) child: Child,
    name: &'static str,
}

impl Server {
    pub(super) fn new(child: Child, name: &'static str) -> Self {
        Server { child, name }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        stop_child(&mut self.child, self.name);
    }
}
