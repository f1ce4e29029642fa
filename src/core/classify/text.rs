//! Text helpers: HTML to plain text, finding the fresh (unquoted) text of a
//! reply, phrase matching on word boundaries, the snippet.
//!
//! Everything here is linear in the input and works on `char`s or checked
//! slices, so hostile text cannot make it panic.

use mail_parser::decoders::html::add_html_token;

use super::lexicon::{self, Words};
use crate::core::contentline::normalise_newlines;

/// Converts HTML to plain text. Drops `<head>`, `<style>`, `<script>` and
/// comments; turns block elements into line breaks; prefixes every line
/// inside `<blockquote>` with `> ` so that quote stripping treats HTML
/// quotes like plain-text ones; decodes every HTML character reference
/// (named ones with mail-parser's HTML5 table, see [`decode_entity`]).
pub(crate) fn html_to_text(html: &str) -> String {
    // Bounded: 2 MiB of HTML is far more than any message's visible text.
    let chars: Vec<char> = html.chars().take(2 * 1024 * 1024).collect();
    let n = chars.len();
    let mut w = HtmlText {
        out: String::with_capacity(html.len() / 2),
        quote_depth: 0,
        skip_depth: 0,
        at_line_start: true,
    };
    let mut i = 0;
    while i < n {
        let c = chars.get(i).copied().unwrap_or(' ');
        if c == '<' {
            if starts_at(&chars, i, "<!--") {
                i = find_from(&chars, i + 4, "-->").map_or(n, |e| e + 3);
                continue;
            }
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if !(next.is_ascii_alphabetic() || next == '/' || next == '!' || next == '?') {
                if w.skip_depth == 0 {
                    w.emit('<');
                }
                i += 1;
                continue;
            }
            let end = tag_end(&chars, i + 1);
            let tag: String = chars.get(i + 1..end).unwrap_or_default().iter().collect();
            w.tag(&tag);
            i = end + 1;
            continue;
        }
        if w.skip_depth > 0 {
            i += 1;
            continue;
        }
        if c == '&' {
            let (decoded, used) = decode_entity(&chars, i);
            decoded.chars().for_each(|d| w.emit(d));
            i += used;
            continue;
        }
        if c == '\r' || c == '\n' {
            // Source line breaks are just whitespace in HTML.
            if !w.at_line_start && !w.out.ends_with(' ') {
                w.out.push(' ');
            }
        } else {
            w.emit(c);
        }
        i += 1;
    }
    w.out
}

/// The index of the `>` that ends the tag whose name starts at `from`
/// (quoted attribute values may hold `>`), or the end of the input.
fn tag_end(chars: &[char], from: usize) -> usize {
    let mut quote: Option<char> = None;
    let mut j = from;
    while let Some(&d) = chars.get(j) {
        match quote {
            Some(q) if d == q => quote = None,
            Some(_) => {}
            None if d == '"' || d == '\'' => quote = Some(d),
            None if d == '>' => return j,
            None => {}
        }
        j += 1;
    }
    chars.len()
}

/// The text being written by [`html_to_text`] and where it stands.
struct HtmlText {
    out: String,
    quote_depth: usize,
    /// Inside head/style/script/title.
    skip_depth: usize,
    at_line_start: bool,
}

impl HtmlText {
    fn newline(&mut self) {
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.at_line_start = true;
    }

    fn emit(&mut self, c: char) {
        emit_char(&mut self.out, c, self.quote_depth, &mut self.at_line_start);
    }

    /// What a tag (its text between `<` and `>`) does to the text.
    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "head" | "style" | "script" | "title" => {
                if closing {
                    self.skip_depth = self.skip_depth.saturating_sub(1);
                } else if !tag.ends_with('/') {
                    self.skip_depth += 1;
                }
            }
            "blockquote" => {
                self.newline();
                if closing {
                    self.quote_depth = self.quote_depth.saturating_sub(1);
                } else {
                    self.quote_depth += 1;
                }
            }
            "br" | "p" | "div" | "tr" | "li" | "ul" | "ol" | "table" | "h1" | "h2" | "h3"
            | "h4" | "h5" | "h6" | "pre" | "hr" | "center" | "section" | "article" | "header"
            | "footer" | "dt" | "dd"
                if self.skip_depth == 0 =>
            {
                self.newline();
                if name == "hr" && !closing {
                    self.out.push_str("________________________________\n");
                }
            }
            "td" | "th"
                if self.skip_depth == 0
                    && !self.out.ends_with(' ')
                    && !self.out.ends_with('\n') =>
            {
                self.out.push(' ');
            }
            _ => {}
        }
    }
}

