//! The IMAP boundary: the only module that knows the `async-imap` crate, so it can be
//! swapped. Async on tokio; every read and write is bounded by `[imap] timeout_seconds`,
//! so a server that stops answering is noticed instead of hanging the daemon.
//!
//! Read-only by construction: folders are opened with EXAMINE and bodies fetched with
//! BODY.PEEK, so the user's flags (\Seen above all) never change. TLS is rustls with the
//! system roots plus the configured `ca_file`; STARTTLS is required when configured, and
//! the password or OAuth2 token is fetched only once the connection is encrypted, and a
//! refused token is retried once with a fresh one.
//!
//! No answer is taken for whole before its tagged `OK` ([`command`]): SEARCH, FETCH,
//! EXAMINE and APPEND are run and read here rather than through async-imap's helpers,
//! which drop the tagged status; LIST is read line by line ([`list`]). A session whose
//! answer broke off mid-way is marked broken and refuses further commands.
//!
//! This module must never SELECT a folder, STORE a flag or EXPUNGE (leaving a folder
//! opened with EXAMINE, by UNSELECT or CLOSE, expunges nothing). The single exception
//! to read-only is [`append`]: a copy of an email rapport sent, filed in the Sent folder.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

mod append;
mod command;
mod connect;
mod fetch;
mod idle;
mod list;
pub mod mutf7;
pub mod parts;
#[cfg(test)]
mod tests;
pub mod throttle;

use std::future::Future;
use std::time::Duration;

use jiff::Timestamp;
use tokio::io::AsyncWriteExt as _;

use crate::config::Imap;

pub use command::{escape as escape_words, library_words};
use connect::LoginFailure;
pub use connect::{Credential, Stream, tls_config};
pub use fetch::HEADER_CAP;
pub use idle::{IdleEnd, IdleLimits};

/// What can go wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// Network trouble or a server hiccup: try again later.
    #[error("{0}")]
    Transient(String),
    /// The setup is wrong (TLS, login, config): the user must act.
    #[error("{0}")]
    Config(String),
    /// No working credential: the password or token helper failed, or the server
    /// refused what it gave (`crate::login_health` records it, the user must act).
    #[error("{0}")]
    Login(String),
    /// The server answered a command NO or BAD (its words are in the text); the
    /// connection is still good for other commands.
    #[error("{0}")]
    Refused(String),
}

type Result<T> = std::result::Result<T, ImapError>;

/// A connected, encrypted (or loopback) client that has read the server's greeting.
async fn greeted(cfg: &Imap, timeout: Duration) -> Result<async_imap::Client<Stream>> {
    let (stream, greeting_pending) = connect::open(cfg, timeout).await?;
    let mut client = async_imap::Client::new(stream);
    if greeting_pending {
        let greeting = bounded(timeout, "reading the greeting", client.read_response()).await?;
        if greeting.is_none() {
            return Err(ImapError::Transient(format!(
                "{} closed the connection before greeting",
                cfg.host
            )));
        }
    }
    Ok(client)
}

fn transient(what: &str, e: impl std::fmt::Display) -> ImapError {
    let text = e.to_string();
    // async-imap puts the whole unparsed buffer in a parse error: never show it.
    let text = match text.split_once(" during parsing of ") {
        Some(_) => "the server sent a response rapport cannot read (not valid IMAP)".to_string(),
        None => command::plain_words(&text),
    };
    ImapError::Transient(format!("{what}: {text}"))
}

/// Runs one exchange with the server, giving up after `timeout`.
async fn bounded<T, E: std::fmt::Display>(
    timeout: Duration,
    what: &str,
    f: impl Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
    match tokio::time::timeout(timeout, f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(transient(what, e)),
        Err(_) => Err(ImapError::Transient(format!(
            "{what}: the server did not answer within {}s",
            timeout.as_secs()
        ))),
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
    /// The header block reached [`HEADER_CAP`] without ending (no blank line): only its
    /// first bytes were fetched, and the message is recorded as unreadable.
    pub oversized: bool,
}

/// A logged-in, read-only session.
pub struct Session {
    inner: async_imap::Session<Stream>,
    timeout: Duration,
    pub idle_supported: bool,
    /// The server offers UNSELECT (RFC 3691): a folder can be left without CLOSE.
    unselect_supported: bool,
    /// A command broke off mid-answer (the connection closed, timed out, or an answer
    /// was left half read): the connection is not used again.
    broken: bool,
    /// How texts are fetched: part by part (`parts`), or whole, for a server whose
    /// BODYSTRUCTURE broke a connection before; and whether it just did.
    texts: Texts,
}

/// How a session fetches message texts ([`Session::fetch_texts_lean`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Texts {
    /// Whole (`BODY.PEEK[TEXT]`, capped), never asking for BODYSTRUCTURE.
    whole: bool,
    /// Asking for BODYSTRUCTURE broke this connection.
    structures_broke: bool,
}

impl Session {
    /// Connects, secures and logs in. Fetches the secret only once the connection is
    /// encrypted (or loopback). A refused OAuth2 token is fetched afresh and tried once
    /// more on a new connection.
    pub async fn connect(cfg: &Imap, username: &str) -> Result<Session> {
        match Self::connect_once(cfg, username, None).await {
            Err(LoginFailure::TokenRefused(reply)) => {
                tracing::warn!(host = %cfg.host, %reply, "the token was refused; trying once with a fresh one");
            }
            Err(LoginFailure::Other(e)) => return Err(e),
            Ok(session) => return Ok(session),
        }
        match Self::connect_once(cfg, username, None).await {
            Ok(session) => Ok(session),
            Err(LoginFailure::Other(e)) => Err(e),
            Err(LoginFailure::TokenRefused(reply)) => Err(ImapError::Login(format!(
                "login to {} as {username}: the token was refused ({reply}), also a fresh one: run your token helper ([imap] token_command) yourself to sign in again, then retry",
                cfg.host
            ))),
        }
    }

