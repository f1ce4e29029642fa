//! The few pieces of WebDAV/CalDAV XML (RFC 4918, 4791, 6578) a calendar read needs:
//! the requests rapport sends, and a tolerant reader of the `multistatus` answers
//! (elements found by local name whatever their namespace prefix, entities and CDATA
//! decoded).
//!
//! Why not an XML crate: the answers are small and flat, and a reader that looks for
//! five element names by local name does not care which prefixes a server picks. It
//! must never panic on any text and never follow anything (no DTDs, no entities beyond
//! the five predefined and character references).

use jiff::Timestamp;

/// PROPFIND body (Depth: 0): the collection's sync-token and ctag.
pub const PROPFIND_TAGS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><d:sync-token/><cs:getctag/><d:displayname/></d:prop>
</d:propfind>"#;

/// REPORT body (Depth: 1): every VEVENT overlapping `from`..`to`, with its data.
pub fn calendar_query(from: Timestamp, to: Timestamp) -> String {
    let f = |t: Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter>
    <c:comp-filter name="VCALENDAR">
      <c:comp-filter name="VEVENT">
        <c:time-range start="{}" end="{}"/>
      </c:comp-filter>
    </c:comp-filter>
  </c:filter>
</c:calendar-query>"#,
        f(from),
        f(to)
    )
}

/// The local name of a tag's qualified name (`d:href` → `href`).
fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

/// The inner text of every element named `name` (local name, any prefix), in order;
/// a nested element of the same name is inside its parent's. An empty element gives "".
pub fn elements<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let after = rest.get(lt + 1..).unwrap_or("");
        let Some(gt) = after.find('>') else { break };
        let tag = after.get(..gt).unwrap_or("");
        rest = after.get(gt + 1..).unwrap_or("");
        if tag.starts_with(['/', '?', '!']) {
            continue;
        }
        let qname = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if local(qname) != name {
            continue;
        }
        if tag.ends_with('/') {
            out.push("");
            continue;
        }
        let close = format!("</{qname}>");
        match rest.find(&close) {
            Some(end) => {
                out.push(rest.get(..end).unwrap_or(""));
                rest = rest.get(end + close.len()..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

/// The text of the first element named `name`, decoded; `None` when there is none.
pub fn first_text(xml: &str, name: &str) -> Option<String> {
    elements(xml, name).first().map(|t| text(t))
}

/// Element text decoded: CDATA sections as written, the five predefined entities and
/// character references (`&#13;`, `&#x0D;`) replaced; tags inside dropped.
pub fn text(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            out.push_str(after.get(..end).unwrap_or(""));
            rest = after.get(end + 3..).unwrap_or("");
        } else if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            rest = rest.get(end..).unwrap_or("");
        } else if rest.starts_with('&') {
            let end = rest.find(';').filter(|e| *e <= 10);
            let decoded = end.and_then(|e| entity(rest.get(1..e).unwrap_or("")));
            match (end, decoded) {
                (Some(e), Some(c)) => {
                    out.push(c);
                    rest = rest.get(e + 1..).unwrap_or("");
                }
                _ => {
                    out.push('&');
                    rest = rest.get(1..).unwrap_or("");
                }
            }
        } else {
            let end = rest.find(['<', '&']).unwrap_or(rest.len());
            out.push_str(rest.get(..end).unwrap_or(""));
            rest = rest.get(end..).unwrap_or("");
        }
    }
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// One resource of a REPORT answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Its href.
    pub href: String,
    /// Its ETag.
    pub etag: String,
    /// Its iCalendar text.
    pub data: String,
}

/// The resources of a `multistatus` answer that carry calendar data.
pub fn resources(xml: &str) -> Vec<Resource> {
    elements(xml, "response")
        .into_iter()
        .filter_map(|r| {
            let data = first_text(r, "calendar-data").filter(|d| !d.trim().is_empty())?;
            Some(Resource {
                href: first_text(r, "href").unwrap_or_default().trim().to_string(),
                etag: first_text(r, "getetag")
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
                data,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
