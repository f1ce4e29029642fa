//! The IMAP boundary: the only module that knows the `imap` crate, so it can be
//! swapped. Blocking calls; the daemon runs them in `spawn_blocking`.
//!
//! Read-only by construction: folders are opened with EXAMINE and bodies fetched with
//! BODY.PEEK, so the user's flags (\Seen above all) never change. TLS is rustls with the
//! system roots plus the configured `ca_file`; STARTTLS is required when configured, and
//! the password is fetched only once the connection is encrypted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use crate::config::{Imap, Security};

/// What can go wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// Network trouble or a server hiccup: try again later.
    #[error("{0}")]
    Transient(String),
    /// The setup is wrong (TLS, login, config): the user must act.
    #[error("{0}")]
    Config(String),
}

type Result<T> = std::result::Result<T, ImapError>;

fn transient(what: &str, e: impl std::fmt::Display) -> ImapError {
    ImapError::Transient(format!("{what}: {e}"))
}

/// A TCP stream, encrypted or (loopback only) not.
pub enum Stream {
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
    Plain(TcpStream),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Tls(s) => s.read(buf),
            Stream::Plain(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Tls(s) => s.write(buf),
            Stream::Plain(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Tls(s) => s.flush(),
            Stream::Plain(s) => s.flush(),
        }
    }
}

impl imap::extensions::idle::SetReadTimeout for Stream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> imap::Result<()> {
        let tcp = match self {
            Stream::Tls(s) => &s.sock,
            Stream::Plain(s) => s,
        };
        tcp.set_read_timeout(timeout).map_err(imap::Error::Io)
    }
}

/// A special-use folder (RFC 6154).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Special {
    Inbox,
    Sent,
    Junk,
    Trash,
    Drafts,
    All,
    Archive,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Folder {
    pub name: String,
    pub special: Option<Special>,
    pub selectable: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct FolderStatus {
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub exists: u32,
}

/// One message as fetched: headers always, the body when asked for.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub uid: u32,
    pub size: u32,
    pub internal_date: Option<Timestamp>,
    pub header: Vec<u8>,
}

/// A logged-in, read-only session.
pub struct Session {
    inner: imap::Session<Stream>,
    /// The same socket, to restore its read timeout after IDLE.
    sock: TcpStream,
    timeout: Duration,
    pub idle_supported: bool,
}

/// Builds the rustls client config: system roots plus `ca_file`.
pub fn tls_config(
    ca_file: Option<&std::path::Path>,
    section: &str,
) -> std::result::Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let path = crate::config::expand_tilde(path);
        let file = std::fs::File::open(&path)
            .map_err(|e| format!("[{section}] ca_file {}: {e}", path.display()))?;
        let mut reader = std::io::BufReader::new(file);
        let mut added = 0;
        for cert in rustls_pemfile::certs(&mut reader) {
            let cert = cert.map_err(|e| format!("[{section}] ca_file {}: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("[{section}] ca_file {}: {e}", path.display()))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!(
                "[{section}] ca_file {} holds no PEM certificate",
                path.display()
            ));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("[{section}] TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn wrap_tls(tcp: TcpStream, host: &str, config: Arc<rustls::ClientConfig>) -> Result<Stream> {
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| ImapError::Config(format!("[imap] host {host:?}: {e}")))?;
    let conn = rustls::ClientConnection::new(config, name)
        .map_err(|e| ImapError::Config(format!("[imap] TLS setup: {e}")))?;
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    // Complete the handshake now so certificate problems surface as such.
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                ImapError::Config(format!(
                    "TLS with {host} failed: {e}; if the server uses its own CA, set [imap] ca_file"
                ))
            } else {
                transient(&format!("TLS with {host}"), e)
            }
        })?;
    }
    Ok(Stream::Tls(Box::new(stream)))
}

/// Reads lines until the tagged response for `tag`; returns (untagged lines, final line).
fn raw_command(
    reader: &mut BufReader<&TcpStream>,
    mut writer: &TcpStream,
    tag: &str,
    cmd: &str,
) -> Result<(Vec<String>, String)> {
    writer
        .write_all(format!("{tag} {cmd}\r\n").as_bytes())
        .map_err(|e| transient("writing to the server", e))?;
    let mut lines = Vec::new();
    for _ in 0..1000 {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| transient("reading from the server", e))?;
        if n == 0 {
            return Err(ImapError::Transient(
                "the server closed the connection".into(),
            ));
        }
        if line.starts_with(&format!("{tag} ")) {
            return Ok((lines, line.trim_end().to_string()));
        }
        lines.push(line.trim_end().to_string());
    }
    Err(ImapError::Transient(
        "the server sent too many lines".into(),
    ))
}

