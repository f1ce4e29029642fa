//! Sharing something useful (`rapport share`): who may get a personal note now, and
//! why not the others. Giving is a reason to write, never a reason to crowd someone:
//! nobody with an open request, an email already waiting, a dead address, a
//! do-not-contact mark, a touch in the last `share_min_days`, or a silence rapport
//! already took as an answer (dormant: a request and its nudge never answered;
//! rapport writes to them no more until they write).
//!
//! Pure: the facts and `now` are arguments; it never reads the clock or the store.

use jiff::{SignedDuration, Timestamp};

/// What the share needs to know about one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Marked do-not-contact.
    pub do_not_contact: bool,
    /// Has an address that has not bounced.
    pub sendable: bool,
    /// The user asked them for something (a request or its nudge) and they have not
    /// answered yet.
    pub open_request: bool,
    /// They never answered a request and its nudge (dormant since then): rapport
    /// writes to them no more until they write.
    pub dormant: Option<Timestamp>,
    /// A draft to them waits in the queue (its id), pending, approved or snoozed.
    pub waiting_draft: Option<i64>,
    /// The last time either of you wrote, met or shared (notes and rapport's own
    /// bookkeeping do not count).
    pub last_touch: Option<Timestamp>,
}

/// Why this person gets no share now, or `None` when they may.
pub fn skip_reason(f: &Facts, now: Timestamp, min_days: u32) -> Option<String> {
    if f.do_not_contact {
        return Some("marked do-not-contact".into());
    }
    if !f.sendable {
        return Some("no address that has not bounced".into());
    }
    if f.open_request {
        return Some("your request to them is still open".into());
    }
    if let Some(since) = f.dormant {
        return Some(format!(
            "dormant since {} (your request and its nudge went unanswered): rapport writes to them no more until they write",
            since.strftime("%Y-%m-%d")
        ));
    }
    if let Some(id) = f.waiting_draft {
        return Some(format!("draft {id} to them already waits in the queue"));
    }
    let window = SignedDuration::from_hours(i64::from(min_days) * 24);
    if let Some(last) = f.last_touch
        && now.duration_since(last) < window
    {
        let days = now.duration_since(last).as_hours().max(0) / 24;
        let ago = match days {
            0 => "today".to_string(),
            1 => "1 day ago".to_string(),
            n => format!("{n} days ago"),
        };
        return Some(format!(
            "in touch {ago}, within policy.share_min_days ({min_days})"
        ));
    }
    None
}

/// The title of an HTML page: the text of its first `<title>` element, entities
/// decoded, whitespace collapsed, control characters dropped, at most 200 characters;
/// `None` when there is none or it is empty. Never panics on any input.
pub fn title_of(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower.get(open..)?.find('>')? + 1;
    let end = start + lower.get(start..)?.find("</title")?;
    let raw = html.get(start..end)?;
    let text = decode_entities(raw);
    let words: Vec<&str> = text.split_whitespace().collect();
    let title: String = words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    (!title.is_empty()).then_some(title)
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references; any
/// other `&` is kept as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i..).unwrap_or("");
        let entity = after
            .get(1..)
            .and_then(|a| a.find(';').filter(|n| *n <= 10).map(|n| &a[..n]));
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => {
                let n = e.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = after.get(e.len() + 2..).unwrap_or("");
            }
            _ => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