    /// Connects and logs in with a secret the caller already fetched (`rapport doctor`,
    /// which reports on the secret first, so its command runs once): no second try.
    pub async fn connect_with(
        cfg: &Imap,
        username: &str,
        secret: crate::secrets::Secret,
    ) -> Result<Session> {
        Self::connect_once(cfg, username, Some(secret))
            .await
            .map_err(|e| match e {
                LoginFailure::Other(e) => e,
                LoginFailure::TokenRefused(reply) => ImapError::Login(format!(
                    "login to {} as {username}: the token was refused ({reply}); run your token helper ([imap] token_command) yourself to sign in again",
                    cfg.host
                )),
            })
    }

    /// The capabilities the server offers before login (`AUTH=PLAIN`, `LOGINDISABLED`,
    /// ...), without logging in.
    pub async fn offered_auth(cfg: &Imap) -> Result<Vec<String>> {
        let timeout = Duration::from_secs(cfg.timeout_seconds.max(1));
        let mut client = greeted(cfg, timeout).await?;
        let offered = connect::offered(&mut client, timeout).await;
        let stream = client.get_mut();
        let _ = bounded(timeout, "logging out", stream.write_all(b"c1 LOGOUT\r\n")).await;
        offered
    }

    async fn connect_once(
        cfg: &Imap,
        username: &str,
        given: Option<crate::secrets::Secret>,
    ) -> std::result::Result<Session, LoginFailure> {
        let timeout = Duration::from_secs(cfg.timeout_seconds.max(1));
        let mut client = greeted(cfg, timeout).await?;
        let method = cfg.login.auth;
        if method.is_oauth2() {
            let caps = connect::offered(&mut client, timeout).await?;
            let offered = crate::secrets::sasl::imap_offered(caps.iter().map(String::as_str));
            crate::secrets::sasl::check_offered("imap", method, &offered)
                .map_err(|e| ImapError::Config(format!("{} {e}", cfg.host)))?;
        }
        // The password or token command may take a moment (a keyring); it is not IMAP,
        // so it may block a thread of its own.
        let login = cfg.login.clone();
        let secret = match given {
            Some(secret) => secret,
            None => tokio::task::spawn_blocking(move || crate::secrets::fetch_for("imap", &login))
                .await
                .map_err(|e| {
                    ImapError::Config(format!("the [imap] secret command did not finish: {e}"))
                })?
                .map_err(|e| ImapError::Login(e.to_string()))?,
        };
        let credential = if method.is_oauth2() {
            Credential::Token {
                method,
                token: secret,
            }
        } else {
            Credential::Password(secret)
        };
        let mut inner = connect::login(client, cfg, username, &credential, timeout).await?;
        let caps = bounded(timeout, "asking for capabilities", inner.capabilities()).await;
        let has = |name: &str| caps.as_ref().is_ok_and(|c| c.has_str(name));
        let (idle_supported, unselect_supported) = (has("IDLE"), has("UNSELECT"));
        Ok(Session {
            inner,
            timeout,
            idle_supported,
            unselect_supported,
            broken: false,
            texts: Texts::default(),
        })
    }

    /// Every folder, with its special use. A folder whose name cannot be read is
    /// skipped with a log line naming it (see [`list`]).
    pub async fn folders(&mut self) -> Result<Vec<Folder>> {
        self.usable()?;
        let listed = list::folders(&mut self.inner, self.timeout).await;
        self.note(listed)
    }

    /// Whether a command broke off mid-answer, so that the connection is of no more use.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Fetches texts whole from now on, never asking for BODYSTRUCTURE (a server whose
    /// answer to it broke a connection before: see `mail::sync`).
    pub fn fetch_texts_whole(&mut self) {
        self.texts.whole = true;
    }

    /// Whether asking for BODYSTRUCTURE broke this connection (an answer rapport could
    /// not read): the caller remembers to fetch texts whole from this server.
    pub fn structures_broke(&self) -> bool {
        self.texts.structures_broke
    }

    fn usable(&self) -> Result<()> {
        if self.broken {
            return Err(ImapError::Transient(
                "the connection to the server broke off earlier; rapport connects again next time"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Remembers a broken connection: after a transient error the answer may be half
    /// read, and nothing more on this connection can be trusted.
    fn note<T>(&mut self, r: Result<T>) -> Result<T> {
        if matches!(r, Err(ImapError::Transient(_))) {
            self.broken = true;
        }
        r
    }

    /// Waits in IDLE on the open folder; see [`idle::wait`].
    pub async fn idle(
        self,
        limits: IdleLimits,
        wake: impl Future<Output = ()>,
    ) -> Result<(Session, IdleEnd)> {
        self.usable()?;
        let Session {
            inner,
            timeout,
            idle_supported,
            unselect_supported,
            broken,
            texts,
        } = self;
        let (inner, end) = idle::wait(inner, timeout, limits, wake).await?;
        Ok((
            Session {
                inner,
                timeout,
                idle_supported,
                unselect_supported,
                broken,
                texts,
            },
            end,
        ))
    }

    /// Says goodbye (bounded: a server that does not answer is simply left).
    pub async fn logout(mut self) {
        let wait = self.timeout.min(Duration::from_secs(2));
        let _ = tokio::time::timeout(wait, self.inner.logout()).await;
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