fn emit_char(out: &mut String, c: char, quote_depth: usize, at_line_start: &mut bool) {
    if *at_line_start {
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            return;
        }
        for _ in 0..quote_depth.min(8) {
            out.push_str("> ");
        }
        *at_line_start = false;
    }
    if c == '\u{a0}' {
        out.push(' ');
    } else {
        out.push(c);
    }
}

fn starts_at(chars: &[char], i: usize, pat: &str) -> bool {
    let mut k = i;
    for p in pat.chars() {
        match chars.get(k) {
            Some(c) if c.eq_ignore_ascii_case(&p) => k += 1,
            _ => return false,
        }
    }
    true
}

fn find_from(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..chars.len()).find(|&k| starts_at(chars, k, pat))
}

/// The longest entity name looked for (HTML5's longest named reference,
/// `&CounterClockwiseContourIntegral;`, has 31 characters).
const MAX_ENTITY: usize = 40;

/// Decodes the character reference at `chars[i]` (an `&`): the text it
/// stands for and the chars used, or `&` alone when none is there. Named
/// references go through mail-parser's own HTML decoder (the full HTML5
/// table), exact case first, then lower case for senders who shout
/// (`&NBSP;`); numeric ones (`&#233;`, `&#xE9;`) likewise.
fn decode_entity(chars: &[char], i: usize) -> (String, usize) {
    let mut name = String::new();
    let mut k = i + 1;
    while k < chars.len() && k <= i + MAX_ENTITY {
        let c = chars.get(k).copied().unwrap_or(';');
        if c == ';' {
            break;
        }
        if !(c.is_ascii_alphanumeric() || c == '#') {
            return ("&".to_string(), 1);
        }
        name.push(c);
        k += 1;
    }
    if chars.get(k) != Some(&';') || name.is_empty() {
        return ("&".to_string(), 1);
    }
    let used = k - i + 1;
    for candidate in [name.clone(), name.to_ascii_lowercase()] {
        let token = format!("&{candidate};");
        let mut out = String::new();
        add_html_token(&mut out, token.as_bytes(), false);
        if out != token {
            return (out, used);
        }
    }
    ("&".to_string(), 1)
}

/// Quote words of languages the lexicon has no quote sections for (the
/// lexicon's files hold the others): Russian, Chinese, Korean and
/// Japanese. Same sections as the lexicon's quote sections.
const QUOTE_FILES: &[&str] = &[
    include_str!("quote_words/ru.txt"),
    include_str!("quote_words/zh.txt"),
    include_str!("quote_words/ko.txt"),
    include_str!("quote_words/ja.txt"),
];

/// The entries of section `name` in the quote files, in file order.
fn quote_file_entries(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    QUOTE_FILES.iter().flat_map(move |file| {
        let mut section = "";
        file.lines().filter_map(move |line| {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(n) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = n.trim();
                return None;
            }
            (!line.is_empty() && section == name).then_some(line)
        })
    })
}

/// The word lists of the fresh-text reader with their section names.
const SECTIONS: [(Words, &str); 9] = [
    (Words::QuoteEnd, "quote_end"),
    (Words::QuoteVerb, "quote_verb"),
    (Words::QuoteStart, "quote_start"),
    (Words::QuoteFrom, "quote_from"),
    (Words::QuoteHeader, "quote_header"),
    (Words::QuoteSent, "quote_sent"),
    (Words::QuoteSeparator, "quote_separator"),
    (Words::ForwardLead, "forward_lead"),
    (Words::SignatureLead, "signature_lead"),
];

/// Every word list the fresh-text reader uses, lexicon and quote files
/// together, compiled once from the constant data.
static LISTS: std::sync::LazyLock<Vec<(Words, Vec<&'static str>)>> =
    std::sync::LazyLock::new(|| {
        SECTIONS
            .into_iter()
            .map(|(w, name)| {
                let mut all: Vec<&'static str> = lexicon::words(w).to_vec();
                for e in quote_file_entries(name) {
                    if !all.contains(&e) {
                        all.push(e);
                    }
                }
                (w, all)
            })
            .collect()
    });

fn list(w: Words) -> &'static [&'static str] {
    LISTS
        .iter()
        .find(|(x, _)| *x == w)
        .map_or(&[], |(_, l)| l.as_slice())
}

