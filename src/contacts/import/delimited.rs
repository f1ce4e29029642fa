//! CSV files: LinkedIn's Connections.csv and any CSV whose header row names its columns.
//!
//! Must never import a row it cannot read as a contact: such a row is a problem with its
//! line, never a junk contact.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    FullName,
    First,
    Middle,
    Last,
    Email,
    Company,
    Role,
    Link,
    Tags,
    Tier,
    Notes,
    ConnectedOn,
}

/// Which field a header cell names, and how strongly (lower is a better match), and the
/// number in it ("E-mail 2 - Value" is 2). Case, spaces and punctuation do not count.
pub(super) fn classify_header(cell: &str) -> Option<(Field, u32, u32)> {
    let key: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let digits: String = key.chars().filter(char::is_ascii_digit).collect();
    let nth = digits.parse::<u32>().unwrap_or(0);
    let bare: String = key.chars().filter(|c| !c.is_ascii_digit()).collect();
    let (field, rank) = match bare.as_str() {
        "fullname" => (Field::FullName, 0),
        "name" => (Field::FullName, 1),
        "displayname" | "contactname" => (Field::FullName, 2),
        "firstname" | "givenname" => (Field::First, 0),
        "forename" => (Field::First, 1),
        "first" => (Field::First, 2),
        "middlename" | "additionalname" => (Field::Middle, 0),
        "lastname" | "familyname" | "surname" => (Field::Last, 0),
        "last" => (Field::Last, 2),
        "primaryemail" | "primaryemailaddress" => (Field::Email, 0),
        "email" | "emailaddress" | "emailvalue" | "emails" | "emailaddresses" | "mail" => {
            (Field::Email, 1)
        }
        "workemail" | "businessemail" | "homeemail" | "personalemail" | "otheremail" => {
            (Field::Email, 2)
        }
        "company" | "companyname" | "currentcompany" => (Field::Company, 0),
        "organization" | "organisation" | "organizationname" | "organisationname" => {
            (Field::Company, 1)
        }
        "org" | "employer" => (Field::Company, 2),
        "jobtitle" => (Field::Role, 0),
        "position" | "organizationtitle" | "organisationtitle" => (Field::Role, 1),
        "role" => (Field::Role, 2),
        "title" => (Field::Role, 3),
        "occupation" => (Field::Role, 4),
        "linkedin" | "linkedinurl" | "linkedinprofile" | "linkedinprofileurl" => (Field::Link, 0),
        "profile" | "profileurl" | "profilelink" => (Field::Link, 1),
        "url" | "link" => (Field::Link, 2),
        "website" | "websitevalue" | "webpage" | "homepage" => (Field::Link, 3),
        "tags" | "tag" | "labels" | "label" | "categories" | "category" | "groups" | "group"
        | "groupmembership" => (Field::Tags, 0),
        "tier" => (Field::Tier, 0),
        "notes" | "note" => (Field::Notes, 0),
        "comments" | "comment" => (Field::Notes, 1),
        "connectedon" => (Field::ConnectedOn, 0),
        "metonconnected" | "meton" | "met" | "datemet" | "firstmet" => (Field::ConnectedOn, 1),
        "dateadded" | "added" | "addedon" | "since" | "connected" | "connectiondate" => {
            (Field::ConnectedOn, 2)
        }
        _ => return None,
    };
    Some((field, rank, nth))
}

/// Where each field is in the rows, from the header row.
#[derive(Debug, Default)]
pub(super) struct Columns {
    pub(super) header: Vec<String>,
    pub(super) full_name: Option<usize>,
    pub(super) first: Option<usize>,
    pub(super) middle: Option<usize>,
    pub(super) last: Option<usize>,
    pub(super) emails: Vec<usize>,
    pub(super) company: Option<usize>,
    pub(super) role: Option<usize>,
    pub(super) link: Option<usize>,
    pub(super) tags: Option<usize>,
    pub(super) tier: Option<usize>,
    pub(super) notes: Option<usize>,
    pub(super) connected_on: Option<usize>,
}

