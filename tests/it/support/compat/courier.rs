//! Courier-IMAP 5.0 from Debian's unpacked packages. Its paths are compiled in
//! (`/etc/courier/authdaemonrc`, `/etc/courier/userdb.dat`,
//! `/run/courier/authdaemon/socket`, `/usr/lib/courier/...`), so it runs in a private
//! mount namespace (`unshare -m`) where `/usr` is the unpacked tree over the system's,
//! `/etc` an overlay holding its config and `me` (userdb), and `/run` a private tmpfs:
//! nothing of it exists for any other process. Cleartext IMAP (STARTTLS, LOGIN taken)
//! and implicit TLS through `couriertls`; no SPECIAL-USE, ever; Maildir++ (`INBOX.`).
//! Without FAM, Courier's IDLE looks for new mail every `IMAP_IDLE_TIMEOUT` seconds: 2
//! here (60 in Debian's config), so a test sees mail at once.

use super::super::*;
use super::{Group, PASSWORD, Quirks};

/// The uid and gid `me`'s Maildir belongs to (`nobody`).
const NOBODY: u32 = 65534;

/// Starts Courier in `dir`; returns its group and (cleartext, TLS) ports.
pub(super) fn start(root: &Path, dir: &Path, tls: &Path, quirks: Quirks) -> (Group, u16, u16) {
    let (imap_port, imaps_port) = super::compat_ports();
    for sub in [
        "etc/courier",
        "etc-work",
        "log",
        "home/me/Maildir/cur",
        "home/me/Maildir/new",
        "home/me/Maildir/tmp",
    ] {
        fs::create_dir_all(dir.join(sub)).unwrap_or_else(|e| panic!("cannot create {sub}: {e}"));
    }
    let mut pem = read(&tls.join("server.key"));
    pem.extend(read(&tls.join("server.pem")));
    write(&dir.join("courier.pem"), pem);
    set_mode(&dir.join("courier.pem"), 0o600);
    for entry in fs::read_dir(root.join("etc/courier")).expect("Courier's /etc") {
        let entry = entry.expect("an entry");
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            fs::copy(
                entry.path(),
                dir.join("etc/courier").join(entry.file_name()),
            )
            .expect("copy");
        }
    }
    let rc = fs::read_to_string(dir.join("etc/courier/authdaemonrc")).expect("authdaemonrc");
    let rc: String = rc
        .lines()
        .map(|l| match l.split('=').next() {
            Some("authmodulelist") => "authmodulelist=\"authuserdb\"".to_string(),
            Some("daemons") => "daemons=2".to_string(),
            _ => l.to_string(),
        })
        .map(|l| l + "\n")
        .collect();
    write(&dir.join("etc/courier/authdaemonrc"), rc);
    let hash = Command::new(OPENSSL)
        .args(["passwd", "-6", PASSWORD])
        .output()
        .expect("openssl passwd");
    let hash = String::from_utf8_lossy(&hash.stdout).trim().to_string();
    let home = dir.join("home/me");
    write(
        &dir.join("etc/courier/userdb"),
        format!(
            "me\tuid={NOBODY}|gid={NOBODY}|home={h}|mail={h}/Maildir|systempw={hash}\n",
            h = home.display()
        ),
    );
    set_mode(&dir.join("etc/courier/userdb"), 0o600);
    let chown = Command::new("chown")
        .args(["-R", &format!("{NOBODY}:{NOBODY}")])
        .arg(&home)
        .status()
        .expect("run chown");
    assert!(chown.success(), "chown failed");
    let caps = if quirks.idle {
        "IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE"
    } else {
        "IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA"
    };
    let (d, r) = (dir.display(), root.display());
    let tcpd = "/usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=40 -maxperip=40 -nodnslookup -noidentlookup";
    write(
        &dir.join("inner.sh"),
        format!(
            r#"# Runs in Courier's private mount namespace (tests/it/support/compat/courier.rs).
set -e
mount -t overlay overlay -o lowerdir=/etc,upperdir={d}/etc,workdir={d}/etc-work /etc
mount -t overlay overlay -o lowerdir={r}/usr:/usr /usr
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/courier/authdaemon
chmod 750 /run/courier/authdaemon
/usr/sbin/makeuserdb
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
export IMAP_CAPABILITY="{caps}" IMAP_CAPABILITY_TLS="{caps} AUTH=PLAIN"
export IMAP_IDLE_TIMEOUT=2 IMAP_ENHANCEDIDLE=0 IMAP_STARTTLS=YES IMAP_TLS_REQUIRED=0
export COURIERTLS=/usr/bin/couriertls TLS_CERTFILE={d}/courier.pem TLS_PROTOCOL=TLS1_2:TLS1_3 TLS_VERIFYPEER=NONE
export MAILDIRPATH=Maildir IMAP_USELOCKS=1 IMAP_UMASK=022 IMAP_ULIMITD=131072 IMAP_KEYWORDS=1 IMAP_ACL=1
/usr/lib/courier/courier-authlib/authdaemond > {d}/log/authdaemond.log 2>&1 &
{tcpd} {imap_port} /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir > {d}/log/imapd.log 2>&1 &
IMAP_TLS=1 {tcpd} {imaps_port} /usr/bin/couriertls -server -tcpd /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir > {d}/log/imapd-ssl.log 2>&1 &
wait
"#
        ),
    );
    let mut cmd = Command::new("unshare");
    cmd.args(["-m", "--propagation", "private", "bash"])
        .arg(dir.join("inner.sh"))
        .stdout(log_file(&dir.join("log/inner.out")))
        .stderr(log_file(&dir.join("log/inner.err")));
    let logs = ["inner.err", "authdaemond.log", "imapd.log", "imapd-ssl.log"]
        .iter()
        .map(|f| dir.join("log").join(f))
        .collect();
    let mut group = Group::spawn(cmd, "Courier (unshare)", logs);
    group.wait_listening(imap_port, "Courier");
    group.wait_listening(imaps_port, "Courier");
    (group, imap_port, imaps_port)
}
