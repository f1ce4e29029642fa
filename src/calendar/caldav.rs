//! A CalDAV calendar collection: one PROPFIND (Depth 0) for its sync-token and ctag —
//! unchanged since the last reading, that is the only request — else one REPORT
//! calendar-query over the window for every VEVENT with its data.
//!
//! It must never write to the server (read-only) and never put the address or the
//! password into a message.

use anyhow::{Result, bail};

use super::Fetched;
use super::http::{Answer, Client};
use crate::core::calendar::{Window, dav};
use crate::store::CalendarTags;

/// What a refusal means, in words with a fix.
fn refused(who: &str, what: &str, a: &Answer) -> anyhow::Error {
    let server = dav::first_text(&a.body, "error")
        .or_else(|| dav::first_text(&a.body, "responsedescription"))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .map(|t| format!(", saying \"{}\"", t.chars().take(200).collect::<String>()))
        .unwrap_or_default();
    match a.status {
        401 => anyhow::anyhow!(
            "{who}: the server refused the login (401{server}); check username and the password its password_command gives (an app-specific password for iCloud and Fastmail)"
        ),
        403 => anyhow::anyhow!(
            "{who}: the server does not let this login read the calendar (403{server}); check the url names a calendar of this user"
        ),
        404 => anyhow::anyhow!(
            "{who}: the server has no calendar at its url (404{server}); copy the calendar's CalDAV address again (it ends in /)"
        ),
        s => anyhow::anyhow!(
            "{who}: {what} was answered {s}{server}; rapport tries again at the next poll"
        ),
    }
}

/// Reads the collection at `url` over `window`, unless its tags are `last`'s.
pub fn fetch(
    client: &mut Client,
    who: &str,
    url: &str,
    last: &CalendarTags,
    window: Window,
) -> Result<Fetched> {
    let xml = [("Content-Type", "application/xml; charset=utf-8")];
    let depth0 = [xml[0], ("Depth", "0")];
    let answer = client.send("PROPFIND", url, &depth0, Some(dav::PROPFIND_TAGS))?;
    if answer.status != 207 {
        return Err(refused(who, "PROPFIND", &answer));
    }
    let tags = CalendarTags {
        etag: String::new(),
        ctag: dav::first_text(&answer.body, "getctag")
            .unwrap_or_default()
            .trim()
            .to_string(),
        sync_token: dav::first_text(&answer.body, "sync-token")
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let same = |a: &str, b: &str| !a.is_empty() && a == b;
    if same(&tags.sync_token, &last.sync_token) || same(&tags.ctag, &last.ctag) {
        return Ok(Fetched::Unchanged);
    }
    let depth1 = [xml[0], ("Depth", "1")];
    let query = dav::calendar_query(window.from, window.to);
    let answer = client.send("REPORT", url, &depth1, Some(&query))?;
    if answer.status != 207 {
        return Err(refused(who, "REPORT calendar-query", &answer));
    }
    if !answer.body.contains("multistatus") {
        bail!(
            "{who}: the server's answer to the calendar query is not a WebDAV multistatus; check that the url is a CalDAV calendar"
        );
    }
    let texts = dav::resources(&answer.body)
        .into_iter()
        .map(|r| r.data)
        .collect();
    Ok(Fetched::Content { texts, tags })
}