impl Session {
    /// Connects, secures and logs in.
    pub fn connect(cfg: &Imap, username: &str) -> Result<Session> {
        let port = cfg.port.unwrap_or(match cfg.security {
            Security::Tls => 993,
            _ => 143,
        });
        let timeout = Duration::from_secs(cfg.timeout_seconds.max(1));
        let addr = (cfg.host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| transient(&format!("looking up {}", cfg.host), e))?
            .next()
            .ok_or_else(|| ImapError::Transient(format!("{} has no address", cfg.host)))?;
        let tcp = TcpStream::connect_timeout(&addr, timeout)
            .map_err(|e| transient(&format!("connecting to {}:{port}", cfg.host), e))?;
        tcp.set_read_timeout(Some(timeout))
            .and_then(|_| tcp.set_write_timeout(Some(timeout)))
            .map_err(|e| transient("socket setup", e))?;
        let sock = tcp.try_clone().map_err(|e| transient("socket setup", e))?;
        let tls = || tls_config(cfg.ca_file.as_deref(), "imap").map_err(ImapError::Config);

        let (stream, greeting_pending) = match cfg.security {
            Security::Tls => (wrap_tls(tcp, &cfg.host, tls()?)?, true),
            Security::Starttls => {
                let mut reader = BufReader::new(&tcp);
                let mut greeting = String::new();
                reader
                    .read_line(&mut greeting)
                    .map_err(|e| transient("reading the greeting", e))?;
                let (caps, _) = raw_command(&mut reader, &tcp, "s0", "CAPABILITY")?;
                let offers = caps.iter().any(|l| {
                    l.to_ascii_uppercase()
                        .split_whitespace()
                        .any(|w| w == "STARTTLS")
                }) || greeting.to_ascii_uppercase().contains("STARTTLS");
                if !offers {
                    return Err(ImapError::Config(format!(
                        "{}:{port} does not offer STARTTLS, so rapport will not log in (your password would travel in the clear); check [imap] port and security, e.g. security = \"tls\" with port 993",
                        cfg.host
                    )));
                }
                let (_, ok) = raw_command(&mut reader, &tcp, "s1", "STARTTLS")?;
                if !ok.to_ascii_uppercase().starts_with("S1 OK") {
                    return Err(ImapError::Config(format!(
                        "{} refused STARTTLS: {ok}",
                        cfg.host
                    )));
                }
                if !reader.buffer().is_empty() {
                    return Err(ImapError::Config(
                        "the server sent data before the TLS handshake; refusing to continue"
                            .into(),
                    ));
                }
                drop(reader);
                (wrap_tls(tcp, &cfg.host, tls()?)?, false)
            }
            Security::None => {
                if !crate::config::is_loopback_host(&cfg.host) {
                    return Err(ImapError::Config(
                        "security = \"none\" is only allowed for loopback hosts".into(),
                    ));
                }
                (Stream::Plain(tcp), true)
            }
        };
        let mut client = imap::Client::new(stream);
        if greeting_pending {
            client
                .read_greeting()
                .map_err(|e| transient("reading the greeting", e))?;
        }
        let password = crate::secrets::fetch(
            "imap",
            cfg.password_command.as_deref(),
            cfg.password_env.as_deref(),
        )
        .map_err(|e| ImapError::Config(e.to_string()))?;
        let mut inner = client.login(username, password.expose()).map_err(|(e, _)| match e {
            imap::Error::No(_) | imap::Error::Bad(_) => ImapError::Config(format!(
                "login to {} as {username} failed: {e}; check [imap] username and the password your password command prints",
                cfg.host
            )),
            other => transient(&format!("logging in to {}", cfg.host), other),
        })?;
        let idle_supported = inner
            .capabilities()
            .map(|c| c.has_str("IDLE"))
            .unwrap_or(false);
        Ok(Session {
            inner,
            sock,
            timeout,
            idle_supported,
        })
    }

