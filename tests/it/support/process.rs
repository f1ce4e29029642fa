//! The processes and files under the test servers: stopping children, LMTP delivery,
//! diagnostics and small file helpers.

use super::*;

/// SIGTERM, a bounded wait, then SIGKILL.
///
/// Dovecot's master, once told to stop, waits a fixed ~1 s for its `log`
/// child unless that is already on its way out, so its direct children get
/// SIGTERM together with it: that brings a shutdown from ~1.1 s to ~0.1 s.
pub(super) fn stop_child(child: &mut Child, what: &str) {
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
pub(super) fn children_of(parent: i32) -> Vec<i32> {
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

pub(super) fn lmtp_deliver(socket: &Path, rcpt: &str, raw: &[u8]) -> Result<(), String> {
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
pub(super) fn read_reply(reader: &mut impl BufRead) -> Result<(u16, String), String> {
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

pub(super) fn remove_index_files(dir: &Path, prefix: &str) {
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

pub(super) fn diagnostics(root: &Path) -> String {
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

pub(super) fn tail(path: &Path, n: usize) -> String {
    let mut text = String::new();
    if let Ok(mut f) = File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[lines.len().saturating_sub(n)..].join("\n");
    out.push('\n');
    out
}

pub(super) fn log_file(path: &Path) -> File {
    File::create(path).unwrap_or_else(|e| panic!("cannot create {path:?}: {e}"))
}

/// Atomic write (temporary file + rename), so readers never see half a file.
pub(super) fn write(path: &Path, contents: impl AsRef<[u8]>) {
    let tmp = path.with_extension("tmp-write");
    fs::write(&tmp, contents).unwrap_or_else(|e| panic!("cannot write {tmp:?}: {e}"));
    fs::rename(&tmp, path).unwrap_or_else(|e| panic!("cannot rename {tmp:?} to {path:?}: {e}"));
}

pub(super) fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {path:?}: {e}"))
}

pub(super) fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("cannot chmod {path:?}: {e}"));
}
