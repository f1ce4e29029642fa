//! `rapport doctor`'s SMTP checks: which logins the server offers, whether the configured
//! one is among them, and a real login (which runs the password or token command once).
//!
//! It must never send mail nor print a secret.

use crate::config::Loaded;
use crate::secrets::sasl;

/// Runs the checks, printing one line each through `report`; true when all passed.
pub fn check(cfg: &Loaded, report: &dyn Fn(bool, &str, &str) -> bool) -> bool {
    let smtp = &cfg.config.smtp;
    let identity = &cfg.config.identity;
    let hello = identity.email.rsplit('@').next().unwrap_or("localhost");
    let offered = match crate::send::smtp::offered_auth(smtp, hello) {
        Ok(o) => o,
        Err(e) => return report(false, "smtp server", &e.to_string()),
    };
    let fits = sasl::check_offered("smtp", smtp.login.auth, &offered);
    let mut ok = match &fits {
        Ok(line) => report(true, "smtp auth", line),
        Err(line) => report(false, "smtp auth", line),
    };
    if fits.is_err() {
        return false;
    }
    let username = smtp
        .username
        .clone()
        .unwrap_or_else(|| identity.email.clone());
    ok &= match crate::send::smtp::Session::connect(smtp, &username, hello) {
        Ok(s) => {
            s.quit();
            report(
                true,
                "smtp login",
                &format!("{username} at {} ({})", smtp.host, smtp.login.auth.as_str()),
            )
        }
        Err(e) => report(false, "smtp login", &e.to_string()),
    };
    ok
}
