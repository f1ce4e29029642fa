//! `rapport doctor`'s SMTP checks: which logins the server offers, whether the configured
//! one is among them, and a real login (which runs the password or token command once).
//!
//! It must never send mail nor print a secret.

use super::doctor::Finding;
use crate::config::Loaded;
use crate::secrets::sasl;

/// The findings in order; a login is only tried when the configured one is offered.
pub fn check(cfg: &Loaded) -> Vec<Finding> {
    let smtp = &cfg.config.smtp;
    let identity = &cfg.config.identity;
    let hello = identity.email.rsplit('@').next().unwrap_or("localhost");
    let offered = match crate::send::smtp::offered_auth(smtp, hello) {
        Ok(o) => o,
        Err(e) => return vec![Finding::fail("smtp server", e.to_string())],
    };
    let auth = match sasl::check_offered("smtp", smtp.login.auth, &offered) {
        Ok(line) => Finding::ok("smtp auth", line),
        Err(line) => return vec![Finding::fail("smtp auth", line)],
    };
    let username = smtp
        .login
        .username
        .clone()
        .unwrap_or_else(|| identity.email.clone());
    let login = match crate::send::smtp::Session::connect(smtp, &username, hello) {
        Ok(s) => {
            s.quit();
            Finding::ok(
                "smtp login",
                format!("{username} at {} ({})", smtp.host, smtp.login.auth.as_str()),
            )
        }
        Err(e) => Finding::fail("smtp login", e.to_string()),
    };
    vec![auth, login]
}
