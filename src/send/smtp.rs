//! One SMTP session: connect with implicit TLS or required STARTTLS, authenticate (a
//! password, or an OAuth2 token with XOAUTH2 or OAUTHBEARER), and hand over messages one
//! recipient at a time, telling apart the failures that are safe to retry (nothing was
//! accepted) from the ones where nobody knows (the connection broke after the message
//! data went out).
//!
//! This module never sends a password or token over a connection that is not encrypted,
//! except to a loopback host with `security = "none"`, which the config allows for local
//! bridges; it fetches the secret only once the connection is known to be encrypted,
//! and never logs it. The OAuth2 AUTH exchange is written here because lettre knows only
//! XOAUTH2 and cannot tell a refused token from any other failure.

use std::time::Duration;

use base64::Engine as _;
use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::{Delivery, DeliveryError};
use crate::config::{AuthMethod, Security, Smtp};
use crate::secrets::{Secret, sasl};

/// An open, authenticated SMTP session.
pub struct Session {
    conn: SmtpConnection,
    /// `[smtp] timeout_seconds`, for the words of a timeout.
    timeout: u64,
}

/// Whether `e` is the server not answering in time. A socket read past its timeout
/// fails with `EAGAIN` on Linux ("Resource temporarily unavailable (os error 11)"), not
/// `TimedOut`, so lettre's own `is_timeout` misses it.
fn timed_out(e: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            );
        }
        source = err.source();
    }
    false
}

/// The words for an error: a timeout said as one, naming the setting.
fn described(e: &lettre::transport::smtp::Error, timeout: u64) -> String {
    if timed_out(e) {
        format!("the server did not answer within {timeout} s ([smtp] timeout_seconds)")
    } else {
        e.to_string()
    }
}

/// A command line written as is (it holds a token: never log it).
struct Line(String);

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a login did not succeed.
enum LoginError {
    /// The server said no to the OAuth2 token (expired, revoked): worth one more try
    /// with a fresh token. Holds the server's reply.
    TokenRefused(String),
    Failed(DeliveryError),
}

/// The port `cfg` names, or the one its security implies.
pub fn port(cfg: &Smtp) -> u16 {
    cfg.port.unwrap_or(match cfg.security {
        Security::Tls => 465,
        Security::Starttls => 587,
        Security::None => 25,
    })
}

impl Session {
    /// Connects and logs in. Fetches the secret only once the connection is known to be
    /// encrypted (or is a permitted loopback bridge). A refused OAuth2 token is fetched
    /// afresh and tried once more on a new connection.
    pub fn connect(cfg: &Smtp, username: &str, hello: &str) -> Result<Session, DeliveryError> {
        let mut conn = open(cfg, hello)?;
        let timeout = cfg.timeout_seconds.max(1);
        match login(&mut conn, cfg, username) {
            Ok(()) => return Ok(Session { conn, timeout }),
            Err(LoginError::Failed(e)) => {
                conn.abort();
                return Err(e);
            }
            Err(LoginError::TokenRefused(reply)) => {
                tracing::warn!(host = %cfg.host, %reply, "the token was refused; trying once with a fresh one");
                conn.abort();
            }
        }
        let mut conn = open(cfg, hello)?;
        match login(&mut conn, cfg, username) {
            Ok(()) => Ok(Session { conn, timeout }),
            Err(e) => {
                conn.abort();
                Err(match e {
                    LoginError::Failed(e) => e,
                    LoginError::TokenRefused(reply) => DeliveryError::Login {
                        message: format!(
                            "login to {} as {username}: the token was refused ({reply}), also a fresh one: run your token helper ([smtp] token_command) yourself to sign in again, then retry",
                            cfg.host
                        ),
                    },
                })
            }
        }
    }

    /// Whether the session can still be used.
    pub fn is_usable(&self) -> bool {
        !self.conn.has_broken()
    }

