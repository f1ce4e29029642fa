//! The IMAP boundary: the only module that knows the `async-imap` crate, so it can be
//! swapped. Async on tokio; every read and write is bounded by `[imap] timeout_seconds`,
//! so a server that stops answering is noticed instead of hanging the daemon.
//!
//! Read-only by construction: folders are opened with EXAMINE and bodies fetched with
//! BODY.PEEK, so the user's flags (\Seen above all) never change. TLS is rustls with the
//! system roots plus the configured `ca_file`; STARTTLS is required when configured, and
//! the password or OAuth2 token is fetched only once the connection is encrypted, and a
//! refused token is retried once with a fresh one. This module must never SELECT a
//! folder, STORE a flag or EXPUNGE. The single exception to read-only is [`append`]: a
//! copy of an email rapport sent, filed in the Sent folder.

mod append;
mod connect;
mod idle;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt as _;
use jiff::Timestamp;
use tokio::io::AsyncWriteExt as _;

use crate::config::Imap;

use connect::LoginFailure;
pub use connect::{Credential, Stream, tls_config};
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
    ImapError::Transient(format!("{what}: {e}"))
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
}

/// A logged-in, read-only session.
pub struct Session {
    inner: async_imap::Session<Stream>,
    timeout: Duration,
    pub idle_supported: bool,
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
            Err(LoginFailure::TokenRefused(reply)) => Err(ImapError::Config(format!(
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
                LoginFailure::TokenRefused(reply) => ImapError::Config(format!(
                    "login to {} as {username}: the token was refused ({reply}); run your token helper ([imap] token_command) yourself to sign in again",
                    cfg.host
                )),
            })
    }

    /// The SASL mechanisms the server offers before login (`AUTH=PLAIN`, `AUTH=XOAUTH2`
    /// ... as `PLAIN`, `XOAUTH2`), without logging in.
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
            let offered = connect::offered(&mut client, timeout).await?;
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
                .map_err(|e| ImapError::Config(e.to_string()))?,
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
        let idle_supported = bounded(timeout, "asking for capabilities", inner.capabilities())
            .await
            .is_ok_and(|c| c.has_str("IDLE"));
        Ok(Session {
            inner,
            timeout,
            idle_supported,
        })
    }

    /// Every folder, with its special use.
    pub async fn folders(&mut self) -> Result<Vec<Folder>> {
        use imap_proto::NameAttribute as A;
        let t = self.timeout;
        let names = bounded(t, "listing folders", self.inner.list(None, Some("*"))).await?;
        let mut names = std::pin::pin!(names);
        let mut out = Vec::new();
        while let Some(n) = bounded(t, "listing folders", next_item(&mut names)).await? {
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
                        selectable = false;
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
    pub async fn examine(&mut self, folder: &str) -> Result<FolderStatus> {
        let what = format!("opening {folder}");
        let mb = bounded(self.timeout, &what, self.inner.examine(folder)).await?;
        Ok(FolderStatus {
            uidvalidity: mb.uid_validity.unwrap_or(0),
            uidnext: mb.uid_next.unwrap_or(0),
            exists: mb.exists,
        })
    }

    async fn search(&mut self, query: String) -> Result<Vec<u32>> {
        let found = bounded(self.timeout, "searching", self.inner.uid_search(query)).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// UIDs of messages with an internal date on or after `since`.
    pub async fn uids_since(&mut self, since: jiff::civil::Date) -> Result<Vec<u32>> {
        let date = since.strftime("%d-%b-%Y").to_string();
        self.search(format!("SINCE {date}")).await
    }

    /// UIDs at or above `from`.
    pub async fn uids_from(&mut self, from: u32) -> Result<Vec<u32>> {
        let mut uids = self.search(format!("UID {}:*", from.max(1))).await?;
        // `N:*` always matches the highest UID, even below N.
        uids.retain(|u| *u >= from);
        Ok(uids)
    }

    /// Runs a UID FETCH and hands each answer to `each`; every answer must come within
    /// the timeout (a large batch may take longer as a whole).
    async fn fetch_each(
        &mut self,
        uids: &[u32],
        query: &str,
        what: &str,
        mut each: impl FnMut(&async_imap::types::Fetch),
    ) -> Result<()> {
        if uids.is_empty() {
            return Ok(());
        }
        let t = self.timeout;
        let mut stream = bounded(t, what, self.inner.uid_fetch(uid_set(uids), query)).await?;
        while let Some(f) = bounded(t, what, next_item(&mut stream)).await? {
            each(&f);
        }
        Ok(())
    }

    /// Headers, size and internal date of the given messages (never sets \Seen).
    pub async fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<Fetched>> {
        let mut out = Vec::with_capacity(uids.len());
        let query = "(UID RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER])";
        self.fetch_each(uids, query, "fetching headers", |f| {
            let Some(uid) = f.uid else { return };
            out.push(Fetched {
                uid,
                size: f.size.unwrap_or(0),
                internal_date: f
                    .internal_date()
                    .and_then(|d| Timestamp::from_second(d.timestamp()).ok()),
                header: f.header().map(<[u8]>::to_vec).unwrap_or_default(),
            });
        })
        .await?;
        Ok(out)
    }

    /// Whole messages (never sets \Seen).
    pub async fn fetch_bodies(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>> {
        let mut out = Vec::with_capacity(uids.len());
        self.fetch_each(uids, "(UID BODY.PEEK[])", "fetching messages", |f| {
            if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                out.push((uid, body.to_vec()));
            }
        })
        .await?;
        Ok(out)
    }

    /// The first `cap` bytes of each message's text (everything after the header
    /// block), never setting \Seen. With the header fetched before, that is the message
    /// as the classifier reads it, without the tail of a large attachment.
    pub async fn fetch_texts(&mut self, uids: &[u32], cap: u32) -> Result<Vec<(u32, Vec<u8>)>> {
        let mut out = Vec::with_capacity(uids.len());
        let query = format!("(UID BODY.PEEK[TEXT]<0.{cap}>)");
        self.fetch_each(uids, &query, "fetching messages", |f| {
            if let Some(uid) = f.uid {
                out.push((uid, f.text().map(<[u8]>::to_vec).unwrap_or_default()));
            }
        })
        .await?;
        Ok(out)
    }

    /// Waits in IDLE on the open folder; see [`idle::wait`].
    pub async fn idle(
        self,
        limits: IdleLimits,
        wake: impl Future<Output = ()>,
    ) -> Result<(Session, IdleEnd)> {
        let Session {
            inner,
            timeout,
            idle_supported,
        } = self;
        let (inner, end) = idle::wait(inner, timeout, limits, wake).await?;
        Ok((
            Session {
                inner,
                timeout,
                idle_supported,
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

/// The next item of a response stream, its error made displayable.
async fn next_item<T, S>(stream: &mut S) -> std::result::Result<Option<T>, async_imap::error::Error>
where
    S: futures_util::Stream<Item = std::result::Result<T, async_imap::error::Error>> + Unpin,
{
    stream.next().await.transpose()
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
