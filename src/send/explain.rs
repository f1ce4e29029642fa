//! A failed connection in the user's words: which of the usual causes it was (nothing
//! listening, a name that does not resolve, a certificate refused and why, no answer in
//! time) and the setting that fixes it. `doctor` and `send` both print it.
//!
//! Pure: the error's text in, a sentence out. It must never guess a cause the text does
//! not show: anything else is reported as it came, with where it happened.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

/// Where a connection was going: `section` is the config table (`smtp`, `imap`).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub section: &'a str,
    pub host: &'a str,
    pub port: u16,
    pub timeout_seconds: u64,
}

/// Why a connection failed, as far as its error text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Refused,
    NameNotFound,
    TimedOut,
    /// The certificate is for another name.
    CertificateName,
    CertificateExpired,
    /// Signed by a CA this machine does not trust (a private CA, a self-signed one).
    CertificateUnknownCa,
    /// Any other refusal of the certificate or the TLS handshake.
    Tls,
    Other,
}

/// Reads the cause from an error's text (lettre's, rustls', the OS's).
pub fn cause(text: &str) -> Cause {
    let t = text.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if any(&["notvalidforname", "not valid for name"]) {
        Cause::CertificateName
    } else if any(&["certificate expired", "expired"]) && t.contains("certificate") {
        Cause::CertificateExpired
    } else if any(&[
        "unknownissuer",
        "unknown issuer",
        "unknownca",
        "self signed",
        "self-signed",
    ]) {
        Cause::CertificateUnknownCa
    } else if any(&["certificate", "handshake", "tls", "alert"])
        && !t.contains("connection refused")
    {
        Cause::Tls
    } else if any(&["connection refused", "os error 111", "os error 61"]) {
        Cause::Refused
    } else if any(&[
        "failed to lookup address",
        "name or service not known",
        "nodename nor servname",
        "no address associated",
        "temporary failure in name resolution",
        "dns",
    ]) {
        Cause::NameNotFound
    } else if any(&[
        "timed out",
        "timeout",
        "os error 110",
        "would block",
        "resource temporarily unavailable",
        "os error 11)",
    ]) {
        Cause::TimedOut
    } else {
        Cause::Other
    }
}

/// The failure in words, with the fix. `what` says what was being done ("connecting to").
pub fn explain(what: &str, to: Target<'_>, text: &str) -> String {
    let Target {
        section,
        host,
        port,
        timeout_seconds,
    } = to;
    match cause(text) {
        Cause::Refused => format!(
            "{host}:{port} refused the connection (nothing listens on that port, or a firewall rejects it); check [{section}] host and port{} and that the server is up",
            port_hint(section)
        ),
        Cause::NameNotFound => format!(
            "the server name {host} could not be found (DNS lookup failed); check the spelling of [{section}] host and that this machine is online"
        ),
        Cause::TimedOut => format!(
            "{host}:{port} did not answer within {timeout_seconds} s (a firewall may drop that port, or the server is down); check [{section}] port, or raise [{section}] timeout_seconds on a slow network"
        ),
        Cause::CertificateName => format!(
            "{host}:{port}'s certificate is for another name ({}); set [{section}] host to a name the certificate covers",
            text.trim()
        ),
        Cause::CertificateExpired => format!(
            "{host}:{port}'s certificate has expired; the server's administrator must renew it (rapport will not send your password over it)"
        ),
        Cause::CertificateUnknownCa => format!(
            "{host}:{port}'s certificate is signed by a CA this machine does not trust (a private or self-signed CA); if you trust it, set [{section}] ca_file to that CA's PEM file"
        ),
        Cause::Tls => format!(
            "TLS with {host}:{port} failed ({}); check [{section}] port and security, and set [{section}] ca_file if the server uses its own CA",
            text.trim()
        ),
        Cause::Other => format!("{what} {host}:{port}: {}", text.trim()),
    }
}

/// Whether the failure is the configuration's (retrying will not help) rather than the
/// network's at this moment.
pub fn is_config(text: &str) -> bool {
    matches!(
        cause(text),
        Cause::CertificateName
            | Cause::CertificateExpired
            | Cause::CertificateUnknownCa
            | Cause::Tls
    )
}

fn port_hint(section: &str) -> &'static str {
    match section {
        "smtp" => " (587 with security = \"starttls\", 465 with security = \"tls\")",
        "imap" => " (993 with security = \"tls\", 143 with \"starttls\")",
        _ => "",
    }
}

#[cfg(test)]
mod tests;