    /// Hands one message to the server for one recipient, byte for byte.
    pub fn deliver(&mut self, d: &Delivery<'_>) -> Result<(), DeliveryError> {
        use lettre::transport::smtp::commands::{Data, Mail, Rcpt};

        let from: Address = d.from.parse().map_err(|_| DeliveryError::Permanent {
            message: format!("sender {:?} is not an address", d.from),
        })?;
        let to: Address = d.to.parse().map_err(|_| DeliveryError::Permanent {
            message: format!("recipient {:?} is not an address", d.to),
        })?;
        let envelope = Envelope::new(Some(from.clone()), vec![to.clone()]).map_err(|e| {
            DeliveryError::Permanent {
                message: format!("envelope: {e}"),
            }
        })?;
        // MAIL, RCPT and DATA: a failure here means the server accepted nothing.
        let mut mail_params = Vec::new();
        if !d.message.is_ascii() {
            mail_params.push(lettre::transport::smtp::extension::MailParameter::Body(
                lettre::transport::smtp::extension::MailBodyParameter::EightBitMime,
            ));
        }
        let result = self
            .conn
            .command(Mail::new(envelope.from().cloned(), mail_params))
            .and_then(|_| self.conn.command(Rcpt::new(to, Vec::new())))
            .and_then(|_| self.conn.command(Data));
        if let Err(e) = result {
            let err = refusal(&e, self.timeout);
            self.reset();
            return Err(err);
        }
        // lettre ends the data with CRLF "." CRLF itself: the message's own last CRLF
        // must not be sent twice, or the recipient gets one more line than was approved.
        let body = d.message.strip_suffix(b"\r\n").unwrap_or(d.message);
        // The message itself: a reply decides; no reply means nobody knows.
        match self.conn.message(body) {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() || e.is_transient() => Err(refusal(&e, self.timeout)),
            Err(e) => {
                self.conn.abort();
                Err(DeliveryError::Unknown {
                    message: format!(
                        "the connection failed after the message was sent: {}",
                        described(&e, self.timeout)
                    ),
                })
            }
        }
    }

    fn reset(&mut self) {
        use lettre::transport::smtp::commands::Rset;
        if !self.conn.has_broken() && self.conn.command(Rset).is_err() {
            self.conn.abort();
        }
    }

    /// Says goodbye politely.
    pub fn quit(mut self) {
        if !self.conn.has_broken() {
            let _ = self.conn.quit();
        }
    }
}

/// The SASL mechanisms the server offers once the connection is encrypted, without
/// logging in (for `rapport doctor`).
pub fn offered_auth(cfg: &Smtp, hello: &str) -> Result<Vec<String>, DeliveryError> {
    use lettre::transport::smtp::commands::Ehlo;
    let mut conn = open(cfg, hello)?;
    let reply = conn.command(Ehlo::new(ClientId::Domain(hello.to_string())));
    let _ = conn.quit();
    let reply = reply.map_err(|e| DeliveryError::Transient {
        message: format!("EHLO to {}: {e}", cfg.host),
    })?;
    Ok(sasl::smtp_offered(reply.message()))
}

/// A refusal at MAIL, RCPT or DATA (or the reply to the data) as a delivery error.
fn refusal(e: &lettre::transport::smtp::Error, timeout: u64) -> DeliveryError {
    let message = described(e, timeout);
    if e.is_permanent() {
        if super::recipient_unknown(&message) {
            DeliveryError::RecipientUnknown { message }
        } else {
            DeliveryError::Permanent { message }
        }
    } else {
        DeliveryError::Transient { message }
    }
}

/// Opens the connection and makes sure it is encrypted (or a permitted loopback one).
fn open(cfg: &Smtp, hello: &str) -> Result<SmtpConnection, DeliveryError> {
    let port = port(cfg);
    let timeout = Some(Duration::from_secs(cfg.timeout_seconds.max(1)));
    let hello = ClientId::Domain(hello.to_string());
    let transient =
        |what: &str, e: &lettre::transport::smtp::Error| classify_connect_error(what, cfg, port, e);
    let addr = (cfg.host.as_str(), port);
    let mut conn = match cfg.security {
        Security::Tls => {
            let params = tls(cfg)?;
            SmtpConnection::connect(addr, timeout, &hello, Some(&params), None)
                .map_err(|e| classify_connect_error("connecting to", cfg, port, &e))?
        }
        Security::Starttls => {
            let params = tls(cfg)?;
            let mut conn = SmtpConnection::connect(addr, timeout, &hello, None, None)
                .map_err(|e| transient("connecting to", &e))?;
            if !conn.can_starttls() {
                conn.abort();
                return Err(DeliveryError::Config {
                    message: format!(
                        "{}:{port} does not offer STARTTLS, so rapport will not log in (your password would travel in the clear); check [smtp] port and security, e.g. security = \"tls\" with port 465",
                        cfg.host
                    ),
                });
            }
            conn.starttls(&params, &hello)
                .map_err(|e| classify_connect_error("STARTTLS with", cfg, port, &e))?;
            conn
        }
        Security::None => {
            if !crate::config::is_loopback_host(&cfg.host) {
                return Err(DeliveryError::Config {
                    message: "security = \"none\" is only allowed for loopback hosts".into(),
                });
            }
            SmtpConnection::connect(addr, timeout, &hello, None, None)
                .map_err(|e| transient("connecting to", &e))?
        }
    };
    if cfg.security != Security::None && !conn.is_encrypted() {
        conn.abort();
        return Err(DeliveryError::Config {
            message: "the connection is not encrypted; refusing to log in".into(),
        });
    }
    Ok(conn)
}

