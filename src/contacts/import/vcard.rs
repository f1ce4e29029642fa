//! vCard files (2.1, 3.0 and 4.0), many cards to a file.
//!
//! Must never give up on the file because of one bad card or line: it becomes a problem
//! with its line.

use super::*;

pub(super) fn is_begin_vcard(line: &str) -> bool {
    line.trim().eq_ignore_ascii_case("BEGIN:VCARD")
}

pub(super) fn is_end_vcard(line: &str) -> bool {
    line.trim().eq_ignore_ascii_case("END:VCARD")
}

/// One unfolded content line: `[group.]NAME[;PARAM=value...]:value`.
#[derive(Debug)]
pub(super) struct Property {
    pub(super) line: usize,
    /// Upper case, without its group.
    pub(super) name: String,
    /// Keys upper case; a bare vCard 2.1 parameter (`EMAIL;INTERNET:`) is a TYPE value.
    pub(super) params: Vec<(String, Vec<String>)>,
    /// As written: escapes and quoted-printable not yet decoded.
    pub(super) value: String,
}

impl Property {
    pub(super) fn param_values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(k, _)| k == key)
            .flat_map(|(_, values)| values.iter().map(String::as_str))
    }

    pub(super) fn has_param_value(&self, key: &str, value: &str) -> bool {
        self.param_values(key)
            .any(|v| v.trim().eq_ignore_ascii_case(value))
    }

    pub(super) fn is_quoted_printable(&self) -> bool {
        self.has_param_value("ENCODING", "QUOTED-PRINTABLE")
            || self.has_param_value("TYPE", "QUOTED-PRINTABLE")
    }

    pub(super) fn is_base64(&self) -> bool {
        self.has_param_value("ENCODING", "B")
            || self.has_param_value("ENCODING", "BASE64")
            || self.has_param_value("TYPE", "BASE64")
    }

    /// The value with quoted-printable decoded; backslash escapes are still in it.
    pub(super) fn raw_text(&self) -> String {
        if self.is_quoted_printable() {
            normalize_newlines(decode_charset(
                decode_quoted_printable(&self.value),
                self.param_values("CHARSET").next(),
            ))
        } else {
            self.value.clone()
        }
    }

    /// The value as plain text: quoted-printable and backslash escapes decoded.
    pub(super) fn text(&self) -> String {
        unescape(&self.raw_text())
    }

    /// Lower is preferred: vCard 4 `PREF=1`, vCard 3 `TYPE=pref`, then the rest.
    pub(super) fn preference(&self) -> u32 {
        let pref = self
            .param_values("PREF")
            .filter_map(|v| v.trim().parse::<u32>().ok())
            .min();
        match pref {
            Some(n) => n,
            None if self.has_param_value("TYPE", "pref") => 0,
            None => u32::MAX,
        }
    }
}

/// Finds the first `wanted` byte outside double quotes.
pub(super) fn find_unquoted(s: &str, wanted: u8) -> Option<usize> {
    let mut quoted = false;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == wanted && !quoted {
            return Some(i);
        }
    }
    None
}

/// Splits on `separator` outside double quotes.
pub(super) fn split_unquoted(s: &str, separator: u8) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(at) = find_unquoted(rest, separator) {
        parts.push(rest.get(..at).unwrap_or(""));
        rest = rest.get(at + 1..).unwrap_or("");
    }
    parts.push(rest);
    parts
}

pub(super) fn parse_content_line(line: usize, s: &str) -> Option<Property> {
    let name_end = s.find([';', ':'])?;
    let full_name = s.get(..name_end)?.trim();
    let name = full_name
        .rsplit_once('.')
        .map_or(full_name, |(_, name)| name);
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let rest = s.get(name_end..)?;
    let colon = find_unquoted(rest, b':').or_else(|| rest.find(':'))?;
    let params = split_unquoted(rest.get(..colon)?, b';')
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|param| {
            let (key, values) = param.split_once('=').unwrap_or(("TYPE", param));
            let values = split_unquoted(values, b',')
                .into_iter()
                .map(|v| v.trim().trim_matches('"').to_owned())
                .collect();
            (key.trim().to_ascii_uppercase(), values)
        })
        .collect();
    Some(Property {
        line,
        name: name.to_ascii_uppercase(),
        params,
        value: rest.get(colon + 1..)?.to_owned(),
    })
}