impl Columns {
    pub(super) fn from_header<'a>(cells: impl IntoIterator<Item = &'a str>) -> Self {
        let header: Vec<String> = cells.into_iter().map(|c| c.trim().to_owned()).collect();
        let mut found: Vec<(Field, u32, u32, usize)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| classify_header(cell).map(|(f, rank, nth)| (f, rank, nth, i)))
            .collect();
        found.sort_by_key(|&(_, rank, nth, i)| (rank, nth, i));
        let best = |field: Field| found.iter().find(|c| c.0 == field).map(|c| c.3);
        Columns {
            full_name: best(Field::FullName),
            first: best(Field::First),
            middle: best(Field::Middle),
            last: best(Field::Last),
            emails: found
                .iter()
                .filter(|c| c.0 == Field::Email)
                .map(|c| c.3)
                .collect(),
            company: best(Field::Company),
            role: best(Field::Role),
            link: best(Field::Link),
            tags: best(Field::Tags),
            tier: best(Field::Tier),
            notes: best(Field::Notes),
            connected_on: best(Field::ConnectedOn),
            header,
        }
    }

    /// The header names a column that can identify a person.
    pub(super) fn has_identity(&self) -> bool {
        self.full_name.is_some()
            || self.first.is_some()
            || self.last.is_some()
            || !self.emails.is_empty()
    }

    pub(super) fn is_linkedin(&self) -> bool {
        let says_connected_on = self
            .connected_on
            .and_then(|c| classify_header(self.name_of(c)))
            .is_some_and(|(_, rank, _)| rank == 0);
        self.first.is_some() && self.last.is_some() && says_connected_on
    }

    pub(super) fn name_of(&self, index: usize) -> &str {
        self.header.get(index).map_or("", String::as_str)
    }
}

pub(super) struct HeaderLocation {
    /// 1-based line of the header row.
    pub(super) line: usize,
    /// Byte offset of the header row in the text.
    pub(super) offset: usize,
    pub(super) delimiter: u8,
    pub(super) format: Format,
    /// The first non-blank line, when it is not the header row.
    pub(super) preamble_from: Option<usize>,
}

/// The delimiter that occurs most often outside quotes: comma, then semicolon, then tab.
pub(super) fn detect_delimiter(line: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (delimiter, count) in &mut counts {
                if b == *delimiter {
                    *count += 1;
                }
            }
        }
    }
    let mut best = counts[0];
    for candidate in counts {
        if candidate.1 > best.1 {
            best = candidate;
        }
    }
    best.0
}

pub(super) fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

pub(super) fn split_line(line: &str, delimiter: u8) -> Vec<String> {
    let mut record = csv::StringRecord::new();
    match csv_reader(line, delimiter).read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().to_owned()).collect(),
        _ => line
            .split(char::from(delimiter))
            .map(|c| c.trim().to_owned())
            .collect(),
    }
}

/// Finds the header row: the first line, among the first few, that names a column able to
/// identify a person. LinkedIn's "Notes:" preamble comes before it.
pub(super) fn find_header(text: &str) -> Result<HeaderLocation, ImportError> {
    let mut first: Option<(usize, Vec<String>)> = None;
    let mut offset = 0;
    let mut non_blank_seen = 0;
    for (index, line) in text.split('\n').enumerate() {
        let line_offset = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        if non_blank_seen == MAX_PREAMBLE_LINES {
            break;
        }
        non_blank_seen += 1;
        let delimiter = detect_delimiter(line);
        let cells = split_line(line, delimiter);
        let columns = Columns::from_header(cells.iter().map(String::as_str));
        let first_line = match &first {
            Some((first_line, _)) => *first_line,
            None => {
                first = Some((index + 1, cells));
                index + 1
            }
        };
        if columns.has_identity() {
            return Ok(HeaderLocation {
                line: index + 1,
                offset: line_offset,
                delimiter,
                format: if columns.is_linkedin() {
                    Format::LinkedIn
                } else {
                    Format::Csv
                },
                preamble_from: (first_line != index + 1).then_some(first_line),
            });
        }
    }
    match first {
        Some((line, cells)) => Err(ImportError::NoUsableColumns {
            line,
            found: cells.into_iter().filter(|c| !c.is_empty()).collect(),
        }),
        None => Err(ImportError::Empty),
    }
}

pub(super) fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

pub(super) fn parse_csv(
    text: &str,
    header: &HeaderLocation,
    sink: &mut Sink,
) -> Result<(), ImportError> {
    if let Some(first) = header.preamble_from
        && header.format == Format::Csv
    {
        sink.problem(
            first,
            format!(
                "lines {first} to {} come before the header row on line {} and were skipped; if they are contacts, move the header row to the top",
                header.line.saturating_sub(1),
                header.line
            ),
        );
    }
    let body = text.get(header.offset..).unwrap_or("");
    let index = LineIndex::new(text);
    let line_at = |position: Option<&csv::Position>| {
        let relative = position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let mut offset = header.offset.saturating_add(relative).min(text.len());
        // The reader counts blank lines it skipped as part of the next record.
        while text.as_bytes().get(offset) == Some(&b'\n') {
            offset += 1;
        }
        index.line_of(offset)
    };

    let mut reader = csv_reader(body, header.delimiter);
    let mut record = csv::StringRecord::new();
    let mut columns: Option<Columns> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                sink.problem(
                    line_at(err.position()),
                    format!(
                        "the rest of the file could not be read as CSV ({err}); rows from here on were not imported"
                    ),
                );
                break;
            }
        }
        let line = line_at(record.position());
        match &columns {
            Some(columns) => read_row(columns, &record, line, header.delimiter, sink),
            None => {
                let found = Columns::from_header(record.iter());
                if !found.has_identity() {
                    return Err(ImportError::NoUsableColumns {
                        line,
                        found: found.header.into_iter().filter(|c| !c.is_empty()).collect(),
                    });
                }
                columns = Some(found);
            }
        }
    }
    Ok(())
}