fn tls(cfg: &Smtp) -> Result<TlsParameters, DeliveryError> {
    let mut b = TlsParameters::builder(cfg.host.clone());
    if let Some(ca) = &cfg.ca_file {
        let ca = crate::config::expand_tilde(ca);
        let pem = std::fs::read(&ca).map_err(|e| DeliveryError::Config {
            message: format!("[smtp] ca_file {}: {e}", ca.display()),
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|e| DeliveryError::Config {
            message: format!(
                "[smtp] ca_file {} is not a PEM certificate: {e}",
                ca.display()
            ),
        })?;
        b = b.add_root_certificate(cert);
    }
    b.build_rustls().map_err(|e| DeliveryError::Config {
        message: format!("[smtp] TLS setup: {e}"),
    })
}

/// Fetches the secret (only now: the connection is encrypted) and authenticates.
fn login(conn: &mut SmtpConnection, cfg: &Smtp, username: &str) -> Result<(), LoginError> {
    let secret = crate::secrets::fetch_for("smtp", &cfg.login).map_err(|e| {
        LoginError::Failed(DeliveryError::Login {
            message: e.to_string(),
        })
    })?;
    match cfg.login.auth {
        AuthMethod::Password => password_login(conn, cfg, username, &secret),
        method => token_login(conn, cfg, method, username, &secret),
    }
}

fn password_login(
    conn: &mut SmtpConnection,
    cfg: &Smtp,
    username: &str,
    password: &Secret,
) -> Result<(), LoginError> {
    let creds = Credentials::new(username.to_string(), password.expose().to_string());
    conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds)
        .map(|_| ())
        .map_err(|e| {
            LoginError::Failed(if e.is_transient() {
                DeliveryError::Transient {
                    message: format!("login to {} was refused for now: {e}", cfg.host),
                }
            } else {
                DeliveryError::Login {
                    message: format!(
                        "login to {} as {username} failed: {e}; check [smtp] username and the password your password command prints",
                        cfg.host
                    ),
                }
            })
        })
}

/// `AUTH XOAUTH2` / `AUTH OAUTHBEARER` with the initial response. A refused token gets
/// an error challenge (334), which is answered so the server finishes with its verdict.
fn token_login(
    conn: &mut SmtpConnection,
    cfg: &Smtp,
    method: AuthMethod,
    username: &str,
    token: &Secret,
) -> Result<(), LoginError> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mechanism = sasl::mechanisms(method)
        .first()
        .copied()
        .unwrap_or("XOAUTH2");
    let Some(initial) =
        sasl::initial_response(method, username, token.expose(), &cfg.host, port(cfg))
    else {
        return Err(LoginError::Failed(DeliveryError::Config {
            message: "[smtp] auth = \"password\" has no token".into(),
        }));
    };
    match conn.command(Line(format!("AUTH {mechanism} {}\r\n", b64(&initial)))) {
        Ok(r) if r.has_code(334) => {
            let detail = r
                .first_word()
                .and_then(|w| base64::engine::general_purpose::STANDARD.decode(w).ok())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let answer = b64(sasl::error_challenge_reply(method));
            let verdict = match conn.command(Line(format!("{answer}\r\n"))) {
                Ok(r) => format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" ")),
                Err(e) => e.to_string(),
            };
            Err(LoginError::TokenRefused(
                format!("{verdict} {detail}").trim().to_string(),
            ))
        }
        Ok(_) => Ok(()),
        Err(e) if e.status().is_some_and(|c| c.to_string() == "504") => {
            Err(LoginError::Failed(DeliveryError::Config {
                message: format!(
                    "{} does not offer {mechanism}: {e}; `rapport doctor` lists what it offers (set [smtp] auth to one of them)",
                    cfg.host
                ),
            }))
        }
        Err(e) if e.is_permanent() => Err(LoginError::TokenRefused(e.to_string())),
        Err(e) => Err(LoginError::Failed(DeliveryError::Transient {
            message: format!("login to {} was refused for now: {e}", cfg.host),
        })),
    }
}

fn classify_connect_error(
    what: &str,
    cfg: &Smtp,
    port: u16,
    e: &lettre::transport::smtp::Error,
) -> DeliveryError {
    use super::explain;
    // lettre reports a certificate refused during STARTTLS as a network error: the text
    // tells which it was. A socket timeout shows as "Resource temporarily unavailable
    // (os error 11)": it is said as the timeout it is.
    let text = if timed_out(e) {
        "connection timed out".to_string()
    } else {
        e.to_string()
    };
    let to = explain::Target {
        section: "smtp",
        host: &cfg.host,
        port,
        timeout_seconds: cfg.timeout_seconds,
    };
    let message = explain::explain(what, to, &text);
    if e.is_tls() || explain::is_config(&text) {
        DeliveryError::Config { message }
    } else {
        DeliveryError::Transient { message }
    }
}
