//! Getting a logged-in IMAP session: TCP, TLS (implicit or STARTTLS), the greeting and
//! the login (IMAP `LOGIN` with a password, `AUTHENTICATE XOAUTH2` / `OAUTHBEARER` with
//! an access token). Every read and write here is bounded by `[imap] timeout_seconds`.
//!
//! Must never send a credential before the connection is encrypted (plain text is
//! allowed only to a loopback host), and never log one. The short STARTTLS exchange is
//! written by hand because async-imap has no STARTTLS: it needs the plain socket back
//! before its own reader buffers anything past the server's OK.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use rustls::pki_types::{CertificateDer, pem::PemObject};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::{ImapError, Result, bounded, transient};
use crate::config::{AuthMethod, Imap, Security};
use crate::secrets::sasl;

/// A TCP stream, encrypted or (loopback only) not.
#[derive(Debug)]
pub enum Stream {
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    Plain(TcpStream),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

/// How rapport proves who it is: a password (IMAP `LOGIN`), or an OAuth2 access token
/// (`AUTHENTICATE XOAUTH2` or `OAUTHBEARER`, `method` says which).
pub enum Credential {
    Password(crate::secrets::Secret),
    Token {
        method: AuthMethod,
        token: crate::secrets::Secret,
    },
}

/// Why a login did not succeed.
#[derive(Debug)]
pub enum LoginFailure {
    /// The server said no to the OAuth2 token (expired, revoked): worth one more try
    /// with a fresh token. Holds the server's reply.
    TokenRefused(String),
    /// Anything else.
    Other(ImapError),
}

impl From<ImapError> for LoginFailure {
    fn from(e: ImapError) -> Self {
        LoginFailure::Other(e)
    }
}

/// Answers the server's SASL challenges for a token login: the initial response first,
/// then (after a refusal, when the server explains itself in a challenge) the reply
/// that lets it finish with its NO.
struct TokenAuth {
    initial: String,
    error_reply: &'static str,
    sent: bool,
}

impl async_imap::Authenticator for TokenAuth {
    type Response = String;
    fn process(&mut self, _challenge: &[u8]) -> String {
        if self.sent {
            self.error_reply.to_string()
        } else {
            self.sent = true;
            std::mem::take(&mut self.initial)
        }
    }
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
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("[{section}] ca_file {}: {e}", path.display()))?;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(&bytes) {
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

async fn wrap_tls(
    tcp: TcpStream,
    host: &str,
    config: Arc<rustls::ClientConfig>,
    timeout: Duration,
) -> Result<Stream> {
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| ImapError::Config(format!("[imap] host {host:?}: {e}")))?;
    let connector = tokio_rustls::TlsConnector::from(config);
    // The handshake completes here, so certificate problems surface as such.
    let tls = tokio::time::timeout(timeout, connector.connect(name, tcp))
        .await
        .map_err(|_| {
            ImapError::Transient(format!(
                "TLS with {host}: no answer within {}s",
                timeout.as_secs()
            ))
        })?
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                ImapError::Config(format!(
                    "TLS with {host} failed: {e}; if the server uses its own CA, set [imap] ca_file"
                ))
            } else {
                transient(&format!("TLS with {host}"), e)
            }
        })?;
    Ok(Stream::Tls(Box::new(tls)))
}

/// The longest line the hand-written STARTTLS exchange accepts.
const MAX_LINE: u64 = 16 * 1024;

async fn read_line(reader: &mut BufReader<TcpStream>, timeout: Duration) -> Result<String> {
    let mut line = String::new();
    let n = bounded(
        timeout,
        "reading from the server",
        (&mut *reader).take(MAX_LINE).read_line(&mut line),
    )
    .await?;
    if n == 0 {
        return Err(ImapError::Transient(
            "the server closed the connection".into(),
        ));
    }
    Ok(line.trim_end().to_string())
}

/// Sends `tag cmd` and reads lines until the tagged answer; returns (untagged, final).
async fn raw_command(
    reader: &mut BufReader<TcpStream>,
    tag: &str,
    cmd: &str,
    timeout: Duration,
) -> Result<(Vec<String>, String)> {
    bounded(
        timeout,
        "writing to the server",
        reader
            .get_mut()
            .write_all(format!("{tag} {cmd}\r\n").as_bytes()),
    )
    .await?;
    let mut lines = Vec::new();
    for _ in 0..1000 {
        let line = read_line(reader, timeout).await?;
        if line.starts_with(&format!("{tag} ")) {
            return Ok((lines, line));
        }
        lines.push(line);
    }
    Err(ImapError::Transient(
        "the server sent too many lines".into(),
    ))
}

/// The STARTTLS upgrade: requires the server to offer it, refuses to go on otherwise.
async fn starttls(cfg: &Imap, port: u16, tcp: TcpStream, timeout: Duration) -> Result<Stream> {
    let mut reader = BufReader::new(tcp);
    let greeting = read_line(&mut reader, timeout).await?;
    let (caps, _) = raw_command(&mut reader, "s0", "CAPABILITY", timeout).await?;
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
    let (_, ok) = raw_command(&mut reader, "s1", "STARTTLS", timeout).await?;
    if !ok.to_ascii_uppercase().starts_with("S1 OK") {
        return Err(ImapError::Config(format!(
            "{} refused STARTTLS: {ok}",
            cfg.host
        )));
    }
    if !reader.buffer().is_empty() {
        return Err(ImapError::Config(
            "the server sent data before the TLS handshake; refusing to continue".into(),
        ));
    }
    let config = tls_config(cfg.ca_file.as_deref(), "imap").map_err(ImapError::Config)?;
    wrap_tls(reader.into_inner(), &cfg.host, config, timeout).await
}