/// A line lowercased for the quote checks, full-width colons (Chinese,
/// Japanese, Korean clients) read as ':'.
fn fold(line: &str) -> String {
    // French typography puts a no-break space before the colon ("De\u{a0}: Sam").
    line.to_lowercase()
        .replace('\u{ff1a}', ":")
        .replace(['\u{a0}', '\u{202f}'], " ")
}

fn starts_with_any(line: &str, w: Words) -> bool {
    list(w).iter().any(|p| line.starts_with(p))
}

/// `line` starts with one of the words of `w` followed by a space.
fn starts_with_word(line: &str, w: Words) -> bool {
    list(w)
        .iter()
        .any(|p| line.strip_prefix(p).is_some_and(|r| r.starts_with(' ')))
}

/// `line` holds one of the words of `w` after a space.
fn has_word_after_space(line: &str, w: Words) -> bool {
    list(w).iter().any(|p| {
        line.match_indices(p)
            .any(|(i, _)| line.get(..i).is_some_and(|b| b.ends_with(' ')))
    })
}

fn is_separator_line(lower: &str) -> bool {
    let t = lower.trim_matches(|c: char| c == '-' || c == '_' || c == '=' || c.is_whitespace());
    let had_dashes = lower.trim().starts_with("---") || lower.trim().starts_with("___");
    (had_dashes || lower.contains("original message") || lower.contains("forwarded message"))
        && list(Words::QuoteSeparator).contains(&t)
}

fn strip_quote_marks(line: &str) -> &str {
    line.trim_start().trim_start_matches('*').trim_start()
}

/// The fresh text of a message and whether (and how) a quote was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Fresh {
    pub text: String,
    /// A reply structure (an attribution, an Outlook header block or an
    /// original-message separator) was found: a sign of a reply. Bare `>`
    /// lines are not enough (newsletters and mbox escaping produce them).
    pub quote_found: bool,
    pub quote_kind: Option<&'static str>,
}

/// Returns the fresh text of a message: the text above (and, for bottom
/// posting, between) the quoted parts. Cuts at "On … wrote:" attributions
/// that are not followed by `>` lines, at Outlook "-----Original
/// Message-----" separators and "From: … Sent: …" header blocks, and at a
/// "-- " signature separator or a "Sent from my …" line; drops `>` lines.
pub(crate) fn fresh_text(text: &str) -> Fresh {
    let normalised = normalise_newlines(text);
    let lines: Vec<&str> = normalised.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut kind: Option<&'static str> = None;
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        match fresh_step(&lines, i, line) {
            Step::Keep => {
                out.push(line);
                i += 1;
            }
            Step::Skip(n) => i += n,
            Step::Quoted => {
                kind.get_or_insert("'>' quoted lines");
                i += 1;
            }
            Step::Attribution(n) => {
                drop_wrapped_attribution_head(&mut out, line);
                kind = Some("attribution line");
                i += n;
            }
            Step::Stop(found) => {
                if found == Some("attribution line") {
                    drop_wrapped_attribution_head(&mut out, line);
                }
                if found.is_some() {
                    kind = found;
                }
                break;
            }
        }
    }
    let joined = out.join("\n");
    Fresh {
        text: joined.trim().to_string(),
        quote_found: kind.is_some_and(|k| !k.starts_with('\'')),
        quote_kind: kind,
    }
}

/// An attribution wrapped before its last words ("Sam Rivera <sam@x>, 20 Oca 2027
/// Çar, 12:00 tarihinde şunu" / "yazdı:"), whose first line starts with no word of
/// its own (Turkish and Polish Gmail start with the sender): the line kept before
/// `tail` (the attribution's end alone, a word or two) is its head when it holds an
/// address, and is no fresh text.
fn drop_wrapped_attribution_head(out: &mut Vec<&str>, tail: &str) {
    let tail = fold(tail.trim());
    let bare_end = tail.split_whitespace().count() <= 2
        && list(Words::QuoteEnd).iter().any(|e| tail.ends_with(e));
    let head = out.iter().rposition(|l| !l.trim().is_empty());
    if let Some(h) = head.filter(|h| bare_end && out.get(*h).is_some_and(|l| l.contains('@'))) {
        out.truncate(h);
    }
}

