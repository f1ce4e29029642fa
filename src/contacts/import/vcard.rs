//! vCard files (2.1, 3.0 and 4.0), many cards to a file.
//!
//! Must never give up on the file because of one bad card or line: it becomes a problem
//! with its line.

use super::*;
use crate::core::contentline::{self, decode_quoted_printable, unescape};

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
            let text = decode_charset(
                decode_quoted_printable(&self.value),
                self.param_values("CHARSET").next(),
            );
            contentline::normalise_newlines(&text).into_owned()
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

/// A content line as a property; `None` when it is not one (see
/// [`contentline::parse`]).
pub(super) fn parse_content_line(line: usize, s: &str) -> Option<Property> {
    let l = contentline::parse(s)?;
    let params = l
        .params
        .iter()
        .map(|p| match &p.name {
            Some(key) => (key.clone(), p.values()),
            None => ("TYPE".to_owned(), p.values()),
        })
        .collect();
    Some(Property {
        line,
        name: l.name,
        params,
        value: l.value.to_owned(),
    })
}

pub(super) fn decode_charset(bytes: Vec<u8>, charset: Option<&str>) -> String {
    decode_labelled(&bytes, charset)
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
    /// The card's REV (when it was last changed), as `YYYY-MM-DD`.
    pub(super) revised: Option<String>,
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
            "REV" if self.revised.is_none() => {
                self.revised = parse_timestamp_date(&property.text());
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
            connected_on: self.revised,
        });
    }
}

/// Where the reader stands in a file.
#[derive(Default)]
struct Reader {
    card: Option<Card>,
    /// The line of the first stray line since the last card (reported once).
    stray_since: Option<usize>,
    /// After a base64 property: vCard 2.1 writes its data on unindented lines.
    in_base64: bool,
}

pub(super) fn parse_vcard(text: &str, sink: &mut Sink) {
    let mut r = Reader::default();
    for logical in contentline::unfold(text, usize::MAX) {
        let (line_number, logical) = (logical.line, logical.text);
        if logical.trim().is_empty() {
            r.in_base64 = false;
        } else if is_begin_vcard(&logical) {
            r.begin(line_number, sink);
        } else if is_end_vcard(&logical) {
            r.end(line_number, sink);
        } else {
            r.property(line_number, &logical, sink);
        }
    }
    if let Some(open) = r.card {
        sink.problem(
            open.line,
            "the card that starts here has no END:VCARD (the file may be cut short); what it had was read",
        );
        open.finish(sink);
    }
}

impl Reader {
    fn begin(&mut self, line_number: usize, sink: &mut Sink) {
        if let Some(open) = self.card.take() {
            sink.problem(
                open.line,
                format!(
                    "the card that starts here has no END:VCARD before the next BEGIN:VCARD on line {line_number}; it was read up to there. Add END:VCARD at its end"
                ),
            );
            open.finish(sink);
        }
        self.card = Some(Card::new(line_number));
        self.stray_since = None;
        self.in_base64 = false;
    }

    fn end(&mut self, line_number: usize, sink: &mut Sink) {
        match self.card.take() {
            Some(open) => open.finish(sink),
            None => sink.problem(
                line_number,
                "END:VCARD without a BEGIN:VCARD before it; ignored",
            ),
        }
        self.in_base64 = false;
    }

    fn property(&mut self, line_number: usize, logical: &str, sink: &mut Sink) {
        let Some(open) = self.card.as_mut() else {
            if self.stray_since.is_none() {
                sink.problem(
                    line_number,
                    format!(
                        "{} is outside any BEGIN:VCARD … END:VCARD card; ignored (with any lines that follow it up to the next card)",
                        culprit(logical.trim())
                    ),
                );
                self.stray_since = Some(line_number);
            }
            return;
        };
        match parse_content_line(line_number, logical) {
            Some(property) => {
                self.in_base64 = property.is_base64();
                open.add(&property, sink);
            }
            // vCard 2.1 writes base64 data on unindented lines after the property.
            None if self.in_base64 => {}
            None => sink.problem(
                line_number,
                format!(
                    "{} is not a vCard property (expected NAME:value); ignored",
                    culprit(logical.trim())
                ),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------