    /// Every folder, with its special use.
    pub fn folders(&mut self) -> Result<Vec<Folder>> {
        use imap_proto::NameAttribute as A;
        let names = self
            .inner
            .list(None, Some("*"))
            .map_err(|e| transient("listing folders", e))?;
        let mut out = Vec::new();
        for n in names.iter() {
            let mut special = None;
            let mut selectable = true;
            for a in n.attributes() {
                match a {
                    A::NoSelect => selectable = false,
                    A::Sent => special = Some(Special::Sent),
                    A::Junk => special = Some(Special::Junk),
                    A::Trash => special = Some(Special::Trash),
                    A::Drafts => special = Some(Special::Drafts),
                    A::All => special = Some(Special::All),
                    A::Archive => special = Some(Special::Archive),
                    A::Extension(s) if s.eq_ignore_ascii_case("\\NonExistent") => {
                        selectable = false
                    }
                    _ => {}
                }
            }
            if n.name().eq_ignore_ascii_case("INBOX") {
                special = Some(Special::Inbox);
            }
            out.push(Folder {
                name: n.name().to_string(),
                special,
                selectable,
            });
        }
        Ok(out)
    }

    /// Opens a folder read-only.
    pub fn examine(&mut self, folder: &str) -> Result<FolderStatus> {
        let mb = self
            .inner
            .examine(folder)
            .map_err(|e| transient(&format!("opening {folder}"), e))?;
        Ok(FolderStatus {
            uidvalidity: mb.uid_validity.unwrap_or(0),
            uidnext: mb.uid_next.unwrap_or(0),
            exists: mb.exists,
        })
    }

    /// UIDs of messages with an internal date on or after `since`.
    pub fn uids_since(&mut self, since: jiff::civil::Date) -> Result<Vec<u32>> {
        let date = since.strftime("%d-%b-%Y").to_string();
        let mut uids: Vec<u32> = self
            .inner
            .uid_search(format!("SINCE {date}"))
            .map_err(|e| transient("searching", e))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// UIDs at or above `from`.
    pub fn uids_from(&mut self, from: u32) -> Result<Vec<u32>> {
        let mut uids: Vec<u32> = self
            .inner
            .uid_search(format!("UID {}:*", from.max(1)))
            .map_err(|e| transient("searching", e))?
            .into_iter()
            .filter(|u| *u >= from)
            .collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Headers, size and internal date of the given messages (never sets \Seen).
    pub fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<Fetched>> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uid_set(uids);
        let fetches = self
            .inner
            .uid_fetch(&set, "(UID RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER])")
            .map_err(|e| transient("fetching headers", e))?;
        let mut out = Vec::with_capacity(fetches.len());
        for f in fetches.iter() {
            let Some(uid) = f.uid else { continue };
            out.push(Fetched {
                uid,
                size: f.size.unwrap_or(0),
                internal_date: f
                    .internal_date()
                    .and_then(|d| Timestamp::from_second(d.timestamp()).ok()),
                header: f.header().map(<[u8]>::to_vec).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Whole messages (never sets \Seen).
    pub fn fetch_bodies(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let fetches = self
            .inner
            .uid_fetch(uid_set(uids), "(UID BODY.PEEK[])")
            .map_err(|e| transient("fetching messages", e))?;
        Ok(fetches
            .iter()
            .filter_map(|f| Some((f.uid?, f.body()?.to_vec())))
            .collect())
    }

    /// Waits in IDLE on the open folder until the server reports a change or `wait`
    /// passes. Returns true when something changed.
    pub fn idle(&mut self, wait: Duration) -> Result<bool> {
        use imap::extensions::idle::WaitOutcome;
        let outcome = {
            let mut handle = self.inner.idle();
            handle.timeout(wait).keepalive(false);
            handle.wait_while(imap::extensions::idle::stop_on_any)
        };
        // IDLE resets the socket timeout; put ours back.
        let _ = self.sock.set_read_timeout(Some(self.timeout));
        match outcome {
            Ok(WaitOutcome::MailboxChanged) => Ok(true),
            Ok(WaitOutcome::TimedOut) => Ok(false),
            Err(e) => Err(transient("waiting in IDLE", e)),
        }
    }

    /// Says goodbye.
    pub fn logout(mut self) {
        let _ = self.inner.logout();
    }
}

/// A compact UID set: `1:5,9,12:14`.
pub fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for uid in sorted {
        match ranges.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(uid) => *end = uid,
            _ => ranges.push((uid, uid)),
        }
    }
    ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}:{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_are_compact() {
        assert_eq!(uid_set(&[5, 1, 2, 3, 9, 12, 13, 14, 3]), "1:3,5,9,12:14");
        assert_eq!(uid_set(&[7]), "7");
        assert_eq!(uid_set(&[]), "");
    }
}
