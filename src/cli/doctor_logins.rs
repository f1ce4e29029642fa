//! `rapport doctor`'s look at what the daemon and the last sends recorded about the
//! logins (`crate::login_health`): a helper that failed there is said here too, with
//! the approved drafts waiting for it, even when doctor's own run of the helper works
//! (a token that expires overnight, a keyring locked only for the service).
//!
//! It must never change the record nor run a helper: doctor's SMTP and IMAP checks run
//! each helper once already.

use anyhow::Result;

use super::doctor::Finding;
use crate::config::Loaded;

/// One FAIL per login recorded as failing, naming the helper, the fix and what waits.
pub fn check(cfg: &Loaded) -> Result<Vec<Finding>> {
    let Ok(store) = crate::store::Store::open_to_read(&cfg.store_path) else {
        // No database yet (or none readable): the database check above says so.
        return Ok(Vec::new());
    };
    let waiting = crate::login_health::waiting_drafts(&store, crate::clock::now()?)?;
    let mut out = Vec::new();
    for p in crate::login_health::problems_of(&store, cfg)? {
        let retry = p
            .retry_at
            .to_zoned_datetime(cfg.tz.clone())
            .strftime("%a %H:%M %Z");
        out.push(Finding::fail(
            &format!("{} login (recorded)", p.section),
            format!(
                "{}; {waiting} approved email(s) wait for it. Once the {} check above is ok, rapport picks the helper up by itself at its next try ({retry}), no restart needed",
                p.describe(&cfg.tz),
                p.section
            ),
        ));
    }
    let fresh = crate::secrets::token_json::take_expiries();
    for w in crate::login_health::expiry_warnings(&store, &fresh, crate::clock::now()?, &cfg.tz)? {
        out.push(Finding::fail("sign-in ends soon", w));
    }
    Ok(out)
}