/// How the legal disclaimers under signatures begin, lowercase, in the languages of
/// the lists.
const DISCLAIMER_LEADS: &[&str] = &[
    "this email and any attachments",
    "this e-mail and any attachments",
    "this email and any files",
    "this message and any attachments",
    "this email is confidential",
    "this e-mail is confidential",
    "this message is confidential",
    "confidentiality notice",
    "confidentiality note",
    "the information contained in this",
    "the information in this email",
    "disclaimer:",
    "legal disclaimer",
    "privileged & confidential",
    "privileged and confidential",
    "if you are not the intended recipient",
    "if you have received this email in error",
    "if you have received this e-mail in error",
    "diese e-mail enthält vertrauliche",
    "diese e-mail kann vertrauliche",
    "diese nachricht enthält vertrauliche",
    "ce message et ses pièces jointes",
    "ce message et toutes les pièces jointes",
    "ce courriel et ses pièces jointes",
    "este mensaje y sus anexos",
    "este mensaje y sus archivos adjuntos",
    "este correo electrónico y sus anexos",
    "este correo es confidencial",
    "questo messaggio e i suoi allegati",
    "questa e-mail e i suoi allegati",
    "le informazioni contenute in questo",
    "esta mensagem e os seus anexos",
    "esta mensagem e seus anexos",
    "dit bericht is uitsluitend bestemd",
    "dit e-mailbericht is uitsluitend",
    "de informatie verzonden in dit",
    "detta e-postmeddelande och eventuella bilagor",
    "denne e-mail og eventuelle vedhæftede",
    "denne e-posten og eventuelle vedlegg",
];

/// What [`fresh_text`] does with the line at `i`.
enum Step {
    /// Fresh text (or a blank line, which no quote mark is).
    Keep,
    /// Lines that are neither fresh text nor the start of the quote.
    Skip(usize),
    /// A `>` quoted line, skipped (bottom posting keeps scanning below it).
    Quoted,
    /// An attribution of this many lines followed by `>` lines: skip it and keep scanning.
    Attribution(usize),
    /// The signature or the quote starts here (with its kind, if it is a quote).
    Stop(Option<&'static str>),
}

fn fresh_step(lines: &[&str], i: usize, line: &str) -> Step {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Step::Keep;
    }
    let lower = fold(trimmed);
    if trimmed.starts_with('>') {
        return Step::Quoted;
    }
    if line == "-- " || trimmed == "--" || trimmed == "\u{2014}" {
        return Step::Stop(None);
    }
    // A client's signature line is short; a sentence that starts alike is text.
    if lower.chars().count() <= 80 && starts_with_any(&lower, Words::SignatureLead) {
        return Step::Stop(None);
    }
    // A legal disclaimer ("This email and any attachments are confidential…") is
    // no one's words to the user: its "received in error" acknowledges nothing.
    if i > 0 && DISCLAIMER_LEADS.iter().any(|d| lower.starts_with(d)) {
        return Step::Stop(None);
    }
    if is_separator_line(&lower) || starts_with_any(&lower, Words::ForwardLead) {
        return Step::Stop(Some("original-message separator"));
    }
    // Underscore rule followed by a header block (Outlook HTML replies).
    if trimmed.len() >= 20 && trimmed.chars().all(|c| c == '_') {
        if header_block_at(lines, i + 1) {
            return Step::Stop(Some("Outlook header block"));
        }
        return Step::Skip(1);
    }
    // Every header of a block and every attribution that fits on one line
    // ends in (or holds) a colon; a longer attribution starts with its word.
    if lower.contains(':') && header_block_at(lines, i) {
        return Step::Stop(Some("Outlook header block"));
    }
    let may_attribute = lower.ends_with(':') || starts_with_word(&lower, Words::QuoteStart);
    if may_attribute && let Some(consumed) = attribution_at(lines, i) {
        // Followed by `>` lines: skip the attribution, keep scanning
        // (bottom posting). Otherwise everything below is the quote.
        let next = lines
            .get(i + consumed..)
            .unwrap_or_default()
            .iter()
            .find(|l| !l.trim().is_empty());
        return match next {
            Some(l) if l.trim_start().starts_with('>') => Step::Attribution(consumed),
            _ => Step::Stop(Some("attribution line")),
        };
    }
    Step::Keep
}

