//! The title of a page the user shares, fetched only when they ask for it
//! (`rapport share URL --fetch-title`): one GET with a 10-second limit on the whole
//! exchange, at most five redirects, the first 512 KiB of the page read, TLS checked
//! against the system's roots. The title itself is read by [`crate::core::share::title_of`].
//!
//! An HTTP client is a crate's job (`ureq`, blocking, rustls with the ring provider
//! rapport already uses for IMAP and SMTP); this module only bounds it. It never sends
//! cookies or credentials, never runs anything it fetched, and never fetches on its own:
//! without `--fetch-title` rapport reads no page at all.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};

/// How long the whole fetch may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of the page is read: titles sit in the head.
const MAX_BYTES: u64 = 512 * 1024;

/// The title of the page at `url`, or an error that names the link and the fix.
pub fn fetch(url: &str) -> Result<String> {
    let roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .max_redirects(5)
        .http_status_as_error(false)
        .user_agent(concat!("rapport/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls)
        .build()
        .into();
    let fail = |why: String| -> anyhow::Error {
        anyhow::anyhow!(
            "could not read the title of {url}: {why}; give it yourself with --title \"…\""
        )
    };
    let mut response = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    let status = response.status();
    if !status.is_success() {
        bail!(fail(format!("the server answered {status}")));
    }
    let mut page = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_BYTES)
        .read_to_end(&mut page)
        .map_err(|e| fail(e.to_string()))?;
    crate::core::share::title_of(&String::from_utf8_lossy(&page))
        .ok_or_else(|| fail("the page has no <title>".to_string()))
}
