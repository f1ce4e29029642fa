//! Cyrus IMAP 3.6 from Debian's unpacked packages: `master` (which forks an `imapd` per
//! connection) on two loopback ports, its databases and spool in the instance's
//! directory, `me` in a sasldb of its own, INBOX created at first login. Debian's
//! namespace (`altnamespace: no`, `.` as separator: `INBOX.Sent`) and its `munge8bit`
//! default (raw 8-bit header bytes become `X`). Runs as `nobody`; the admin `cyrus` has
//! the same password as `me`; a Sent folder may be deleted (`specialuse_protect` holds
//! only `\Archive`), as the UIDVALIDITY check does.

use super::super::*;
use super::{Group, PASSWORD, Quirks};

/// Starts Cyrus in `dir`; returns its group and (cleartext, TLS) ports.
pub(super) fn start(root: &Path, dir: &Path, tls: &Path, quirks: Quirks) -> (Group, u16, u16) {
    let (imap_port, imaps_port) = super::compat_ports();
    for sub in [
        "lib/db",
        "lib/socket",
        "lib/proc",
        "lib/msg",
        "lib/user",
        "lib/quota",
        "lib/ptclient",
        "lib/sync",
        "lib/lock",
        "spool",
        "run/socket",
        "run/proc",
        "run/lock",
        "tls",
        "log",
    ] {
        fs::create_dir_all(dir.join(sub)).unwrap_or_else(|e| panic!("cannot create {sub}: {e}"));
    }
    for f in ["server.pem", "server.key"] {
        fs::copy(tls.join(f), dir.join("tls").join(f)).expect("copy the certificate");
    }
    let d = dir.display();
    // Without `idled` Cyrus looks for new mail during IDLE every `imapidlepoll` seconds
    // (60 by default): 1 here, so a test sees mail at once. 0 is what makes Cyrus stop
    // advertising IDLE.
    let idle = if quirks.idle {
        "imapidlepoll: 1\n"
    } else {
        "imapidlepoll: 0\n"
    };
    write(
        &dir.join("imapd.conf"),
        format!(
            "configdirectory: {d}/lib
partition-default: {d}/spool
defaultpartition: default
proc_path: {d}/run/proc
mboxname_lockpath: {d}/run/lock
idlesocket: {d}/run/socket/idle
notifysocket: {d}/run/socket/notify
lmtpsocket: {d}/run/socket/lmtp
servername: localhost
cyrus_user: nobody
cyrus_group: nogroup
admins: cyrus
altnamespace: no
unixhierarchysep: no
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {d}/sasldb2
sasl_mech_list: PLAIN LOGIN
tls_server_cert: {d}/tls/server.pem
tls_server_key: {d}/tls/server.key
hashimapspool: false
autocreate_quota: 0
specialuse_protect: \\Archive
{idle}"
        ),
    );
    let bin = root.join("usr/lib/cyrus/bin");
    let b = bin.display();
    write(
        &dir.join("cyrus.conf"),
        format!(
            "START {{
  recover cmd=\"{b}/ctl_cyrusdb -C {d}/imapd.conf -r\"
}}
SERVICES {{
  imap  cmd=\"{b}/imapd -C {d}/imapd.conf\" listen=\"127.0.0.1:{imap_port}\" prefork=0 maxchild=50
  imaps cmd=\"{b}/imapd -s -C {d}/imapd.conf\" listen=\"127.0.0.1:{imaps_port}\" prefork=0 maxchild=50
}}
EVENTS {{
}}
DAEMON {{
}}
"
        ),
    );
    let libs = root.join("usr/lib/x86_64-linux-gnu");
    // `me`, and the admin `cyrus` (who may change any ACL: see `refuse_appends`).
    for user in ["me", "cyrus"] {
        let mut pw = Command::new(root.join("usr/sbin/saslpasswd2"))
            .env("LD_LIBRARY_PATH", &libs)
            .args(["-p", "-c", "-f"])
            .arg(dir.join("sasldb2"))
            .args(["-u", "localhost", user])
            .stdin(Stdio::piped())
            .spawn()
            .expect("run saslpasswd2");
        pw.stdin
            .take()
            .expect("its stdin")
            .write_all(PASSWORD.as_bytes())
            .expect("write the password");
        assert!(
            pw.wait().expect("saslpasswd2").success(),
            "saslpasswd2 failed"
        );
    }
    let chown = Command::new("chown")
        .args(["-R", "nobody:nogroup"])
        .args(["lib", "spool", "run", "tls", "sasldb2"])
        .current_dir(dir)
        .status()
        .expect("run chown");
    assert!(chown.success(), "chown failed");
    let mut cmd = Command::new(bin.join("master"));
    cmd.env("LD_LIBRARY_PATH", &libs)
        .arg("-D")
        .arg("-C")
        .arg(dir.join("imapd.conf"))
        .arg("-M")
        .arg(dir.join("cyrus.conf"))
        .arg("-p")
        .arg(dir.join("run/master.pid"))
        .stdout(log_file(&dir.join("log/master.out")))
        .stderr(log_file(&dir.join("log/master.err")));
    let logs = vec![dir.join("log/master.out"), dir.join("log/master.err")];
    let mut group = Group::spawn(cmd, "Cyrus (master)", logs);
    group.wait_listening(imap_port, "Cyrus");
    group.wait_listening(imaps_port, "Cyrus");
    (group, imap_port, imaps_port)
}
