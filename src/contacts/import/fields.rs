//! Cleaning one field of a record: email addresses, tags, links and dates.
//!
//! Must never accept an address that is not one: a bad value is left out and the caller
//! reports it with its line.

use super::*;

/// Trims, strips `mailto:` and `Name <...>`, lowercases and checks an address.
pub(super) fn normalize_email(raw: &str) -> Option<String> {
    let mut s = raw.trim();
    if let (Some(open), Some(close)) = (s.rfind('<'), s.rfind('>'))
        && open < close
    {
        s = s.get(open + 1..close).unwrap_or(s).trim();
    }
    if let Some(prefix) = s.get(..7)
        && prefix.eq_ignore_ascii_case("mailto:")
    {
        s = s.get(7..).unwrap_or("").trim();
    }
    let lower = s.to_lowercase();
    is_valid_email(&lower).then_some(lower)
}

/// The one address check rapport has (see [`crate::core::address`]).
pub(super) use crate::core::address::is_email as is_valid_email;

/// Splits a cell that may hold several addresses (Google joins them with ` ::: `).
pub(super) fn split_email_cell(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::")
        .flat_map(|part| part.split([',', ';', '|', '\n']))
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

pub(super) fn push_email(emails: &mut Vec<String>, email: String) {
    if !emails.contains(&email) {
        emails.push(email);
    }
}

/// Cleans one tag; Google's `* myContacts` is dropped and its `* ` prefix removed.
pub(super) fn clean_tag(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let tag = collapse(trimmed.strip_prefix("* ").unwrap_or(trimmed));
    if tag.is_empty() || tag.eq_ignore_ascii_case("mycontacts") {
        None
    } else {
        Some(tag)
    }
}

pub(super) fn push_tag(tags: &mut Vec<String>, tag: String) {
    if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
        tags.push(tag);
    }
}

pub(super) fn split_tag_cell(cell: &str) -> Vec<String> {
    let mut tags = Vec::new();
    for raw in cell
        .split(":::")
        .flat_map(|part| part.split([';', '|', ',', '\n']))
    {
        if let Some(tag) = clean_tag(raw) {
            push_tag(&mut tags, tag);
        }
    }
    tags
}

pub(super) fn normalize_link(raw: &str) -> Option<String> {
    let link = raw.trim();
    if link.is_empty() {
        return None;
    }
    let bare_host = !link.contains("://")
        && !link.contains(char::is_whitespace)
        && link
            .split('/')
            .next()
            .is_some_and(|host| host.contains('.') && !host.contains('@') && !host.contains(':'));
    Some(if bare_host {
        format!("https://{link}")
    } else {
        link.to_owned()
    })
}

/// A month name or abbreviation in any language the classifier knows (the lexicon's
/// month table, so an export in German or French reads too).
pub(super) fn month_from_name(name: &str) -> Option<u32> {
    crate::core::classify::month_named(name).map(u32::from)
}

pub(super) fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `03 Nov 2024`, `3 November 2024`, `Nov 3, 2024` or `2024-11-03`, to `2024-11-03`.
/// All-numeric dates other than year-first are ambiguous (day or month first) and refused.
pub(super) fn parse_date(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw
        .split([' ', '-', '/', ',', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
        [d, m, y] if number(d).is_some() => (number(y)?, month_from_name(m)?, number(d)?),
        [m, d, y] => (number(y)?, month_from_name(m)?, number(d)?),
        _ => return None,
    };
    if !(1900..=9999).contains(&year) {
        return None;
    }
    // jiff refuses a day the month does not have (30 February, 31 April).
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    Some(date.to_string())
}

/// The day of a vCard REV or an ISO timestamp: `20240312T101500Z`, `2024-03-12T10:15:00Z`
/// or a bare `2024-03-12`, to `2024-03-12`.
pub(super) fn parse_timestamp_date(raw: &str) -> Option<String> {
    let day = raw.trim().split(['T', 't', ' ']).next()?;
    let digits: String = day.chars().filter(|c| *c != '-').collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = format!(
        "{}-{}-{}",
        digits.get(..4)?,
        digits.get(4..6)?,
        digits.get(6..)?
    );
    parse_date(&iso)
}