/// The port `cfg` connects to: `[imap] port`, else the one its security implies.
pub fn port(cfg: &Imap) -> u16 {
    cfg.port.unwrap_or(match cfg.security {
        Security::Tls => 993,
        _ => 143,
    })
}

/// TCP and TLS as configured; `true` when the greeting is still to be read.
pub async fn open(cfg: &Imap, timeout: Duration) -> Result<(Stream, bool)> {
    let port = port(cfg);
    let tcp = tokio::time::timeout(timeout, TcpStream::connect((cfg.host.as_str(), port)))
        .await
        .map_err(|_| {
            ImapError::Transient(format!(
                "connecting to {}:{port}: no answer within {}s",
                cfg.host,
                timeout.as_secs()
            ))
        })?
        .map_err(|e| transient(&format!("connecting to {}:{port}", cfg.host), e))?;
    let _ = tcp.set_nodelay(true);
    match cfg.security {
        Security::Tls => {
            let config = tls_config(cfg.ca_file.as_deref(), "imap").map_err(ImapError::Config)?;
            Ok((wrap_tls(tcp, &cfg.host, config, timeout).await?, true))
        }
        Security::Starttls => Ok((starttls(cfg, port, tcp, timeout).await?, false)),
        Security::None => {
            if !crate::config::is_loopback_host(&cfg.host) {
                return Err(ImapError::Config(
                    "security = \"none\" is only allowed for loopback hosts".into(),
                ));
            }
            Ok((Stream::Plain(tcp), true))
        }
    }
}

/// The capabilities the server offers before login (`AUTH=PLAIN`, `LOGINDISABLED`,
/// ...; see [`sasl::imap_offered`] for the mechanisms among them). Written on the
/// stream by hand: async-imap runs commands only once logged in.
pub async fn offered(
    client: &mut async_imap::Client<Stream>,
    timeout: Duration,
) -> Result<Vec<String>> {
    use async_imap::imap_proto::{Capability, Response};
    const WHAT: &str = "asking for capabilities";
    let stream = client.get_mut();
    bounded(timeout, WHAT, stream.write_all(b"c0 CAPABILITY\r\n")).await?;
    bounded(timeout, WHAT, stream.flush()).await?;
    let mut caps = Vec::new();
    for _ in 0..1000 {
        let Some(res) = bounded(timeout, WHAT, client.read_response()).await? else {
            return Err(ImapError::Transient(
                "the server closed the connection".into(),
            ));
        };
        match res.parsed() {
            Response::Capabilities(list) => caps.extend(list.iter().map(|c| match c {
                Capability::Imap4rev1 => "IMAP4rev1".to_string(),
                Capability::Auth(m) => format!("AUTH={m}"),
                Capability::Atom(a) => a.to_string(),
            })),
            Response::Done { tag, .. } if tag.0 == "c0" => {
                return Ok(caps);
            }
            _ => {}
        }
    }
    Err(ImapError::Transient(
        "the server sent too many lines".into(),
    ))
}

/// Logs in on an encrypted (or loopback) client.
pub async fn login(
    client: async_imap::Client<Stream>,
    cfg: &Imap,
    username: &str,
    credential: &Credential,
    timeout: Duration,
) -> std::result::Result<async_imap::Session<Stream>, LoginFailure> {
    let host = &cfg.host;
    let attempt = match credential {
        Credential::Password(password) => {
            tokio::time::timeout(timeout, client.login(username, password.expose())).await
        }
        Credential::Token { method, token } => {
            let (Some(initial), Some(mechanism)) = (
                sasl::initial_response(*method, username, token.expose(), host, port(cfg)),
                sasl::mechanisms(*method).first(),
            ) else {
                return Err(ImapError::Config(format!(
                    "[imap] auth = \"{}\" does not log in with a token",
                    method.as_str()
                ))
                .into());
            };
            let auth = TokenAuth {
                initial,
                error_reply: sasl::error_challenge_reply(*method),
                sent: false,
            };
            tokio::time::timeout(timeout, client.authenticate(mechanism, auth)).await
        }
    };
    match attempt {
        Err(_) => Err(ImapError::Transient(format!(
            "logging in to {host}: no answer within {}s",
            timeout.as_secs()
        ))
        .into()),
        Ok(Ok(session)) => Ok(session),
        Ok(Err((e, _))) => Err(refused(e, host, username, credential)),
    }
}

/// What a failed `LOGIN` or `AUTHENTICATE` means for the user.
fn refused(
    e: async_imap::error::Error,
    host: &str,
    username: &str,
    credential: &Credential,
) -> LoginFailure {
    use async_imap::error::Error;
    // Microsoft 365 throttles a burst of logins with a NO: a wait, not a wrong secret.
    let words = super::command::library_words(&e);
    if super::throttle::hint(&words).is_some() {
        return ImapError::Transient(format!(
            "logging in to {host}: the server asks rapport to wait: {words}"
        ))
        .into();
    }
    match (e, credential) {
        (e @ Error::No(_), Credential::Token { .. }) => {
            LoginFailure::TokenRefused(super::command::library_words(&e))
        }
        (e @ Error::Bad(_), Credential::Token { method, .. }) => {
            ImapError::Config(format!(
                "login to {host} as {username} with {} failed: {}; check [imap] auth and username",
                method.as_str(),
                super::command::library_words(&e)
            ))
            .into()
        }
        (e @ (Error::No(_) | Error::Bad(_)), Credential::Password(_)) => {
            ImapError::Login(format!(
                "login to {host} as {username} failed: {}; check [imap] username and the password your password command prints",
                super::command::library_words(&e)
            ))
            .into()
        }
        (other, _) => ImapError::Transient(format!(
            "logging in to {host}: {}",
            super::command::library_words(&other)
        ))
        .into(),
    }
}
