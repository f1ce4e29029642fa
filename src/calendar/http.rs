//! The HTTP client calendars are read with: ureq on rustls (the ring provider rapport
//! already uses), the system's roots plus the calendar's `ca_file`, 10 s to connect and
//! 60 s for a whole exchange, at most 3 redirects (credentials never follow one to
//! another host), answers capped at 20 MiB.
//!
//! It must never put the calendar's address into an error or a log (a feed address
//! holds a secret): every error is said in plain words with the address taken out.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use ureq::http;

use crate::config::{CalendarCfg, expand_tilde};

/// The most bytes read from one answer.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// An answer: its status, its ETag, its body (empty for 304).
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// The ETag header, if any.
    pub etag: Option<String>,
    /// The body as text (lossy UTF-8).
    pub body: String,
}

/// A client for one calendar, counting its requests.
pub struct Client {
    agent: ureq::Agent,
    who: String,
    /// The Authorization header value, if the calendar logs in.
    auth: Option<String>,
    /// Requests sent so far.
    pub requests: u32,
}

fn roots(cal: &CalendarCfg, who: &str) -> Result<Vec<ureq::tls::Certificate<'static>>> {
    let mut roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    if let Some(ca) = &cal.ca_file {
        let path = expand_tilde(ca);
        let pem = std::fs::read(&path).map_err(|e| {
            anyhow::anyhow!(
                "{who}: cannot read ca_file {}: {e}; give the PEM file of the server's CA",
                path.display()
            )
        })?;
        let before = roots.len();
        for item in ureq::tls::parse_pem(&pem) {
            if let Ok(ureq::tls::PemItem::Certificate(c)) = item {
                roots.push(c.to_owned());
            }
        }
        if roots.len() == before {
            bail!(
                "{who}: ca_file {} holds no PEM certificate; give the PEM file of the server's CA",
                path.display()
            );
        }
    }
    Ok(roots)
}

impl Client {
    /// A client for `cal`; `auth` is the Authorization header value, if any.
    pub fn new(cal: &CalendarCfg, auth: Option<String>) -> Result<Client> {
        let who = format!("calendar '{}'", cal.name);
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(&roots(cal, &who)?))
            .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .max_redirects(3)
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .user_agent(concat!("rapport/", env!("CARGO_PKG_VERSION")))
            .tls_config(tls)
            .build()
            .into();
        Ok(Client {
            agent,
            who,
            auth,
            requests: 0,
        })
    }

    /// Sends one request; `headers` beside the login. Errors are in plain words, never
    /// with the address.
    pub fn send(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Answer> {
        let mut req = http::Request::builder()
            .method(http::Method::from_bytes(method.as_bytes())?)
            .uri(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(a) = &self.auth {
            req = req.header("Authorization", a.as_str());
        }
        let req = req.body(body.unwrap_or("").to_string()).map_err(|_| {
            anyhow::anyhow!(
                "{}: its address is not a valid URL; copy it again from the provider",
                self.who
            )
        })?;
        self.requests += 1;
        let mut response = self
            .agent
            .run(req)
            .map_err(|e| anyhow::anyhow!("{}: {}", self.who, plain(&e, url)))?;
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: reading the answer: {}",
                    self.who,
                    scrub(&e.to_string(), url)
                )
            })?;
        // A cut answer would read as events gone from the calendar (and cancel their
        // meetings): too large is an error, never a partial reading.
        if bytes.len() as u64 > MAX_BYTES {
            bail!(
                "{}: the server's answer is larger than 20 MiB; rapport reads no part of it (a feed: publish a shorter span; CalDAV: a smaller [imap] lookback_days)",
                self.who
            );
        }
        Ok(Answer {
            status,
            etag,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// `text` with the address (and its host) taken out.
fn scrub(text: &str, url: &str) -> String {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|r| r.split(['/', '?']).next())
        .unwrap_or("");
    let mut out = text.replace(url, "(the calendar's address)");
    let path = url
        .split("://")
        .nth(1)
        .and_then(|r| r.find('/').and_then(|i| r.get(i..)));
    if let Some(path) = path.filter(|p| p.len() > 1) {
        out = out.replace(path, "/…");
    }
    if !host.is_empty() {
        out = out.replace(host, "the server");
    }
    out
}

/// A transport error in plain words, with a fix where there is one.
fn plain(e: &ureq::Error, url: &str) -> String {
    let text = match e {
        ureq::Error::Timeout(_) => {
            "the server did not answer in time; rapport tries again at the next poll".to_string()
        }
        ureq::Error::HostNotFound => {
            "the server's name was not found (DNS); check the address, or the network".to_string()
        }
        ureq::Error::ConnectionFailed => {
            "the server refused the connection or could not be reached; check the address, or whether the server is up".to_string()
        }
        ureq::Error::Rustls(r) => format!(
            "TLS failed ({r}); if the server uses its own CA, set ca_file in its [[calendars]] entry"
        ),
        ureq::Error::Tls(t) => format!(
            "TLS failed ({t}); if the server uses its own CA, set ca_file in its [[calendars]] entry"
        ),
        ureq::Error::Io(io)
            if io.kind() == std::io::ErrorKind::InvalidData
                || io.to_string().contains("certificate") =>
        {
            format!(
                "TLS failed ({io}); if the server uses its own CA, set ca_file in its [[calendars]] entry to that CA's PEM file"
            )
        }
        ureq::Error::Io(io) => format!("the connection failed: {io}"),
        ureq::Error::TooManyRedirects => {
            "the server sent rapport round more than 3 redirects; use the address they end at".to_string()
        }
        other => format!("the request failed: {other}"),
    };
    scrub(&text, url)
}

#[cfg(test)]
mod tests;