pub(super) fn decode_quoted_printable(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'=' {
            match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.extend(u8::try_from(high * 16 + low).ok());
                    i += 3;
                    continue;
                }
                // A soft line break left at the very end.
                _ if i + 1 == bytes.len() => {}
                _ => out.push(b),
            }
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

pub(super) fn decode_charset(bytes: Vec<u8>, charset: Option<&str>) -> String {
    decode_labelled(&bytes, charset)
}

/// `\n` and `\N` are newlines; a backslash before any other character stands for that
/// character (`\,` `\;` `\\`, and the `\:` that Apple writes in URLs).
pub(super) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits on `separator` where it is not escaped by a backslash; escapes are left in.
pub(super) fn split_escaped(s: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == separator {
            parts.push(s.get(start..i).unwrap_or(""));
            start = i + c.len_utf8();
        }
    }
    parts.push(s.get(start..).unwrap_or(""));
    parts
}

/// One component of a structured value (`N`, `ORG`), its list commas read as spaces.
pub(super) fn component_text(component: &str) -> String {
    let words: Vec<String> = split_escaped(component, ',')
        .into_iter()
        .map(unescape)
        .collect();
    collapse(&words.join(" "))
}

#[derive(Default)]
pub(super) struct Card {
    pub(super) line: usize,
    pub(super) full_name: Option<String>,
    pub(super) structured_name: Option<String>,
    pub(super) emails: Vec<(u32, String)>,
    pub(super) company: Option<String>,
    pub(super) title: Option<String>,
    pub(super) role: Option<String>,
    pub(super) urls: Vec<String>,
    pub(super) profiles: Vec<String>,
    pub(super) notes: Vec<String>,
    pub(super) tags: Vec<String>,
    pub(super) kind: Option<String>,
}

impl Card {
    pub(super) fn new(line: usize) -> Self {
        Card {
            line,
            ..Card::default()
        }
    }

    pub(super) fn add(&mut self, property: &Property, sink: &mut Sink) {
        match property.name.as_str() {
            "FN" if self.full_name.is_none() => {
                self.full_name = non_empty(collapse(&property.text()));
            }
            "N" if self.structured_name.is_none() => {
                let raw = property.raw_text();
                let parts = split_escaped(&raw, ';');
                let part = |i: usize| parts.get(i).map_or(String::new(), |p| component_text(p));
                let name = [part(1), part(2), part(0)].join(" ");
                self.structured_name = non_empty(collapse(&name));
            }
            "EMAIL" => {
                let raw = property.text();
                if raw.trim().is_empty() {
                    return;
                }
                match normalize_email(&raw) {
                    Some(email) => {
                        if !self.emails.iter().any(|(_, e)| *e == email) {
                            self.emails.push((property.preference(), email));
                        }
                    }
                    None => sink.problem(
                        property.line,
                        format!(
                            "EMAIL {} is not an email address (expected something like name@example.com); the card was read without it",
                            culprit(raw.trim())
                        ),
                    ),
                }
            }
            "ORG" if self.company.is_none() => {
                let raw = property.raw_text();
                self.company = split_escaped(&raw, ';')
                    .into_iter()
                    .map(component_text)
                    .find(|c| !c.is_empty());
            }
            "TITLE" if self.title.is_none() => {
                self.title = non_empty(collapse(&property.text()));
            }
            "ROLE" if self.role.is_none() => {
                self.role = non_empty(collapse(&property.text()));
            }
            "URL" => self
                .urls
                .extend(non_empty(property.text().trim().to_owned())),
            "X-SOCIALPROFILE" => {
                let url = property.text().trim().to_owned();
                if property.has_param_value("TYPE", "linkedin")
                    || url.to_lowercase().contains("linkedin.com")
                {
                    self.profiles.extend(non_empty(url));
                }
            }
            "NOTE" => self
                .notes
                .extend(non_empty(property.text().trim().to_owned())),
            "CATEGORIES" => {
                let raw = property.raw_text();
                for tag in split_escaped(&raw, ',')
                    .into_iter()
                    .flat_map(|t| split_escaped(t, ';'))
                {
                    if let Some(tag) = clean_tag(&unescape(tag)) {
                        push_tag(&mut self.tags, tag);
                    }
                }
            }
            "KIND" | "X-ADDRESSBOOKSERVER-KIND" => {
                self.kind = non_empty(property.text().trim().to_ascii_lowercase());
            }
            _ => {}
        }
    }