/// An Outlook-style quoted header block starting at line `i`: a From-like
/// header followed within four lines by a Sent/Date/To/Subject-like one (in
/// either order: GMX puts "Gesendet:" before "Von:").
fn header_block_at(lines: &[&str], i: usize) -> bool {
    let Some(first) = lines.get(i) else {
        return false;
    };
    let first = fold(strip_quote_marks(first));
    let is_from = starts_with_any(&first, Words::QuoteFrom);
    if !is_from && !starts_with_any(&first, Words::QuoteSent) {
        return false;
    }
    let wanted = if is_from {
        [Words::QuoteHeader, Words::QuoteSent]
    } else {
        [Words::QuoteFrom, Words::QuoteFrom]
    };
    lines.iter().skip(i + 1).take(4).any(|l| {
        let l = fold(strip_quote_marks(l));
        wanted.iter().any(|w| starts_with_any(&l, *w))
    })
}

/// An attribution line ("On Mon, … X <x@y> wrote:", possibly wrapped over up
/// to three lines) at line `i`; returns the number of lines it spans.
fn attribution_at(lines: &[&str], i: usize) -> Option<usize> {
    let mut joined = String::new();
    for span in 1..=3 {
        let l = lines.get(i + span - 1)?;
        if span > 1 {
            if l.trim().is_empty() {
                return None;
            }
            joined.push(' ');
        }
        joined.push_str(l.trim());
        let lower = fold(&joined);
        if lower.len() > 400 {
            return None;
        }
        if list(Words::QuoteEnd).iter().any(|e| lower.ends_with(e)) {
            return Some(span);
        }
        // "Am 3. Dez. 2026 um 10:00 schrieb Lena Vogel <l@v.de>:",
        // "Hocuri schrieb am 17.03.2021 14:25 (GMT +01:00):",
        // "02.04.2012 14:20 пользователь "bob" <bob@x> написал:"
        if lower.ends_with(':')
            && (lower.contains('@') || lower.chars().any(|c| c.is_ascii_digit()))
            && has_word_after_space(&lower, Words::QuoteVerb)
        {
            return Some(span);
        }
        // A line ending in ':' with an address, followed by a '>' line.
        if lower.ends_with(':') && lower.contains('@') && span == 1 {
            let next = lines
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .find(|l| !l.trim().is_empty());
            if next.is_some_and(|l| l.trim_start().starts_with('>')) {
                return Some(1);
            }
        }
        // Only continue joining when the first line looks like a start.
        if span == 1 && !starts_with_word(&lower, Words::QuoteStart) {
            return None;
        }
    }
    None
}

/// Lowercases and normalises typographic apostrophes and whitespace, for
/// phrase matching.
pub(crate) fn normalise_for_match(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in s.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '`' | '´' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            // Turkish dotted capital I: plain "i", not "i" and a combining dot.
            '\u{130}' => 'i',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
        last_space = false;
    }
    if !last_space {
        out.push(' ');
    }
    out
}

/// A detector's phrase list and its automaton, built on first use and read-only after:
/// data compiled in, like the lexicon, not a cache (the core keeps no mutable state).
/// Declared with [`phrase_list!`] beside the list it reads.
pub(crate) struct PhraseList {
    phrases: &'static [&'static str],
    set: std::sync::LazyLock<lexicon::PhraseSet, fn() -> lexicon::PhraseSet>,
}

impl PhraseList {
    pub(crate) const fn new(
        phrases: &'static [&'static str],
        build: fn() -> lexicon::PhraseSet,
    ) -> PhraseList {
        PhraseList {
            phrases,
            set: std::sync::LazyLock::new(build),
        }
    }
}

/// `phrase_list!(NAME = LIST);` declares `static NAME: PhraseList` over the const `LIST`.
macro_rules! phrase_list {
    ($name:ident = $list:expr) => {
        static $name: $crate::core::classify::text::PhraseList = {
            fn build() -> $crate::core::classify::lexicon::PhraseSet {
                $crate::core::classify::lexicon::PhraseSet::from_list($list)
            }
            $crate::core::classify::text::PhraseList::new($list, build)
        };
    };
}
pub(crate) use phrase_list;

/// The first phrase of `list` (in list order) found in `hay` on word boundaries, if any.
pub(crate) fn first_phrase(hay: &str, list: &PhraseList) -> Option<&'static str> {
    list.phrases.get(list.set.first_listed(hay)?).copied()
}

/// First ~200 characters of the text, whitespace collapsed.
pub(crate) fn snippet(text: &str) -> String {
    let collapsed = super::mime::collapse_ws(text);
    let mut s: String = collapsed.chars().take(200).collect();
    if collapsed.chars().count() > 200 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests;
