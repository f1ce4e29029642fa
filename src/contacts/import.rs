//! Reading the contact lists people bring from elsewhere: LinkedIn's `Connections.csv`
//! export, vCard files (2.1, 3.0 and 4.0, many cards to a file) and plain CSV files whose
//! header row names their columns.
//!
//! [`parse_import`] turns the bytes of one file into candidate contacts and a list of
//! problems, each tied to the line of the file it comes from, so that the user can open the
//! file and fix it. The format is found from the content, never from the file name.
//!
//! What this module must never do: touch the store, the network or the clock; merge or
//! drop duplicate records (the caller merges by email, then profile URL, then exact name);
//! judge tiers (the caller validates them); or panic, `unwrap` or give up on a bad record.
//! The file is user input: a record it cannot use becomes a [`Problem`] and the rest of the
//! file is still read. Only a file that is none of the three formats is an [`ImportError`].

use std::fmt;

use serde::Serialize;

/// How many non-blank lines, the header row included, are searched for the header row of
/// a CSV file (LinkedIn puts a few "Notes:" lines before it).
const MAX_PREAMBLE_LINES: usize = 50;

/// Longest piece of the file quoted in a problem message, in characters.
const CULPRIT_MAX_CHARS: usize = 60;

/// Most header cells listed in [`ImportError::NoUsableColumns`]'s message.
const FOUND_COLUMNS_SHOWN: usize = 12;

const EXPECTED_FORMATS: &str = "a LinkedIn Connections.csv export, a vCard file (.vcf) or a CSV file whose first row names its columns";

const EXPECTED_COLUMNS: &str = "a name column (name, full name, first name, given name, last name, family name or surname) or an email column (email, e-mail, email address, e-mail 1 - value or primary email); rapport also reads company, role (title, position, job title), url (link, linkedin, profile), tags (labels, categories), tier and notes";

/// The kind of file that was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    /// LinkedIn's `Connections.csv` data export.
    LinkedIn,
    /// A vCard file (versions 2.1, 3.0 and 4.0).
    VCard,
    /// Any other CSV file with a header row.
    Csv,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::LinkedIn => "LinkedIn connections export",
            Format::VCard => "vCard",
            Format::Csv => "CSV",
        })
    }
}

/// How the bytes of the file were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little-endian, recognised by its byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, recognised by its byte-order mark.
    Utf16Be,
    /// Not valid UTF-8, so read as Windows-1252 (a superset of Latin-1), as Excel writes.
    Windows1252,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252",
        })
    }
}

/// One record of the file that names a person, as the file has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportedContact {
    /// 1-based line of the file where the record starts (a vCard's `BEGIN:VCARD` line).
    pub line: usize,
    /// "First Last", or the vCard's FN; trimmed, inner whitespace collapsed to one space.
    pub name: Option<String>,
    /// Trimmed, lowercased and checked to look like `name@example.com`, preferred one
    /// first, no repeats. Addresses that fail the check are reported as problems instead.
    pub emails: Vec<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    /// A profile or home-page URL; a LinkedIn URL is preferred where there are several.
    /// `https://` is put in front of a scheme-less `example.com/...`.
    pub link: Option<String>,
    /// Trimmed, no empty ones, no case-insensitive repeats.
    pub tags: Vec<String>,
    /// Only from a CSV "tier" column, trimmed; the caller validates it.
    pub tier: Option<String>,
    pub notes: Option<String>,
    /// `YYYY-MM-DD`, from LinkedIn's "Connected On" column (for example `03 Nov 2024`).
    pub connected_on: Option<String>,
}

/// Something in the file that could not be used as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line of the file.
    pub line: usize,
    /// Names the culprit and, where possible, the fix.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedImport {
    pub format: Format,
    pub encoding: TextEncoding,
    /// In file order; duplicates are kept.
    pub contacts: Vec<ImportedContact>,
    /// Sorted by line.
    pub problems: Vec<Problem>,
}

/// The file is none of the formats rapport reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty; expected {EXPECTED_FORMATS}")]
    Empty,
    #[error(
        "the file is not text (it holds binary data); expected {EXPECTED_FORMATS}. A spreadsheet (.xlsx, .ods, .numbers) must first be saved as CSV"
    )]
    Binary,
    #[error(
        "line {line}: the header row names no column rapport can use (found {}); expected {EXPECTED_COLUMNS}. Rename the columns in the header row to these names",
        describe_found(.found)
    )]
    NoUsableColumns {
        /// The first non-blank line, taken as the header row.
        line: usize,
        /// The cells of that row, trimmed, empty ones left out.
        found: Vec<String>,
    },
}

/// Reads one import file, finding its format from its content.
pub fn parse_import(bytes: &[u8]) -> Result<ParsedImport, ImportError> {
    let (text, encoding) = decode_text(bytes);
    let text = normalize_newlines(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if looks_binary(bytes, encoding, &text) {
        return Err(ImportError::Binary);
    }

    let mut sink = Sink::default();
    let starts_with_vcard = text
        .split('\n')
        .find(|line| !line.trim().is_empty())
        .is_some_and(is_begin_vcard);
    let format = if starts_with_vcard {
        parse_vcard(&text, &mut sink);
        Format::VCard
    } else {
        match find_header(&text) {
            Ok(header) => {
                parse_csv(&text, &header, &mut sink)?;
                header.format
            }
            Err(err) => {
                if text.split('\n').any(is_begin_vcard) {
                    parse_vcard(&text, &mut sink);
                    Format::VCard
                } else {
                    return Err(err);
                }
            }
        }
    };

    let Sink {
        contacts,
        mut problems,
    } = sink;
    problems.sort_by_key(|p| p.line);
    Ok(ParsedImport {
        format,
        encoding,
        contacts,
        problems,
    })
}

// ---------------------------------------------------------------------------------------
// Shared plumbing

#[derive(Default)]
struct Sink {
    contacts: Vec<ImportedContact>,
    problems: Vec<Problem>,
}

impl Sink {
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            line,
            message: message.into(),
        });
    }
}

/// A piece of the file, shortened and escaped so that it can be shown in a message.
fn culprit(s: &str) -> String {
    let mut chars = s.chars();
    let mut short: String = chars.by_ref().take(CULPRIT_MAX_CHARS).collect();
    if chars.next().is_some() {
        short.push('…');
    }
    format!("{short:?}")
}

fn describe_found(found: &[String]) -> String {
    if found.is_empty() {
        return "no column names".to_owned();
    }
    let mut list: Vec<String> = found
        .iter()
        .take(FOUND_COLUMNS_SHOWN)
        .map(|c| culprit(c))
        .collect();
    if found.len() > FOUND_COLUMNS_SHOWN {
        list.push(format!("and {} more", found.len() - FOUND_COLUMNS_SHOWN));
    }
    list.join(", ")
}

/// Trims and collapses every run of whitespace to one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

/// The byte offsets where lines start, to turn an offset into a 1-based line number.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Bytes to text

fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        decode_8bit(rest)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (
            decode_utf16(rest, u16::from_le_bytes),
            TextEncoding::Utf16Le,
        )
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (
            decode_utf16(rest, u16::from_be_bytes),
            TextEncoding::Utf16Be,
        )
    } else {
        decode_8bit(bytes)
    };
    // A second byte-order mark (some tools add one to a file that already had one).
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest.to_owned(), encoding),
        None => (text, encoding),
    }
}

fn decode_8bit(bytes: &[u8]) -> (String, TextEncoding) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => (windows_1252(bytes), TextEncoding::Windows1252),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let chunks = bytes.chunks_exact(2);
    let odd_byte = !chunks.remainder().is_empty();
    let units = chunks.map(|pair| <[u8; 2]>::try_from(pair).map_or(0xFFFD, unit));
    let mut text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if odd_byte {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// Windows-1252 differs from Latin-1 only in 0x80..=0x9F; the five bytes it leaves
/// undefined are kept as the C1 control characters of the same value.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => WINDOWS_1252_HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            _ => char::from(b),
        })
        .collect()
}

/// CRLF and lone CR (old Mac Excel) become LF, so that every line ends in `\n`.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            out.push('\n');
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn looks_binary(bytes: &[u8], encoding: TextEncoding, text: &str) -> bool {
    let utf16 = matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be);
    if !utf16 && bytes.contains(&0) {
        return true;
    }
    let sample = text.chars().take(8192);
    let (mut total, mut control) = (0usize, 0usize);
    for c in sample {
        total += 1;
        if c == '\0' || (c.is_control() && c != '\n' && c != '\t') {
            control += 1;
        }
    }
    control * 20 > total
}

// ---------------------------------------------------------------------------------------
// Email addresses, tags, links, dates

/// Trims, strips `mailto:` and `Name <...>`, lowercases and checks an address.
fn normalize_email(raw: &str) -> Option<String> {
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

/// Looks like an addr-spec: one `@`, no spaces or special characters, a local part and a
/// domain of dot-separated labels with at least one dot.
fn is_valid_email(s: &str) -> bool {
    const FORBIDDEN: &str = "()<>[]\\,;:\"";
    if s.len() > 254
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c))
    {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || local.len() > 64
        || domain.contains('@')
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !domain.contains('.')
    {
        return false;
    }
    domain.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    })
}

/// Splits a cell that may hold several addresses (Google joins them with ` ::: `).
fn split_email_cell(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::")
        .flat_map(|part| part.split([',', ';', '|', '\n']))
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

fn push_email(emails: &mut Vec<String>, email: String) {
    if !emails.contains(&email) {
        emails.push(email);
    }
}

/// Cleans one tag; Google's `* myContacts` is dropped and its `* ` prefix removed.
fn clean_tag(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let tag = collapse(trimmed.strip_prefix("* ").unwrap_or(trimmed));
    if tag.is_empty() || tag.eq_ignore_ascii_case("mycontacts") {
        None
    } else {
        Some(tag)
    }
}

fn push_tag(tags: &mut Vec<String>, tag: String) {
    if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
        tags.push(tag);
    }
}

