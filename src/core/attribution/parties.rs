//! Reading, from a message's raw bytes, the parties attribution needs beyond From/To/Cc:
//! Reply-To, the names in To/Cc, whether a scheduling tool sent it, and the addresses a
//! tool's message names in its body.
//!
//! Only the header block is parsed (mail-parser's header parser, which builds no nested
//! message), or, during a sync, not parsed at all here: `parties_of` reads the
//! classifier's own parse of the message, so its headers are parsed once. The body is
//! scanned as bytes, capped, for addresses. It must never panic on
//! any input and never keep more than a few addresses.

use super::Parties;
use crate::core::classify::Address;

/// A scheduling tool: its name, the domains (or exact addresses) it sends from, and the
/// header names (lowercase prefixes) only it sets.
pub struct Tool {
    pub name: &'static str,
    pub senders: &'static [&'static str],
    pub headers: &'static [&'static str],
}

/// The scheduling tools whose messages speak for their invitee.
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "Calendly",
        senders: &["calendly.com"],
        headers: &["x-calendly"],
    },
    Tool {
        name: "Cal.com",
        senders: &["cal.com"],
        headers: &["x-cal-com", "x-calcom"],
    },
    Tool {
        name: "SavvyCal",
        senders: &["savvycal.com"],
        headers: &["x-savvycal"],
    },
    Tool {
        name: "Microsoft Bookings",
        senders: &["bookings.microsoft.com", "microsoftbookings.com"],
        headers: &["x-ms-bookings", "x-microsoft-bookings"],
    },
    Tool {
        name: "Google appointment schedule",
        senders: &["calendar-notification@google.com", "calendar.google.com"],
        headers: &["x-google-appointment"],
    },
    Tool {
        name: "Zoom Scheduler",
        senders: &["zoom.us", "zoom.com"],
        headers: &["x-zoom-scheduler"],
    },
];

/// At most this much of a body is scanned for addresses.
const BODY_SCAN: usize = 64 * 1024;
/// At most this many addresses are kept from a body.
const BODY_ADDRESSES: usize = 8;

/// The tool `address` (lowercased) belongs to, by its domain or exact address, or by a
/// header name only that tool sets.
pub fn tool_of(address: &str, header_names: &[String]) -> Option<&'static str> {
    let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
    TOOLS
        .iter()
        .find(|t| {
            t.senders.iter().any(|s| {
                if s.contains('@') {
                    address == *s
                } else {
                    domain == *s || domain.ends_with(&format!(".{s}"))
                }
            }) || header_names
                .iter()
                .any(|h| t.headers.iter().any(|p| h.starts_with(p)))
        })
        .map(|t| t.name)
}

fn addresses_of(a: Option<&mail_parser::Address<'_>>, user: &[String]) -> Vec<Address> {
    let Some(a) = a else { return Vec::new() };
    a.iter()
        .filter_map(|x| {
            let address = x.address.as_deref()?.trim().to_lowercase();
            (!address.is_empty() && !user.contains(&address)).then(|| Address {
                address,
                name: x.name.as_deref().map(|n| n.trim().to_string()),
            })
        })
        .take(32)
        .collect()
}

/// [`read_parties`] from the classifier's own parse of the same message (`mail`, of
/// `raw`), so that its header block is parsed once: the same addresses, names, tool
/// and body addresses.
pub(crate) fn parties_of(
    mail: &crate::core::classify::ParsedMail,
    raw: &[u8],
    user: &[String],
) -> Parties {
    let named = &mail.named;
    let names: Vec<String> = mail.headers.iter().map(|(n, _)| n.clone()).collect();
    let from = mail.sender_address();
    let kept = |list: &[crate::core::classify::ParsedAddr]| -> Vec<Address> {
        list.iter()
            .filter(|a| !a.address.is_empty() && !user.contains(&a.address))
            .map(|a| Address {
                address: a.address.clone(),
                name: a.name.clone(),
            })
            .take(32)
            .collect()
    };
    let mut to_cc = kept(&named.to);
    to_cc.extend(kept(&named.cc));
    let tool = tool_of(from, &names).map(str::to_string);
    let body_addresses = if tool.is_some() {
        body_addresses(body_of(raw), user)
    } else {
        Vec::new()
    };
    Parties {
        reply_to: kept(&named.reply_to),
        named: to_cc,
        tool,
        body_addresses,
    }
}

/// The parties of a raw message; `user` are the user's addresses (lowercased).
pub fn read_parties(raw: &[u8], user: &[String]) -> Parties {
    let Some(h) = mail_parser::MessageParser::new().parse_headers(raw) else {
        return Parties::default();
    };
    let from = h
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address.as_deref())
        .unwrap_or("")
        .to_lowercase();
    let names: Vec<String> = h
        .headers()
        .iter()
        .map(|x| x.name.as_str().to_lowercase())
        .collect();
    let mut named = addresses_of(h.to(), user);
    named.extend(addresses_of(h.cc(), user));
    let tool = tool_of(&from, &names).map(str::to_string);
    let body_addresses = if tool.is_some() {
        body_addresses(body_of(raw), user)
    } else {
        Vec::new()
    };
    Parties {
        reply_to: addresses_of(h.reply_to(), user),
        named,
        tool,
        body_addresses,
    }
}

/// The bytes after the header block, capped.
fn body_of(raw: &[u8]) -> &[u8] {
    let start = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n").map(|p| p + 2))
        .unwrap_or(raw.len());
    let body = raw.get(start..).unwrap_or_default();
    body.get(..body.len().min(BODY_SCAN)).unwrap_or(body)
}

/// Addresses written in a body (quoted-printable soft breaks and `=40` undone), the
/// user's and the tools' own left out.
pub(super) fn body_addresses(body: &[u8], user: &[String]) -> Vec<String> {
    let text = String::from_utf8_lossy(body)
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=40", "@");
    let mut out: Vec<String> = Vec::new();
    for token in text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '"' | '\'' | '(' | ')' | ',' | ';' | '[' | ']'
            )
    }) {
        let token = token.strip_prefix("mailto:").unwrap_or(token);
        let token = token
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if !crate::core::address::is_email(&token)
            || user.contains(&token)
            || tool_of(&token, &[]).is_some()
            || out.contains(&token)
        {
            continue;
        }
        out.push(token);
        if out.len() >= BODY_ADDRESSES {
            break;
        }
    }
    out
}