pub(super) fn read_row(
    columns: &Columns,
    record: &csv::StringRecord,
    line: usize,
    delimiter: u8,
    sink: &mut Sink,
) {
    if record.iter().all(|cell| cell.trim().is_empty()) {
        return;
    }
    let cell = |index: Option<usize>| index.and_then(|i| record.get(i)).map_or("", str::trim);

    if !row_fits_header(columns, record, line, delimiter, sink) {
        return;
    }

    let name = non_empty(collapse(cell(columns.full_name))).or_else(|| {
        let parts = [columns.first, columns.middle, columns.last].map(|c| collapse(cell(c)));
        non_empty(collapse(&parts.join(" ")))
    });

    let emails = read_emails(columns, record, line, sink);

    if name.is_none() && emails.is_empty() {
        sink.problem(
            line,
            "this row has neither a name nor an email address, so it was skipped; fill in a name or an email to import it",
        );
        return;
    }

    let connected_on = read_connected_on(columns, record, line, sink);

    sink.contacts.push(ImportedContact {
        line,
        name,
        emails,
        company: non_empty(collapse(cell(columns.company))),
        role: non_empty(collapse(cell(columns.role))),
        link: normalize_link(cell(columns.link)),
        tags: split_tag_cell(cell(columns.tags)),
        tier: non_empty(cell(columns.tier).to_owned()),
        notes: non_empty(cell(columns.notes).to_owned()),
        connected_on,
    });
}

/// Whether a row's width matches the header row: a row with extra values is skipped (its
/// values may sit in the wrong columns); a short one is read with the rest empty.
fn row_fits_header(
    columns: &Columns,
    record: &csv::StringRecord,
    line: usize,
    delimiter: u8,
    sink: &mut Sink,
) -> bool {
    let expected = columns.header.len();
    if record.len() > expected && record.iter().skip(expected).any(|c| !c.trim().is_empty()) {
        sink.problem(
            line,
            format!(
                "this row has {} fields but the header row has {expected}, so its values may be in the wrong columns; it was skipped. Put a value that contains a {} in double quotes and import again",
                record.len(),
                delimiter_name(delimiter)
            ),
        );
        return false;
    } else if record.len() < expected {
        sink.problem(
            line,
            format!(
                "this row has {} fields but the header row has {expected}; the missing fields were read as empty",
                record.len()
            ),
        );
    }
    true
}

/// The row's email addresses from every email column; one that is not an address is a
/// problem with its line, and the contact is read without it.
fn read_emails(
    columns: &Columns,
    record: &csv::StringRecord,
    line: usize,
    sink: &mut Sink,
) -> Vec<String> {
    let mut emails = Vec::new();
    for &column in &columns.emails {
        let raw_cell = record.get(column).map_or("", str::trim);
        for raw in split_email_cell(raw_cell) {
            match normalize_email(raw) {
                Some(email) => push_email(&mut emails, email),
                None => sink.problem(
                    line,
                    format!(
                        "{} in column {} is not an email address (expected something like name@example.com); the contact was read without it",
                        culprit(raw),
                        culprit(columns.name_of(column))
                    ),
                ),
            }
        }
    }
    emails
}

/// LinkedIn's "Connected On", if the row has one rapport can read.
fn read_connected_on(
    columns: &Columns,
    record: &csv::StringRecord,
    line: usize,
    sink: &mut Sink,
) -> Option<String> {
    let column = columns.connected_on?;
    let raw = record.get(column).map_or("", str::trim);
    if raw.is_empty() {
        return None;
    }
    let date = parse_date(raw);
    if date.is_none() {
        sink.problem(
            line,
            format!(
                "{} in column {} is not a date rapport can read (expected like 03 Nov 2024 or 2024-11-03); it was left empty",
                culprit(raw),
                culprit(columns.name_of(column))
            ),
        );
    }
    date
}
