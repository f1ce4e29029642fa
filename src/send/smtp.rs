//! One SMTP session: connect with implicit TLS or required STARTTLS, authenticate, and
//! hand over messages one recipient at a time, telling apart the failures that are safe
//! to retry (nothing was accepted) from the ones where nobody knows (the connection
//! broke after the message data went out).
//!
//! This module never sends a password over a connection that is not encrypted, except
//! to a loopback host with `security = "none"`, which the config allows for local bridges.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::{Delivery, DeliveryError};
use crate::config::{Security, Smtp};

/// An open, authenticated SMTP session.
pub struct Session {
    conn: SmtpConnection,
}

impl Session {
    /// Connects and logs in. Fetches the password only once the connection is known to
    /// be encrypted (or is a permitted loopback bridge).
    pub fn connect(cfg: &Smtp, username: &str, hello: &str) -> Result<Session, DeliveryError> {
        let port = cfg.port.unwrap_or(match cfg.security {
            Security::Tls => 465,
            Security::Starttls => 587,
            Security::None => 25,
        });
        let timeout = Some(Duration::from_secs(cfg.timeout_seconds.max(1)));
        let hello = ClientId::Domain(hello.to_string());
        let transient = |what: &str, e: &dyn std::fmt::Display| DeliveryError::Transient {
            message: format!("{what} {}:{port}: {e}", cfg.host),
        };
        let tls = || -> Result<TlsParameters, DeliveryError> {
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
        };
        let addr = (cfg.host.as_str(), port);
        let mut conn = match cfg.security {
            Security::Tls => {
                let params = tls()?;
                SmtpConnection::connect(addr, timeout, &hello, Some(&params), None)
                    .map_err(|e| classify_connect_error("connecting to", &cfg.host, port, &e))?
            }
            Security::Starttls => {
                let params = tls()?;
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
                    .map_err(|e| classify_connect_error("STARTTLS with", &cfg.host, port, &e))?;
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
        let password = crate::secrets::fetch(
            "smtp",
            cfg.password_command.as_deref(),
            cfg.password_env.as_deref(),
        )
        .map_err(|e| DeliveryError::Config {
            message: e.to_string(),
        })?;
        let creds = Credentials::new(username.to_string(), password.expose().to_string());
        if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds) {
            conn.abort();
            return Err(if e.is_transient() {
                DeliveryError::Transient {
                    message: format!("login to {} was refused for now: {e}", cfg.host),
                }
            } else {
                DeliveryError::Config {
                    message: format!(
                        "login to {} as {username} failed: {e}; check [smtp] username and the password your password command prints",
                        cfg.host
                    ),
                }
            });
        }
        Ok(Session { conn })
    }

    /// Whether the session can still be used.
    pub fn is_usable(&self) -> bool {
        !self.conn.has_broken()
    }

    /// Hands one message to the server for one recipient.
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
        let before_data = |e: lettre::transport::smtp::Error| {
            if e.is_permanent() {
                DeliveryError::Permanent {
                    message: e.to_string(),
                }
            } else {
                DeliveryError::Transient {
                    message: e.to_string(),
                }
            }
        };
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
            let err = before_data(e);
            self.reset();
            return Err(err);
        }
        // The message itself: a reply decides; no reply means nobody knows.
        match self.conn.message(d.message) {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent {
                message: e.to_string(),
            }),
            Err(e) if e.is_transient() => Err(DeliveryError::Transient {
                message: e.to_string(),
            }),
            Err(e) => {
                self.conn.abort();
                Err(DeliveryError::Unknown {
                    message: format!("the connection failed after the message was sent: {e}"),
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

fn classify_connect_error(
    what: &str,
    host: &str,
    port: u16,
    e: &lettre::transport::smtp::Error,
) -> DeliveryError {
    // lettre reports a certificate refused during STARTTLS as a network error.
    let text = e.to_string();
    if e.is_tls() || text.contains("certificate") || text.contains("UnknownIssuer") {
        DeliveryError::Config {
            message: format!(
                "TLS with {host}:{port} failed: {e}; if the server uses its own CA, set [smtp] ca_file"
            ),
        }
    } else {
        DeliveryError::Transient {
            message: format!("{what} {host}:{port}: {e}"),
        }
    }
}
