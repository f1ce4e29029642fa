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

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

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
    /// Not valid UTF-8: the legacy encoding (its WHATWG name, such as `Shift_JIS`,
    /// `windows-1251` or `windows-1252`) that chardetng found most likely.
    Legacy(&'static str),
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Legacy(name) => name,
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
    /// When you met, `YYYY-MM-DD`: LinkedIn's "Connected On" column (for example
    /// `03 Nov 2024`), a CSV "Date Added" / "Met On" column, or a vCard's REV.
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

/// The largest import file read (a contacts export of 100,000 people is some 20 MB).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;
/// The longest line read (a vCard folds its lines; a CSV row of one contact is short).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// The file is none of the formats rapport reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "the file is larger than {} MiB, far more than any contacts export; is it the right file? (expected {EXPECTED_FORMATS}; split a larger one)",
        MAX_IMPORT_BYTES / 1024 / 1024
    )]
    TooLarge,
    #[error(
        "line {line} is longer than {} MiB, which no contacts export has; expected {EXPECTED_FORMATS}",
        MAX_LINE_BYTES / 1024 / 1024
    )]
    LineTooLong {
        /// 1-based.
        line: usize,
    },
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
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge);
    }
    if let Some(line) = bytes
        .split(|&b| b == b'\n')
        .position(|l| l.len() > MAX_LINE_BYTES)
    {
        return Err(ImportError::LineTooLong { line: line + 1 });
    }
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

mod decode;
mod delimited;
mod fields;
mod vcard;

use decode::*;
use delimited::*;
use fields::*;
use vcard::*;

#[cfg(test)]
mod tests;
