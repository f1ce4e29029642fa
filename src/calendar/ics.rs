//! An iCalendar feed: one `.ics` document by `https://`/`http://` (loopback) URL or
//! `file://` path. A URL is asked with `If-None-Match` (304: unchanged, nothing read);
//! a feed without ETags, and a file, are compared by the SHA-256 of their content.
//!
//! It must never put the address into a message.

use anyhow::{Result, bail};
use sha2::{Digest, Sha256};

use super::Fetched;
use super::http::{Client, MAX_BYTES};
use crate::store::CalendarTags;

fn digest(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The content, or `Unchanged` when its validator is `last`'s.
fn content(text: String, etag: Option<String>, last: &CalendarTags) -> Fetched {
    let etag = etag.unwrap_or_else(|| digest(&text));
    if !last.etag.is_empty() && etag == last.etag {
        return Fetched::Unchanged;
    }
    Fetched::Content {
        texts: vec![text],
        tags: CalendarTags {
            etag,
            ..CalendarTags::default()
        },
    }
}

/// Reads the feed at `url` for the calendar `who`.
pub fn fetch(client: &mut Client, who: &str, url: &str, last: &CalendarTags) -> Result<Fetched> {
    if let Some(path) = url.strip_prefix("file://") {
        let path = path.strip_prefix("localhost").unwrap_or(path);
        let meta = std::fs::metadata(path).map_err(|e| {
            anyhow::anyhow!("{who}: cannot read its file: {e}; check the file:// path in its url")
        })?;
        if meta.len() > MAX_BYTES {
            bail!("{who}: its file is larger than 20 MiB; export a shorter span of the calendar");
        }
        let bytes =
            std::fs::read(path).map_err(|e| anyhow::anyhow!("{who}: cannot read its file: {e}"))?;
        return Ok(content(
            String::from_utf8_lossy(&bytes).into_owned(),
            None,
            last,
        ));
    }
    let conditional = !last.etag.is_empty() && !last.etag.starts_with("sha256:");
    let mut headers = vec![("Accept", "text/calendar, */*;q=0.5")];
    if conditional {
        headers.push(("If-None-Match", last.etag.as_str()));
    }
    let answer = client.send("GET", url, &headers, None)?;
    match answer.status {
        304 => Ok(Fetched::Unchanged),
        200..=299 => {
            if !answer.body.contains("BEGIN:VCALENDAR") {
                bail!(
                    "{who}: its address answered with something that is not a calendar (no BEGIN:VCALENDAR); copy the iCal/ICS address again (not the calendar's web page)"
                );
            }
            Ok(content(answer.body, answer.etag, last))
        }
        401 | 403 => bail!(
            "{who}: the server refused the feed ({}); the secret address may have been reset: copy the current one from the calendar's settings",
            answer.status
        ),
        404 | 410 => bail!(
            "{who}: the server has no calendar at its address ({}); copy the address again from the calendar's settings",
            answer.status
        ),
        s => bail!("{who}: the server answered {s}; rapport tries again at the next poll"),
    }
}