    pub(super) fn finish(self, sink: &mut Sink) {
        if self.kind.as_deref() == Some("group") {
            sink.problem(
                self.line,
                "this card is a group (KIND:group), not a person, so it was skipped",
            );
            return;
        }
        let name = self.full_name.or(self.structured_name);
        let mut emails = self.emails;
        emails.sort_by_key(|(preference, _)| *preference);
        let emails: Vec<String> = emails.into_iter().map(|(_, email)| email).collect();
        if name.is_none() && emails.is_empty() {
            sink.problem(
                self.line,
                "this card has neither a name (FN or N) nor an email address (EMAIL), so it was skipped; add an FN or EMAIL line to import it",
            );
            return;
        }
        let linkedin = self
            .profiles
            .iter()
            .chain(&self.urls)
            .find(|url| url.to_lowercase().contains("linkedin.com"));
        let link = linkedin
            .or(self.urls.first())
            .and_then(|url| normalize_link(url));
        sink.contacts.push(ImportedContact {
            line: self.line,
            name,
            emails,
            company: self.company,
            role: self.title.or(self.role),
            link,
            tags: self.tags,
            tier: None,
            notes: non_empty(self.notes.join("\n")),
            connected_on: None,
        });
    }
}

/// The name and parameters of a content line name quoted-printable encoding.
pub(super) fn head_is_quoted_printable(line: &str) -> bool {
    let head = line.find(':').and_then(|i| line.get(..i)).unwrap_or(line);
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

pub(super) fn parse_vcard(text: &str, sink: &mut Sink) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut card: Option<Card> = None;
    let mut stray_since: Option<usize> = None;
    let mut in_base64 = false;
    let mut i = 0;
    while let Some(&first) = lines.get(i) {
        let line_number = i + 1;
        i += 1;
        if first.trim().is_empty() {
            in_base64 = false;
            continue;
        }

        // Unfold: a line that starts with a space or tab continues the one before it.
        let mut logical = first.to_owned();
        while let Some(next) = lines.get(i).filter(|next| next.starts_with([' ', '\t'])) {
            logical.push_str(next.get(1..).unwrap_or(""));
            i += 1;
        }
        // vCard 2.1 quoted-printable: a value line ending in `=` goes on on the next line.
        if head_is_quoted_printable(&logical) {
            while logical.ends_with('=') {
                let Some(next) = lines.get(i) else { break };
                if next.trim().is_empty() || is_begin_vcard(next) || is_end_vcard(next) {
                    break;
                }
                logical.pop();
                logical.push_str(next.trim_start());
                i += 1;
            }
        }

        if is_begin_vcard(&logical) {
            if let Some(open) = card.take() {
                sink.problem(
                    open.line,
                    format!(
                        "the card that starts here has no END:VCARD before the next BEGIN:VCARD on line {line_number}; it was read up to there. Add END:VCARD at its end"
                    ),
                );
                open.finish(sink);
            }
            card = Some(Card::new(line_number));
            stray_since = None;
            in_base64 = false;
            continue;
        }
        if is_end_vcard(&logical) {
            match card.take() {
                Some(open) => open.finish(sink),
                None => sink.problem(
                    line_number,
                    "END:VCARD without a BEGIN:VCARD before it; ignored",
                ),
            }
            in_base64 = false;
            continue;
        }
        let Some(open) = card.as_mut() else {
            if stray_since.is_none() {
                sink.problem(
                    line_number,
                    format!(
                        "{} is outside any BEGIN:VCARD … END:VCARD card; ignored (with any lines that follow it up to the next card)",
                        culprit(logical.trim())
                    ),
                );
                stray_since = Some(line_number);
            }
            continue;
        };
        match parse_content_line(line_number, &logical) {
            Some(property) => {
                in_base64 = property.is_base64();
                open.add(&property, sink);
            }
            // vCard 2.1 writes base64 data on unindented lines after the property.
            None if in_base64 => {}
            None => sink.problem(
                line_number,
                format!(
                    "{} is not a vCard property (expected NAME:value); ignored",
                    culprit(logical.trim())
                ),
            ),
        }
    }
    if let Some(open) = card {
        sink.problem(
            open.line,
            "the card that starts here has no END:VCARD (the file may be cut short); what it had was read",
        );
        open.finish(sink);
    }
}

// ---------------------------------------------------------------------------------------