fn split_tag_cell(cell: &str) -> Vec<String> {
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

fn normalize_link(raw: &str) -> Option<String> {
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

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_from_name(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    if name.len() < 3 {
        return None;
    }
    let position = MONTHS
        .iter()
        .position(|full| full.starts_with(&name) || (name == "sept" && *full == "september"))?;
    u32::try_from(position + 1).ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `03 Nov 2024`, `3 November 2024`, `Nov 3, 2024` or `2024-11-03`, to `2024-11-03`.
/// All-numeric dates other than year-first are ambiguous (day or month first) and refused.
fn parse_date(raw: &str) -> Option<String> {
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
    if !(1900..=9999).contains(&year) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

// ---------------------------------------------------------------------------------------
// CSV: LinkedIn and plain

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
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
fn classify_header(cell: &str) -> Option<(Field, u32, u32)> {
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
        _ => return None,
    };
    Some((field, rank, nth))
}

/// Where each field is in the rows, from the header row.
#[derive(Debug, Default)]
struct Columns {
    header: Vec<String>,
    full_name: Option<usize>,
    first: Option<usize>,
    middle: Option<usize>,
    last: Option<usize>,
    emails: Vec<usize>,
    company: Option<usize>,
    role: Option<usize>,
    link: Option<usize>,
    tags: Option<usize>,
    tier: Option<usize>,
    notes: Option<usize>,
    connected_on: Option<usize>,
}

impl Columns {
    fn from_header<'a>(cells: impl IntoIterator<Item = &'a str>) -> Self {
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
    fn has_identity(&self) -> bool {
        self.full_name.is_some()
            || self.first.is_some()
            || self.last.is_some()
            || !self.emails.is_empty()
    }

    fn is_linkedin(&self) -> bool {
        self.first.is_some() && self.last.is_some() && self.connected_on.is_some()
    }

    fn name_of(&self, index: usize) -> &str {
        self.header.get(index).map_or("", String::as_str)
    }
}

struct HeaderLocation {
    /// 1-based line of the header row.
    line: usize,
    /// Byte offset of the header row in the text.
    offset: usize,
    delimiter: u8,
    format: Format,
    /// The first non-blank line, when it is not the header row.
    preamble_from: Option<usize>,
}

/// The delimiter that occurs most often outside quotes: comma, then semicolon, then tab.
fn detect_delimiter(line: &str) -> u8 {
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

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

fn split_line(line: &str, delimiter: u8) -> Vec<String> {
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
fn find_header(text: &str) -> Result<HeaderLocation, ImportError> {
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

fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

fn parse_csv(text: &str, header: &HeaderLocation, sink: &mut Sink) -> Result<(), ImportError> {
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

fn read_row(
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

    let expected = columns.header.len();
    if record.len() > expected && record.iter().skip(expected).any(|c| !c.trim().is_empty()) {
        sink.problem(
            line,
            format!(
                "this row has {} fields but the header row has {expected}; the extra fields were ignored. A value that contains a {} must be put in double quotes",
                record.len(),
                delimiter_name(delimiter)
            ),
        );
    } else if record.len() < expected {
        sink.problem(
            line,
            format!(
                "this row has {} fields but the header row has {expected}; the missing fields were read as empty",
                record.len()
            ),
        );
    }

    let name = non_empty(collapse(cell(columns.full_name))).or_else(|| {
        let parts = [columns.first, columns.middle, columns.last].map(|c| collapse(cell(c)));
        non_empty(collapse(&parts.join(" ")))
    });

    let mut emails = Vec::new();
    for &column in &columns.emails {
        for raw in split_email_cell(cell(Some(column))) {
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

    if name.is_none() && emails.is_empty() {
        sink.problem(
            line,
            "this row has neither a name nor an email address, so it was skipped; fill in a name or an email to import it",
        );
        return;
    }

    let connected_on = columns.connected_on.and_then(|column| {
        let raw = cell(Some(column));
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
    });

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

// ---------------------------------------------------------------------------------------
// vCard

fn is_begin_vcard(line: &str) -> bool {
    line.trim().eq_ignore_ascii_case("BEGIN:VCARD")
}

fn is_end_vcard(line: &str) -> bool {
    line.trim().eq_ignore_ascii_case("END:VCARD")
}

/// One unfolded content line: `[group.]NAME[;PARAM=value...]:value`.
#[derive(Debug)]
struct Property {
    line: usize,
    /// Upper case, without its group.
    name: String,
    /// Keys upper case; a bare vCard 2.1 parameter (`EMAIL;INTERNET:`) is a TYPE value.
    params: Vec<(String, Vec<String>)>,
    /// As written: escapes and quoted-printable not yet decoded.
    value: String,
}

impl Property {
    fn param_values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(k, _)| k == key)
            .flat_map(|(_, values)| values.iter().map(String::as_str))
    }

    fn has_param_value(&self, key: &str, value: &str) -> bool {
        self.param_values(key)
            .any(|v| v.trim().eq_ignore_ascii_case(value))
    }

    fn is_quoted_printable(&self) -> bool {
        self.has_param_value("ENCODING", "QUOTED-PRINTABLE")
            || self.has_param_value("TYPE", "QUOTED-PRINTABLE")
    }

    fn is_base64(&self) -> bool {
        self.has_param_value("ENCODING", "B")
            || self.has_param_value("ENCODING", "BASE64")
            || self.has_param_value("TYPE", "BASE64")
    }

    /// The value with quoted-printable decoded; backslash escapes are still in it.
    fn raw_text(&self) -> String {
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
    fn text(&self) -> String {
        unescape(&self.raw_text())
    }

    /// Lower is preferred: vCard 4 `PREF=1`, vCard 3 `TYPE=pref`, then the rest.
    fn preference(&self) -> u32 {
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
fn find_unquoted(s: &str, wanted: u8) -> Option<usize> {
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
fn split_unquoted(s: &str, separator: u8) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(at) = find_unquoted(rest, separator) {
        parts.push(rest.get(..at).unwrap_or(""));
        rest = rest.get(at + 1..).unwrap_or("");
    }
    parts.push(rest);
    parts
}

fn parse_content_line(line: usize, s: &str) -> Option<Property> {
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

fn decode_quoted_printable(s: &str) -> Vec<u8> {
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

fn decode_charset(bytes: Vec<u8>, charset: Option<&str>) -> String {
    let single_byte = charset.is_some_and(|c| {
        matches!(
            c.trim().to_ascii_lowercase().as_str(),
            "iso-8859-1"
                | "iso8859-1"
                | "iso-8859-15"
                | "latin1"
                | "latin-1"
                | "windows-1252"
                | "cp1252"
        )
    });
    if single_byte {
        windows_1252(&bytes)
    } else {
        String::from_utf8(bytes).unwrap_or_else(|err| windows_1252(err.as_bytes()))
    }
}

/// `\n` and `\N` are newlines; a backslash before any other character stands for that
/// character (`\,` `\;` `\\`, and the `\:` that Apple writes in URLs).
fn unescape(s: &str) -> String {
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
fn split_escaped(s: &str, separator: char) -> Vec<&str> {
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
fn component_text(component: &str) -> String {
    let words: Vec<String> = split_escaped(component, ',')
        .into_iter()
        .map(unescape)
        .collect();
    collapse(&words.join(" "))
}

#[derive(Default)]
struct Card {
    line: usize,
    full_name: Option<String>,
    structured_name: Option<String>,
    emails: Vec<(u32, String)>,
    company: Option<String>,
    title: Option<String>,
    role: Option<String>,
    urls: Vec<String>,
    profiles: Vec<String>,
    notes: Vec<String>,
    tags: Vec<String>,
    kind: Option<String>,
}

impl Card {
    fn new(line: usize) -> Self {
        Card {
            line,
            ..Card::default()
        }
    }

    fn add(&mut self, property: &Property, sink: &mut Sink) {
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

    fn finish(self, sink: &mut Sink) {
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
fn head_is_quoted_printable(line: &str) -> bool {
    let head = line.find(':').and_then(|i| line.get(..i)).unwrap_or(line);
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

fn parse_vcard(text: &str, sink: &mut Sink) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|err| panic!("reading {path}: {err}"))
    }

    fn parse(bytes: &[u8]) -> ParsedImport {
        match parse_import(bytes) {
            Ok(parsed) => parsed,
            Err(err) => panic!("expected a parse, got error: {err}"),
        }
    }

    fn contact(line: usize, name: &str, emails: &[&str]) -> ImportedContact {
        ImportedContact {
            line,
            name: Some(name.to_owned()),
            emails: emails.iter().map(|e| (*e).to_owned()).collect(),
            ..ImportedContact::default()
        }
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The lines of the problems, and a check that each message contains its fragment.
    fn assert_problems(problems: &[Problem], expected: &[(usize, &str)]) {
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        let expected_lines: Vec<usize> = expected.iter().map(|e| e.0).collect();
        assert_eq!(
            lines, expected_lines,
            "problem lines; problems: {problems:#?}"
        );
        for (problem, (_, fragment)) in problems.iter().zip(expected) {
            assert!(
                problem.message.contains(fragment),
                "problem on line {} should mention {fragment:?}: {}",
                problem.line,
                problem.message
            );
        }
    }

    /// Invariants that hold for any input: no contact without a name or an email, every
    /// line number inside the file, every email lowercased and valid.
    fn check_invariants(bytes: &[u8], parsed: &ParsedImport) {
        let (text, _) = decode_text(bytes);
        let line_count = normalize_newlines(text).split('\n').count();
        for c in &parsed.contacts {
            assert!(c.name.is_some() || !c.emails.is_empty(), "{c:?}");
            assert!(
                c.line >= 1 && c.line <= line_count,
                "{c:?} in {line_count} lines"
            );
            for e in &c.emails {
                assert!(is_valid_email(e) && *e == e.to_lowercase(), "{e:?}");
            }
            if let Some(name) = &c.name {
                assert_eq!(*name, collapse(name));
                assert!(!name.is_empty());
            }
        }
        for p in &parsed.problems {
            assert!(
                p.line >= 1 && p.line <= line_count,
                "{p:?} in {line_count} lines"
            );
            assert!(!p.message.is_empty());
        }
    }

    // --- fixtures -------------------------------------------------------------------

    #[test]
    fn linkedin_export_with_notes_preamble() {
        let parsed = parse(&fixture("linkedin-connections.csv"));
        assert_eq!(parsed.format, Format::LinkedIn);
        assert_eq!(parsed.encoding, TextEncoding::Utf8);
        let linkedin = |slug: &str| some(&format!("https://www.linkedin.com/in/{slug}"));
        let expected = vec![
            ImportedContact {
                company: some("Analytical Engines Ltd"),
                role: some("Chief Programmer"),
                link: linkedin("ada-lovelace-1815"),
                connected_on: some("2024-11-03"),
                ..contact(5, "Ada Lovelace", &["ada@analytical.example"])
            },
            ImportedContact {
                company: some("Haddad, Sons & Partners"),
                role: some("Managing Partner"),
                link: linkedin("omarhaddad"),
                connected_on: some("2024-10-21"),
                ..contact(6, "Omar Haddad", &[])
            },
            ImportedContact {
                company: some("The \"Good\" Bakery GmbH"),
                role: some("Head of Product"),
                link: linkedin("lena-vogel-4b2a1c"),
                connected_on: some("2024-09-09"),
                ..contact(7, "Lena Vogel", &[])
            },
            ImportedContact {
                company: some("Northwind Traders"),
                role: some("Director, Partnerships"),
                link: linkedin("jessicapark"),
                connected_on: some("2024-08-15"),
                ..contact(8, "Jessica Park", &[])
            },
            ImportedContact {
                company: some("Mensah Consulting"),
                role: some("Founder"),
                link: linkedin("kwame-mensah"),
                connected_on: some("2024-07-02"),
                ..contact(9, "Kwame Mensah", &[])
            },
            ImportedContact {
                company: some("Fjord Labs AB"),
                role: some("Staff Engineer"),
                link: linkedin("zoe-angstrom"),
                connected_on: some("2024-06-30"),
                ..contact(10, "Zoë Ångström", &[])
            },
            ImportedContact {
                company: some("Institute of Things"),
                role: some("Research Scientist"),
                link: linkedin("priya-raman-phd"),
                connected_on: some("2024-05-01"),
                ..contact(11, "Priya Raman, PhD", &[])
            },
            ImportedContact {
                company: some("Rossi & Co."),
                role: some("CTO"),
                link: linkedin("marcorossi"),
                connected_on: some("2024-04-12"),
                ..contact(12, "Marco Rossi", &["marco.rossi@example.com"])
            },
            ImportedContact {
                link: linkedin("samoneil"),
                connected_on: some("2024-02-29"),
                ..contact(14, "Sam O'Neil", &[])
            },
            ImportedContact {
                company: some("Wei Holdings, Inc."),
                role: some("VP Engineering"),
                link: linkedin("chenwei"),
                connected_on: some("2023-01-17"),
                ..contact(15, "Chen Wei", &[])
            },
            ImportedContact {
                company: some("Atlas Robotics"),
                role: some("Engineer (Robotics, R&D)"),
                link: linkedin("fatima-zahra"),
                connected_on: some("2022-12-08"),
                ..contact(16, "Fatima Zahra", &[])
            },
            ImportedContact {
                company: some("Starfleet"),
                role: some("Captain"),
                link: linkedin("jlpicard"),
                ..contact(18, "Jean-Luc Picard", &[])
            },
            ImportedContact {
                company: some("US Navy"),
                role: some("Rear Admiral"),
                link: linkedin("gracehopper"),
                connected_on: some("2022-01-05"),
                ..contact(19, "Grace Hopper", &["grace@navy.example.mil"])
            },
        ];
        assert_eq!(parsed.contacts, expected);
        assert_problems(
            &parsed.problems,
            &[
                (9, "\"kwame.mensah@example\" in column \"Email Address\""),
                (13, "neither a name nor an email"),
                (18, "\"31 Nov 2022\" in column \"Connected On\""),
            ],
        );
        let without_email = parsed
            .contacts
            .iter()
            .filter(|c| c.emails.is_empty())
            .count();
        assert_eq!(without_email, 10);
    }

    #[test]
    fn vcard_3_with_folding_groups_and_several_emails() {
        let parsed = parse(&fixture("contacts-v3.vcf"));
        assert_eq!(parsed.format, Format::VCard);
        let expected = vec![
            ImportedContact {
                company: some("Northwind Traders"),
                role: some("Director, Partnerships"),
                link: some("https://www.linkedin.com/in/jessicapark"),
                tags: strings(&["Fintech", "Met at conference"]),
                notes: some(
                    "Met at FinTech Week 2024.\nWants intros to payments PMs; follow up in Q1.",
                ),
                ..contact(
                    1,
                    "Jessica Park",
                    &[
                        "jess@park.example",
                        "jessica.park@northwind.example",
                        "jessica@home.example",
                    ],
                )
            },
            ImportedContact {
                company: some("Haddad, Sons & Partners"),
                role: some("Managing Partner"),
                link: some("https://haddad-sons.example"),
                ..contact(18, "Omar Haddad", &["omar@haddad-sons.example"])
            },
            ImportedContact {
                company: some("The \"Good\" Bakery GmbH"),
                tags: strings(&["close-friend"]),
                ..contact(30, "Lena Maria Vogel", &["lena@goodbakery.example"])
            },
        ];
        assert_eq!(parsed.contacts, expected);
        assert_problems(
            &parsed.problems,
            &[
                (27, "EMAIL \"not an email\" is not an email address"),
                (37, "neither a name (FN or N) nor an email"),
            ],
        );
    }

    #[test]
    fn vcard_4_with_pref_group_card_and_missing_end() {
        let parsed = parse(&fixture("contacts-v4.vcf"));
        assert_eq!(parsed.format, Format::VCard);
        let expected = vec![
            ImportedContact {
                company: some("Fjord Labs AB"),
                role: some("Staff Engineer"),
                link: some("https://www.linkedin.com/in/zoe-angstrom"),
                tags: strings(&["nordics", "engineering"]),
                notes: some("Prefers async. Intro via Lena."),
                ..contact(
                    1,
                    "Zoë Ångström",
                    &["zoe.angstrom@mail.example", "zoe@fjordlabs.example"],
                )
            },
            ImportedContact {
                company: some("Mensah Consulting"),
                role: some("Founder"),
                notes: some("No email yet — ask at the next meetup."),
                ..contact(21, "Kwame Mensah", &[])
            },
            ImportedContact {
                role: some("Rear Admiral"),
                ..contact(28, "Grace Hopper", &["grace@navy.example.mil"])
            },
        ];
        assert_eq!(parsed.contacts, expected);
        assert_problems(
            &parsed.problems,
            &[(15, "group (KIND:group)"), (28, "no END:VCARD")],
        );
    }

    #[test]
    fn google_contacts_export() {
        let parsed = parse(&fixture("google-contacts.csv"));
        assert_eq!(parsed.format, Format::Csv);
        let expected = vec![
            ImportedContact {
                company: some("The Good Bakery GmbH"),
                role: some("Head of Product"),
                link: some("https://www.linkedin.com/in/lena-vogel-4b2a1c"),
                tags: strings(&["Friends", "Berlin"]),
                notes: some("Met at Berlin meetup, 2023"),
                ..contact(
                    2,
                    "Lena Vogel",
                    &["lena.vogel@goodbakery.example", "lena@vogel.example"],
                )
            },
            ImportedContact {
                company: some("Haddad, Sons & Partners"),
                role: some("Managing Partner"),
                ..contact(
                    3,
                    "Omar Haddad",
                    &["omar@haddad-sons.example", "o.haddad@gmail.example"],
                )
            },
            ImportedContact {
                company: some("Institute of Things"),
                role: some("Research Scientist"),
                tags: strings(&["starred", "Research"]),
                notes: some("Two-line note:\nlikes hiking"),
                ..contact(4, "Priya S. Raman", &[])
            },
            contact(6, "Bob", &["bob@example.org"]),
        ];
        assert_eq!(parsed.contacts, expected);
        assert_problems(&parsed.problems, &[(7, "neither a name nor an email")]);
    }

    #[test]
    fn semicolon_excel_export_in_windows_1252() {
        let bytes = fixture("semicolon-excel.csv");
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "fixture must not be UTF-8"
        );
        let parsed = parse(&bytes);
        assert_eq!(parsed.format, Format::Csv);
        assert_eq!(parsed.encoding, TextEncoding::Windows1252);
        let expected = vec![
            ImportedContact {
                company: some("Café Olé S.L."),
                role: some("Directeur général"),
                tags: strings(&["Madrid", "clients"]),
                tier: some("close"),
                notes: some("Préfère le café"),
                ..contact(2, "José Álvarez", &["jose.alvarez@empresa.example"])
            },
            ImportedContact {
                company: some("Dubois; Fils & Cie"),
                role: some("Associée"),
                tier: some("regular"),
                notes: some("Rencontrée à Lyon; très sympa"),
                ..contact(3, "Renée Dubois", &["renee@dubois.example"])
            },
            ImportedContact {
                company: some("Zürich Versicherung"),
                role: some("Aktuar"),
                notes: some("€ 500 budget – “quote”"),
                ..contact(4, "François Müller", &[])
            },
        ];
        assert_eq!(parsed.contacts, expected);
        assert_eq!(parsed.problems, vec![]);
    }

    #[test]
    fn plain_csv_with_bom() {
        let bytes = fixture("plain.csv");
        assert!(
            bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            "fixture must start with a BOM"
        );
        let parsed = parse(&bytes);
        assert_eq!(parsed.format, Format::Csv);
        assert_eq!(parsed.encoding, TextEncoding::Utf8);
        let expected = vec![
            ImportedContact {
                company: some("Analytical Engines Ltd"),
                role: some("Chief Programmer"),
                link: some("https://www.linkedin.com/in/ada-lovelace-1815"),
                tags: strings(&["math", "history"]),
                tier: some("close"),
                ..contact(2, "Ada Lovelace", &["ada@analytical.example"])
            },
            ImportedContact {
                company: some("US Navy"),
                role: some("Rear Admiral"),
                link: some("https://linkedin.com/in/gracehopper"),
                tags: strings(&["navy", "cobol"]),
                tier: some("regular"),
                notes: some("Said: \"call me in spring\""),
                ..contact(3, "Grace Hopper", &["grace@navy.example.mil"])
            },
            ImportedContact {
                company: some("Bletchley Park"),
                role: some("Cryptanalyst"),
                tier: some("acquaintance"),
                ..contact(5, "Alan Turing", &[])
            },
            ImportedContact {
                company: some("Co"),
                role: some("Role"),
                ..contact(7, "Extra Fields", &["extra@example.com"])
            },
            contact(8, "Short Row", &["short@example.com"]),
            contact(9, "Linus", &["linus@example.com", "linus@kernel.example"]),
        ];
        assert_eq!(parsed.contacts, expected);
        assert_problems(
            &parsed.problems,
            &[
                (
                    5,
                    "\"alan@bletchley\" in column \"email\" is not an email address",
                ),
                (6, "neither a name nor an email"),
                (7, "has 9 fields but the header row has 8"),
                (8, "has 2 fields but the header row has 8"),
            ],
        );
    }

    #[test]
    fn every_truncation_of_every_fixture_is_read_without_panic() {
        for name in [
            "linkedin-connections.csv",
            "contacts-v3.vcf",
            "contacts-v4.vcf",
            "google-contacts.csv",
            "semicolon-excel.csv",
            "plain.csv",
        ] {
            let bytes = fixture(name);
            let mut read = 0;
            for end in 0..=bytes.len() {
                let prefix = bytes.get(..end).unwrap_or_default();
                if let Ok(parsed) = parse_import(prefix) {
                    check_invariants(prefix, &parsed);
                    read += 1;
                }
            }
            // Past the header (or first card), every prefix is readable.
            assert!(read > bytes.len() / 2, "{name}: only {read} prefixes read");
        }
    }

    // --- format detection and errors -------------------------------------------------

    #[test]
    fn empty_and_blank_files_are_errors() {
        for input in [
            &b""[..],
            b"   \n\r\n\t",
            b"\xEF\xBB\xBF",
            b"\xEF\xBB\xBF\n\n",
        ] {
            assert_eq!(parse_import(input), Err(ImportError::Empty), "{input:?}");
        }
        let message = ImportError::Empty.to_string();
        assert!(message.contains("LinkedIn Connections.csv"), "{message}");
    }

    #[test]
    fn binary_files_are_errors() {
        let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml";
        assert_eq!(parse_import(zip), Err(ImportError::Binary));
        let mut state: u32 = 0x1234_5678;
        let garbage: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0] | 1 // no NUL, so the control-character count decides
            })
            .collect();
        assert_eq!(parse_import(&garbage), Err(ImportError::Binary));
        assert!(ImportError::Binary.to_string().contains("saved as CSV"));
        // One NUL byte in otherwise plain text: UTF-16 without a byte-order mark, or binary.
        let mut text = "name,email\nAda,ada@example.com\n".repeat(50).into_bytes();
        text.push(0);
        assert_eq!(parse_import(&text), Err(ImportError::Binary));
    }

    #[test]
    fn header_without_usable_columns_names_found_and_expected_columns() {
        let err = parse_import(b"Phone,Street,City\n+1 555,Main St,Springfield\n");
        let Err(err) = err else {
            panic!("expected an error, got {err:?}")
        };
        assert_eq!(
            err,
            ImportError::NoUsableColumns {
                line: 1,
                found: strings(&["Phone", "Street", "City"]),
            }
        );
        let message = err.to_string();
        for fragment in [
            "line 1",
            "\"Phone\", \"Street\", \"City\"",
            "first name",
            "email address",
        ] {
            assert!(message.contains(fragment), "{fragment:?} not in {message}");
        }
    }

    #[test]
    fn many_found_columns_are_shortened_in_the_message() {
        let header: Vec<String> = (1..=20).map(|i| format!("col{i}")).collect();
        let Err(err) = parse_import(header.join(",").as_bytes()) else {
            panic!("expected an error")
        };
        let message = err.to_string();
        assert!(message.contains("\"col12\", and 8 more"), "{message}");
        assert!(!message.contains("col13"), "{message}");
    }

    #[test]
    fn company_only_header_is_not_usable() {
        assert!(matches!(
            parse_import(b"company;role\nAcme;CEO\n"),
            Err(ImportError::NoUsableColumns { line: 1, .. })
        ));
    }

    #[test]
    fn header_only_file_has_no_contacts() {
        let parsed = parse(b"Name,Email\n");
        assert_eq!(parsed.format, Format::Csv);
        assert_eq!(parsed.contacts, vec![]);
        assert_eq!(parsed.problems, vec![]);
        let parsed = parse(b"First Name,Last Name,URL,Email Address,Company,Position,Connected On");
        assert_eq!(parsed.format, Format::LinkedIn);
        assert_eq!(parsed.contacts, vec![]);
    }

    #[test]
    fn linkedin_without_preamble_and_with_crlf() {
        let input = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n\
                     Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Programmer,3 November 2024\r\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(parsed.format, Format::LinkedIn);
        assert_eq!(
            parsed.contacts,
            vec![ImportedContact {
                company: some("Engines"),
                role: some("Programmer"),
                link: some("https://www.linkedin.com/in/ada"),
                connected_on: some("2024-11-03"),
                ..contact(2, "Ada Lovelace", &[])
            }]
        );
    }

    #[test]
    fn csv_preamble_before_header_is_reported() {
        let parsed = parse(b"Exported from CRM\n2024-11-03\nname,email\nAda,ada@example.com\n");
        assert_eq!(parsed.format, Format::Csv);
        assert_eq!(
            parsed.contacts,
            vec![contact(4, "Ada", &["ada@example.com"])]
        );
        assert_problems(
            &parsed.problems,
            &[(1, "lines 1 to 2 come before the header row on line 3")],
        );
    }

    #[test]
    fn header_is_searched_past_blank_lines_but_not_far_past_text() {
        let input = format!("{}name,email\nAda,ada@example.com\n", "\n".repeat(70));
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![contact(72, "Ada", &["ada@example.com"])]
        );
        let input = format!("{}name,email\n", "some text\n".repeat(MAX_PREAMBLE_LINES));
        assert!(matches!(
            parse_import(input.as_bytes()),
            Err(ImportError::NoUsableColumns { line: 1, .. })
        ));
    }

    #[test]
    fn vcard_found_after_leading_blank_lines_and_in_lower_case() {
        let parsed = parse(b"\n\n  \nbegin:vcard\nversion:3.0\nfn:Ada Lovelace\nend:vcard\n");
        assert_eq!(parsed.format, Format::VCard);
        assert_eq!(parsed.contacts, vec![contact(4, "Ada Lovelace", &[])]);
    }

    #[test]
    fn vcard_after_stray_text_is_still_read() {
        let parsed =
            parse(b"Exported by PhoneSync\nBEGIN:VCARD\nFN:Ada\nEND:VCARD\nbye\nEND:VCARD\n");
        assert_eq!(parsed.format, Format::VCard);
        assert_eq!(parsed.contacts, vec![contact(2, "Ada", &[])]);
        assert_problems(
            &parsed.problems,
            &[
                (1, "\"Exported by PhoneSync\" is outside any BEGIN:VCARD"),
                (5, "\"bye\" is outside"),
                (6, "END:VCARD without a BEGIN:VCARD"),
            ],
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let text = "Name\tEmail\nZoë\tzoe@example.com\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let parsed = parse(&le);
        assert_eq!(parsed.encoding, TextEncoding::Utf16Le);
        assert_eq!(
            parsed.contacts,
            vec![contact(2, "Zoë", &["zoe@example.com"])]
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        let parsed = parse(&be);
        assert_eq!(parsed.encoding, TextEncoding::Utf16Be);
        assert_eq!(
            parsed.contacts,
            vec![contact(2, "Zoë", &["zoe@example.com"])]
        );
    }

    #[test]
    fn windows_1252_table_covers_the_high_range() {
        assert_eq!(
            windows_1252(b"\x80\x8A\x93\x94\x96\x97\x99\x9F"),
            "€Š“”–—™Ÿ"
        );
        assert_eq!(windows_1252(b"caf\xE9 \xFF \x81"), "café ÿ \u{81}");
        let (text, encoding) = decode_text(b"Ren\xE9e");
        assert_eq!(
            (text.as_str(), encoding),
            ("Renée", TextEncoding::Windows1252)
        );
    }

    // --- CSV details --------------------------------------------------------------------

    #[test]
    fn tab_and_semicolon_delimiters_are_detected_from_the_header() {
        assert_eq!(detect_delimiter("name\temail\tcompany"), b'\t');
        assert_eq!(detect_delimiter("name;email;\"a,b,c\""), b';');
        assert_eq!(detect_delimiter("name,email"), b',');
        assert_eq!(detect_delimiter("email"), b',');
        let parsed =
            parse(b"Full Name\tE-mail\tOrganisation\nAda  Lovelace\tada@x.example\tEngines, Ltd\n");
        assert_eq!(
            parsed.contacts,
            vec![ImportedContact {
                company: some("Engines, Ltd"),
                ..contact(2, "Ada Lovelace", &["ada@x.example"])
            }]
        );
    }

    #[test]
    fn line_numbers_survive_quoted_newlines_and_blank_lines() {
        let input = "name,notes,email\n\
                     \n\
                     Ada,\"one\ntwo\n\nthree\",ada@example.com\n\
                     \n\
                     \n\
                     Grace,,grace@example.com\n\
                     Alan,\"x\",alan@example.com\n";
        let parsed = parse(input.as_bytes());
        let lines: Vec<(usize, Option<String>)> = parsed
            .contacts
            .iter()
            .map(|c| (c.line, c.notes.clone()))
            .collect();
        assert_eq!(
            lines,
            vec![(3, some("one\ntwo\n\nthree")), (9, None), (10, some("x")),]
        );
    }

    #[test]
    fn old_mac_line_endings_count_as_lines() {
        let parsed = parse(b"name,email\rAda,ada@example.com\rGrace,grace@example.com\r");
        let lines: Vec<usize> = parsed.contacts.iter().map(|c| c.line).collect();
        assert_eq!(lines, vec![2, 3]);
    }

    #[test]
    fn unterminated_quote_at_end_keeps_what_was_read() {
        let parsed =
            parse(b"name,email,notes\nAda,ada@example.com,ok\nGrace,grace@example.com,\"cut sho");
        assert_eq!(
            parsed.contacts,
            vec![
                ImportedContact {
                    notes: some("ok"),
                    ..contact(2, "Ada", &["ada@example.com"])
                },
                ImportedContact {
                    notes: some("cut sho"),
                    ..contact(3, "Grace", &["grace@example.com"])
                },
            ]
        );
    }

    #[test]
    fn very_long_cells_are_read() {
        let long_name = "A".repeat(2_000_000);
        let input = format!("name,email\n{long_name},a@example.com\nBob,bob@example.com\n");
        let parsed = parse(input.as_bytes());
        assert_eq!(parsed.contacts.len(), 2);
        assert_eq!(
            parsed.contacts[0].name.as_ref().map(String::len),
            Some(2_000_000)
        );
        assert_eq!(parsed.contacts[1].line, 3);
    }

    #[test]
    fn trailing_empty_extra_fields_are_not_a_problem() {
        let parsed = parse(b"name,email\nAda,ada@example.com,,\n");
        assert_eq!(
            parsed.contacts,
            vec![contact(2, "Ada", &["ada@example.com"])]
        );
        assert_eq!(parsed.problems, vec![]);
    }

    #[test]
    fn first_and_last_name_are_joined_and_full_name_wins() {
        let parsed = parse(
            b"Given Name,Family Name,Name,Email\n  Ada , Lovelace ,,\nAda,Lovelace,Countess  of\tLovelace,\n,Turing,,\n",
        );
        let names: Vec<Option<String>> = parsed.contacts.iter().map(|c| c.name.clone()).collect();
        assert_eq!(
            names,
            vec![
                some("Ada Lovelace"),
                some("Countess of Lovelace"),
                some("Turing")
            ]
        );
    }

    #[test]
    fn header_aliases_are_recognised() {
        let cases: &[(&str, Field)] = &[
            ("Name", Field::FullName),
            ("FULL NAME", Field::FullName),
            ("full_name", Field::FullName),
            ("First Name", Field::First),
            ("given name", Field::First),
            ("Middle Name", Field::Middle),
            ("Last Name", Field::Last),
            ("Family Name", Field::Last),
            ("Surname", Field::Last),
            ("email", Field::Email),
            ("E-mail", Field::Email),
            ("Email Address", Field::Email),
            ("E-mail 1 - Value", Field::Email),
            ("E-mail 2 Address", Field::Email),
            ("Primary Email", Field::Email),
            ("Company", Field::Company),
            ("Organization", Field::Company),
            ("organisation", Field::Company),
            ("Organization 1 - Name", Field::Company),
            ("Role", Field::Role),
            ("Title", Field::Role),
            ("Position", Field::Role),
            ("Job Title", Field::Role),
            ("Organization Title", Field::Role),
            ("URL", Field::Link),
            ("Link", Field::Link),
            ("LinkedIn", Field::Link),
            ("Profile", Field::Link),
            ("LinkedIn URL", Field::Link),
            ("Tags", Field::Tags),
            ("Labels", Field::Tags),
            ("Categories", Field::Tags),
            ("Group Membership", Field::Tags),
            ("Tier", Field::Tier),
            ("Notes", Field::Notes),
            ("Connected On", Field::ConnectedOn),
        ];
        for (cell, field) in cases {
            assert_eq!(classify_header(cell).map(|c| c.0), Some(*field), "{cell}");
        }
        for cell in [
            "E-mail 1 - Type",
            "E-mail 1 - Label",
            "Phone 1 - Value",
            "Name Prefix",
            "Organization Department",
            "Phonetic First Name",
            "",
        ] {
            assert_eq!(classify_header(cell), None, "{cell}");
        }
    }

    #[test]
    fn the_best_alias_wins_when_several_match() {
        let columns = Columns::from_header([
            "Title",
            "Job Title",
            "E-mail 2 - Value",
            "Email",
            "Primary Email",
            "Website",
            "LinkedIn",
        ]);
        assert_eq!(columns.role, Some(1));
        assert_eq!(columns.emails, vec![4, 3, 2]);
        assert_eq!(columns.link, Some(6));
    }

    #[test]
    fn email_and_tag_cells_split_on_every_separator() {
        let parsed = parse(
            "name,email,tags\nAda,\"A@x.example; b@x.example | c@x.example ::: Ada <D@X.example>, mailto:e@x.example, a@x.example\",\"one;two|three, One ,* myContacts ::: * starred\"\n"
                .as_bytes(),
        );
        assert_eq!(
            parsed.contacts,
            vec![ImportedContact {
                tags: strings(&["one", "two", "three", "starred"]),
                ..contact(
                    2,
                    "Ada",
                    &[
                        "a@x.example",
                        "b@x.example",
                        "c@x.example",
                        "d@x.example",
                        "e@x.example"
                    ],
                )
            }]
        );
    }

    #[test]
    fn row_with_only_an_invalid_email_is_two_problems() {
        let parsed = parse(b"name,email\n,not-an-email\n");
        assert_eq!(parsed.contacts, vec![]);
        assert_problems(
            &parsed.problems,
            &[
                (2, "\"not-an-email\" in column \"email\""),
                (2, "neither a name nor an email"),
            ],
        );
    }

    #[test]
    fn email_validation() {
        for good in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "o'neil@example.ie",
            "zoë@exämple.se",
        ] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "plain",
            "a@b",
            "@b.co",
            "a@",
            "a@@b.co",
            "a@b@c.co",
            "a b@c.co",
            "a@b .co",
            "a@.b.co",
            "a@b.co.",
            "a@b..co",
            ".a@b.co",
            "a.@b.co",
            "a..b@c.co",
            "a@-b.co",
            "a,b@c.co",
            "<a@b.co>",
            "a@b_c.co",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert_eq!(
            normalize_email("  Ada <Ada@Example.COM> "),
            some("ada@example.com")
        );
        assert_eq!(
            normalize_email("MAILTO:ada@example.com"),
            some("ada@example.com")
        );
        assert_eq!(normalize_email("ada@example"), None);
    }

    #[test]
    fn dates() {
        for (raw, iso) in [
            ("03 Nov 2024", "2024-11-03"),
            ("3 November 2024", "2024-11-03"),
            ("Nov 3, 2024", "2024-11-03"),
            ("2024-11-03", "2024-11-03"),
            ("29 Feb 2024", "2024-02-29"),
            ("01 Sept 2023", "2023-09-01"),
            ("29 Feb 2000", "2000-02-29"),
        ] {
            assert_eq!(parse_date(raw), some(iso), "{raw}");
        }
        for raw in [
            "",
            "29 Feb 2023",
            "29 Feb 1900",
            "31 Nov 2022",
            "00 Jan 2024",
            "11/03/24",
            "3/11/2024",
            "03 Noz 2024",
            "03 Nov",
            "2024-13-01",
            "Ma 3 2024",
            "03 Nov 20245",
        ] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn links_get_a_scheme_when_they_lack_one() {
        assert_eq!(
            normalize_link(" linkedin.com/in/ada "),
            some("https://linkedin.com/in/ada")
        );
        assert_eq!(
            normalize_link("http://ada.example"),
            some("http://ada.example")
        );
        assert_eq!(normalize_link("@ada"), some("@ada"));
        assert_eq!(normalize_link("my site"), some("my site"));
        assert_eq!(normalize_link("  "), None);
    }

    // --- vCard details ------------------------------------------------------------------

    #[test]
    fn vcard_escapes_and_structured_values() {
        let input = "BEGIN:VCARD\nVERSION:3.0\nN:O\\,Neil;Sam;J.,K.;Dr.;PhD\nORG:;Research\\; Dev;Lab\nNOTE:back\\\\slash\\Nnew line\\, comma\nCATEGORIES:a\\,b,c\nEND:VCARD\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![ImportedContact {
                company: some("Research; Dev"),
                tags: strings(&["a,b", "c"]),
                notes: some("back\\slash\nnew line, comma"),
                ..contact(1, "Sam J. K. O,Neil", &[])
            }]
        );
    }

    #[test]
    fn vcard_2_1_quoted_printable_and_charsets() {
        let input = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=\r\nller\r\nEMAIL;INTERNET;PREF:juergen@example.de\r\nTITLE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:=C3=A9t=C3=A9\r\nNOTE;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Caf=E9 =3D coffee=0D=0A2nd line=\r\n\r\nORG:M=FCller GmbH\r\nEND:VCARD\r\n";
        let parsed = parse(input);
        assert_eq!(
            parsed.contacts,
            vec![ImportedContact {
                company: some("M=FCller GmbH"),
                // Latin-1 as the CHARSET says, even where the bytes happen to be UTF-8.
                role: some("Ã©tÃ©"),
                notes: some("Café = coffee\n2nd line"),
                ..contact(1, "Jürgen Müller", &["juergen@example.de"])
            }]
        );
        assert_eq!(parsed.problems, vec![]);
    }

    #[test]
    fn vcard_2_1_unindented_base64_photo_is_skipped() {
        let input = "BEGIN:VCARD\nVERSION:2.1\nFN:Ada\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\nAAAQABAAD/2wBDAAMCAgICAgMC\nAgIDAwMDBAYEBAQEBAgGBgUG\n\nEMAIL:ada@example.com\nEND:VCARD\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![contact(1, "Ada", &["ada@example.com"])]
        );
        assert_eq!(parsed.problems, vec![]);
    }

    #[test]
    fn vcard_begin_inside_a_card_closes_the_open_one() {
        let input =
            "BEGIN:VCARD\nFN:Ada\nEMAIL:ada@example.com\nBEGIN:VCARD\nFN:Grace\nEND:VCARD\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![
                contact(1, "Ada", &["ada@example.com"]),
                contact(4, "Grace", &[])
            ]
        );
        assert_problems(
            &parsed.problems,
            &[(1, "no END:VCARD before the next BEGIN:VCARD on line 4")],
        );
    }

    #[test]
    fn vcard_line_numbers_count_folded_lines() {
        let input = "BEGIN:VCARD\r\nFN:A\r\n da\r\nNOTE:long\r\n  note\r\n\tcontinued\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Grace\r\nEMAIL:bad@\r\n example\r\nEND:VCARD\r\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![
                ImportedContact {
                    notes: some("long notecontinued"),
                    ..contact(1, "Ada", &[])
                },
                contact(8, "Grace", &[]),
            ]
        );
        assert_problems(&parsed.problems, &[(10, "EMAIL \"bad@example\"")]);
    }

    #[test]
    fn vcard_garbage_lines_inside_a_card_are_problems() {
        let input = "BEGIN:VCARD\nFN:Ada\nthis is not a property\nEMAIL;TYPE=\"work:home\":ada@example.com\n:no name\nEND:VCARD\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![contact(1, "Ada", &["ada@example.com"])]
        );
        assert_problems(
            &parsed.problems,
            &[
                (3, "\"this is not a property\" is not a vCard property"),
                (5, "\":no name\""),
            ],
        );
    }

    #[test]
    fn vcard_prefers_a_linkedin_url_and_orders_emails_by_pref() {
        let input = "BEGIN:VCARD\nVERSION:4.0\nFN:Ada\nURL:https://ada.example\nURL:https://www.LinkedIn.com/in/ada\nEMAIL;PREF=2:two@example.com\nEMAIL:none@example.com\nEMAIL;PREF=1:one@example.com\nEMAIL:ONE@example.com\nEND:VCARD\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            parsed.contacts,
            vec![ImportedContact {
                link: some("https://www.LinkedIn.com/in/ada"),
                ..contact(
                    1,
                    "Ada",
                    &["one@example.com", "two@example.com", "none@example.com"]
                )
            }]
        );
    }

    #[test]
    fn parse_content_line_handles_groups_params_and_quotes() {
        let Some(p) =
            parse_content_line(7, "item1.EMAIL;TYPE=INTERNET,pref;X-LABEL=\"a;b:c\":x@y.z")
        else {
            panic!("not parsed")
        };
        assert_eq!(p.line, 7);
        assert_eq!(p.name, "EMAIL");
        assert_eq!(p.value, "x@y.z");
        assert_eq!(
            p.params,
            vec![
                ("TYPE".to_owned(), strings(&["INTERNET", "pref"])),
                ("X-LABEL".to_owned(), strings(&["a;b:c"])),
            ]
        );
        assert_eq!(p.preference(), 0);
        assert!(parse_content_line(1, "no colon here").is_none());
        assert!(parse_content_line(1, "bad name:value").is_none());
    }

    // --- robustness ---------------------------------------------------------------------

    #[test]
    fn random_inputs_never_panic() {
        const PIECES: &[&str] = &[
            "BEGIN:VCARD",
            "END:VCARD",
            "\n",
            "\r\n",
            "\r",
            " ",
            "\t",
            ",",
            ";",
            ":",
            "\"",
            "=",
            "=C3",
            "\\",
            "\\n",
            "FN",
            "EMAIL",
            "N",
            "ORG",
            "ENCODING=QUOTED-PRINTABLE",
            "name",
            "email",
            "First Name",
            "Last Name",
            "Connected On",
            "a@b.co",
            "@",
            ".",
            "é",
            "\u{FEFF}",
            "Zoë",
            "03 Nov 2024",
            "item1.",
            "CATEGORIES",
            ":::",
            "|",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let mut input: Vec<u8> = Vec::new();
            let pieces = next() % 60;
            for _ in 0..pieces {
                let r = next();
                if r % 10 == 0 {
                    input.push(u8::try_from(r >> 32 & 0xFF).unwrap_or(0));
                } else {
                    let index = usize::try_from(r >> 8).unwrap_or(0) % PIECES.len();
                    input.extend_from_slice(PIECES.get(index).unwrap_or(&"").as_bytes());
                }
            }
            if let Ok(parsed) = parse_import(&input) {
                check_invariants(&input, &parsed);
            }
        }
    }

    #[test]
    fn problem_display_names_the_line() {
        let problem = Problem {
            line: 12,
            message: "bad".to_owned(),
        };
        assert_eq!(problem.to_string(), "line 12: bad");
        assert_eq!(Format::LinkedIn.to_string(), "LinkedIn connections export");
        assert_eq!(TextEncoding::Windows1252.to_string(), "Windows-1252");
    }

    #[test]
    fn culprits_are_shortened_and_escaped() {
        assert_eq!(culprit("a\"b\nc"), "\"a\\\"b\\nc\"");
        let long = culprit(&"x".repeat(100));
        assert_eq!(long.chars().count(), CULPRIT_MAX_CHARS + 3);
        assert!(long.ends_with("…\""));
    }
}
