//! Text helpers: HTML to plain text, finding the fresh (unquoted) text of a
//! reply, phrase matching on word boundaries, the snippet.
//!
//! Everything here is linear in the input and works on `char`s or checked
//! slices, so hostile text cannot make it panic.

use mail_parser::decoders::html::add_html_token;

/// Converts HTML to plain text. Drops `<head>`, `<style>`, `<script>` and
/// comments; turns block elements into line breaks; prefixes every line
/// inside `<blockquote>` with `> ` so that quote stripping treats HTML
/// quotes like plain-text ones; decodes every HTML character reference
/// (named ones with mail-parser's HTML5 table, see [`decode_entity`]).
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut quote_depth: usize = 0;
    let mut skip_depth: usize = 0; // inside head/style/script
    let mut at_line_start = true;
    // Bounded: 2 MiB of HTML is far more than any message's visible text.
    let chars: Vec<char> = html.chars().take(2 * 1024 * 1024).collect();
    let n = chars.len();
    let mut i = 0;

    let newline = |out: &mut String, at_line_start: &mut bool| {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        *at_line_start = true;
    };

    while i < n {
        let c = chars.get(i).copied().unwrap_or(' ');
        if c == '<' {
            // Comment
            if starts_at(&chars, i, "<!--") {
                i = find_from(&chars, i + 4, "-->").map(|e| e + 3).unwrap_or(n);
                continue;
            }
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if !(next.is_ascii_alphabetic() || next == '/' || next == '!' || next == '?') {
                if skip_depth == 0 {
                    emit_char(&mut out, '<', quote_depth, &mut at_line_start);
                }
                i += 1;
                continue;
            }
            // Find the end of the tag, honouring quotes.
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            while j < n {
                let d = chars.get(j).copied().unwrap_or('>');
                match quote {
                    Some(q) if d == q => quote = None,
                    Some(_) => {}
                    None if d == '"' || d == '\'' => quote = Some(d),
                    None if d == '>' => break,
                    None => {}
                }
                j += 1;
            }
            let tag: String = chars
                .get(i + 1..j.min(n))
                .unwrap_or_default()
                .iter()
                .collect();
            i = j + 1;
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            match name.as_str() {
                "head" | "style" | "script" | "title" => {
                    if closing {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else if !tag.ends_with('/') {
                        skip_depth += 1;
                    }
                }
                "blockquote" => {
                    newline(&mut out, &mut at_line_start);
                    if closing {
                        quote_depth = quote_depth.saturating_sub(1);
                    } else {
                        quote_depth += 1;
                    }
                }
                "br" | "p" | "div" | "tr" | "li" | "ul" | "ol" | "table" | "h1" | "h2" | "h3"
                | "h4" | "h5" | "h6" | "pre" | "hr" | "center" | "section" | "article"
                | "header" | "footer" | "dt" | "dd"
                    if skip_depth == 0 =>
                {
                    newline(&mut out, &mut at_line_start);
                    if name == "hr" && !closing {
                        out.push_str("________________________________\n");
                    }
                }
                "td" | "th" if skip_depth == 0 && !out.ends_with(' ') && !out.ends_with('\n') => {
                    out.push(' ');
                }
                _ => {}
            }
            continue;
        }
        if skip_depth > 0 {
            i += 1;
            continue;
        }
        if c == '&' {
            let (decoded, used) = decode_entity(&chars, i);
            for d in decoded.chars() {
                emit_char(&mut out, d, quote_depth, &mut at_line_start);
            }
            i += used;
            continue;
        }
        if c == '\r' || c == '\n' {
            // Source line breaks are just whitespace in HTML.
            if !at_line_start && !out.ends_with(' ') {
                out.push(' ');
            }
            i += 1;
            continue;
        }
        emit_char(&mut out, c, quote_depth, &mut at_line_start);
        i += 1;
    }
    out
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

/// Words that end an attribution line in various languages ("wrote:").
const ATTRIBUTION_ENDINGS: &[&str] = &[
    "wrote:",
    "writes:",
    "schrieb:",
    "geschrieben:",
    "a écrit :",
    "a écrit:",
    "escribió:",
    "ha scritto:",
    "schreef:",
    "napisał:",
    "pisze:",
    "escreveu:",
    "skrev:",
    "kirjoitti:",
    "написал:",
    "написал(а):",
    "пишет:",
];

/// Header names that open a quoted header block in Outlook-style replies.
const FROM_HEADERS: &[&str] = &[
    "from:", "von:", "de:", "de :", "da:", "van:", "od:", "fra:", "från:", "от:",
];
const BLOCK_HEADERS: &[&str] = &[
    "sent:",
    "date:",
    "to:",
    "subject:",
    "cc:",
    "gesendet:",
    "datum:",
    "an:",
    "betreff:",
    "envoyé :",
    "envoyé:",
    "à :",
    "objet :",
    "inviato:",
    "oggetto:",
    "a:",
    "enviado:",
    "asunto:",
    "para:",
    "verzonden:",
    "onderwerp:",
    "aan:",
];

fn is_separator_line(lower: &str) -> bool {
    let t = lower.trim_matches(|c: char| c == '-' || c == '_' || c == '=' || c.is_whitespace());
    let had_dashes = lower.trim().starts_with("---") || lower.trim().starts_with("___");
    (had_dashes || lower.contains("original message") || lower.contains("forwarded message"))
        && (t == "original message"
            || t == "ursprüngliche nachricht"
            || t == "message d'origine"
            || t == "messaggio originale"
            || t == "mensaje original"
            || t == "forwarded message"
            || t == "weitergeleitete nachricht")
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
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalised.lines().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut kind: Option<&'static str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or("");
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();

        if trimmed.starts_with('>') {
            kind.get_or_insert("'>' quoted lines");
            i += 1;
            continue;
        }
        if line == "-- " || trimmed == "--" || trimmed == "\u{2014}" {
            break;
        }
        if lower.starts_with("sent from my ")
            || lower.starts_with("sent from outlook")
            || lower.starts_with("get outlook for ")
            || lower.starts_with("von meinem ")
            || lower.starts_with("envoyé de mon ")
            || lower.starts_with("inviato da ")
            || lower.starts_with("enviado desde mi ")
        {
            break;
        }
        if is_separator_line(&lower) || lower.starts_with("begin forwarded message") {
            kind = Some("original-message separator");
            break;
        }
        // Underscore rule followed by a header block (Outlook HTML replies).
        if trimmed.len() >= 20 && trimmed.chars().all(|c| c == '_') {
            if header_block_at(&lines, i + 1) {
                kind = Some("Outlook header block");
                break;
            }
            i += 1;
            continue;
        }
        if header_block_at(&lines, i) {
            kind = Some("Outlook header block");
            break;
        }
        if let Some(consumed) = attribution_at(&lines, i) {
            // Followed by `>` lines: skip the attribution, keep scanning
            // (bottom posting). Otherwise everything below is the quote.
            kind = Some("attribution line");
            let next = lines
                .get(i + consumed..)
                .unwrap_or_default()
                .iter()
                .find(|l| !l.trim().is_empty());
            match next {
                Some(l) if l.trim_start().starts_with('>') => {
                    i += consumed;
                    continue;
                }
                _ => break,
            }
        }
        out.push(line);
        i += 1;
    }
    let joined = out.join("\n");
    Fresh {
        text: joined.trim().to_string(),
        quote_found: kind.is_some_and(|k| !k.starts_with('\'')),
        quote_kind: kind,
    }
}

/// An Outlook-style quoted header block starting at line `i`: a From-like
/// header followed within four lines by a Sent/Date/To/Subject-like one (in
/// either order: GMX puts "Gesendet:" before "Von:").
fn header_block_at(lines: &[&str], i: usize) -> bool {
    let Some(first) = lines.get(i) else {
        return false;
    };
    let first = strip_quote_marks(first).to_lowercase();
    let is_from = FROM_HEADERS.iter().any(|h| first.starts_with(h));
    let is_block = BLOCK_HEADERS.iter().any(|h| first.starts_with(h));
    if !is_from && !(is_block && (first.starts_with("gesendet:") || first.starts_with("sent:"))) {
        return false;
    }
    let mut hits = 0;
    for l in lines.iter().skip(i + 1).take(4) {
        let l = strip_quote_marks(l).to_lowercase();
        if (is_from && BLOCK_HEADERS.iter().any(|h| l.starts_with(h)))
            || (!is_from && FROM_HEADERS.iter().any(|h| l.starts_with(h)))
        {
            hits += 1;
        }
    }
    hits >= 1
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
        let lower = joined.to_lowercase();
        if lower.len() > 400 {
            return None;
        }
        if ATTRIBUTION_ENDINGS.iter().any(|e| lower.ends_with(e)) {
            return Some(span);
        }
        // "Am 3. Dez. 2026 um 10:00 schrieb Lena Vogel <l@v.de>:",
        // "Hocuri schrieb am 17.03.2021 14:25 (GMT +01:00):",
        // "02.04.2012 14:20 пользователь "bob" <bob@x> написал:"
        if lower.ends_with(':')
            && (lower.contains('@') || lower.chars().any(|c| c.is_ascii_digit()))
            && (lower.contains(" schrieb")
                || lower.contains(" wrote")
                || lower.contains(" a écrit")
                || lower.contains(" escribió")
                || lower.contains(" ha scritto")
                || lower.contains("написал"))
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
        if span == 1
            && !(lower.starts_with("on ")
                || lower.starts_with("am ")
                || lower.starts_with("le ")
                || lower.starts_with("el ")
                || lower.starts_with("il "))
        {
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
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
        last_space = false;
    }
    if !last_space {
        out.push(' ');
    }
    out
}

/// Finds `phrase` (lowercase) in `hay` (from [`normalise_for_match`]) on word
/// boundaries. Returns the byte offset.
pub(crate) fn find_phrase(hay: &str, phrase: &str) -> Option<usize> {
    if phrase.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|h| h.find(phrase)) {
        let start = from + pos;
        let end = start + phrase.len();
        let before_ok = hay
            .get(..start)
            .and_then(|s| s.chars().next_back())
            .is_none_or(|c| {
                !c.is_alphanumeric() || !phrase.starts_with(|p: char| p.is_alphanumeric())
            });
        let after_ok = hay
            .get(end..)
            .and_then(|s| s.chars().next())
            .is_none_or(|c| {
                !c.is_alphanumeric() || !phrase.ends_with(|p: char| p.is_alphanumeric())
            });
        if before_ok && after_ok {
            return Some(start);
        }
        from = start + phrase.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The first phrase of `phrases` (in list order) found in `hay` on word
/// boundaries, if any. Each list is compiled once into an automaton and kept
/// for the life of the process (the lists are the detectors' constants).
pub(crate) fn first_phrase(hay: &str, phrases: &'static [&'static str]) -> Option<&'static str> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, RwLock};
    type Cache = RwLock<HashMap<(usize, usize), &'static super::lexicon::PhraseSet>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(|| RwLock::new(HashMap::new()));
    let key = (phrases.as_ptr() as usize, phrases.len());
    let cached = CACHE.read().ok().and_then(|c| c.get(&key).copied());
    let set = match cached {
        Some(s) => s,
        None => {
            let s: &'static super::lexicon::PhraseSet =
                Box::leak(Box::new(super::lexicon::PhraseSet::from_list(phrases)));
            if let Ok(mut c) = CACHE.write() {
                c.insert(key, s);
            }
            s
        }
    };
    phrases.get(set.first_listed(hay)?).copied()
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
mod tests {
    use super::*;

    #[test]
    fn gmail_top_posting() {
        let t = "Yes, happy to.\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan One <\nxxx@gmail.com> wrote:\n\n> Hi\n> can we meet?\n";
        assert_eq!(fresh_text(t).text, "Yes, happy to.");
    }

    #[test]
    fn bottom_posting_keeps_text_after_quote() {
        let t = "On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi\nHello there";
        assert_eq!(fresh_text(t).text, "Hello there");
    }

    #[test]
    fn outlook_header_block() {
        let t = "Sounds good.\n\nFrom: Bob [mailto:bob@x.com]\nSent: Monday\nTo: me\nSubject: hi\n\nold text";
        assert_eq!(fresh_text(t).text, "Sounds good.");
    }

    #[test]
    fn original_message_separator_and_signature() {
        let t = "No thanks.\n-- \nBob\n";
        assert_eq!(fresh_text(t).text, "No thanks.");
        let t = "Hello\n\n-----Original Message-----\nFrom: bob\nSent: now\n";
        assert_eq!(fresh_text(t).text, "Hello");
        let t = "Hello\n\n----- Original Message -----\nFrom: bob\n";
        assert_eq!(fresh_text(t).text, "Hello");
    }

    #[test]
    fn french_and_german_attributions() {
        let t = "Oui.\n\nLe 3 déc. 2026 à 10:00, Jean <j@x.fr> a écrit :\n\nancien texte";
        assert_eq!(fresh_text(t).text, "Oui.");
        let t = "Gerne.\n\nAm 03.12.2026 um 10:00 schrieb Lena Vogel <l@v.de>:\nalter Text";
        assert_eq!(fresh_text(t).text, "Gerne.");
        let t =
            "It's 1.0.\n\nHocuri schrieb am 17.03.2021 14:25 (GMT +01:00):\n> What's the version?";
        assert_eq!(fresh_text(t).text, "It's 1.0.");
    }

    #[test]
    fn gmx_header_block_in_either_order() {
        let t =
            "YIPPEE\n\nGesendet: Dienstag, 08. Dezember 2020\nVon: bob@gmx.de\nAn: Alice\n\nNow?";
        assert_eq!(fresh_text(t).text, "YIPPEE");
    }

    #[test]
    fn sent_from_iphone_is_cut() {
        let t = "Hello\n\nSent from my iPhone\n\nOn Apr 3, 2012, at 4:19 PM, bob wrote:\n\n> Hi";
        assert_eq!(fresh_text(t).text, "Hello");
    }

    #[test]
    fn html_blockquote_becomes_quoted_lines() {
        let h = "<div>Yes!</div><div class=\"gmail_quote\">On Mon, X wrote:<blockquote>Out of office<br>until May</blockquote></div>";
        let t = html_to_text(h);
        assert!(t.contains("> Out of office"), "{t}");
        assert_eq!(fresh_text(&t).text, "Yes!");
    }

    #[test]
    fn html_entities_and_style() {
        let h = "<html><head><style>p{color:red}</style></head><body><p>A&amp;B&nbsp;&lt;c&gt; &#233;&#x41;</p></body></html>";
        assert_eq!(html_to_text(h).trim(), "A&B <c> éA");
    }

    #[test]
    fn html_entities_beyond_the_common_few() {
        let h = "<p>Viele Gr&uuml;&szlig;e &amp; bis bald &ndash; &Ouml;zlem&hellip; &euro;5 &#8364;5 &#x20AC;5 &copy; &AMP;&NBSP;x</p>";
        assert_eq!(
            html_to_text(h).trim(),
            "Viele Grüße & bis bald \u{2013} Özlem… €5 €5 €5 © & x"
        );
        // Not a reference: kept as written.
        let h = "<p>R&D &unknownentity; &#xZZ; AT&T;</p>";
        assert_eq!(html_to_text(h).trim(), "R&D &unknownentity; &#xZZ; AT&T;");
    }

    #[test]
    fn hostile_html_does_not_panic() {
        for h in [
            "<",
            "<a",
            "&",
            "&#xFFFFFFFF;",
            "<!--",
            "<blockquote><blockquote>",
            "</blockquote></x",
            "&#55296;",
        ] {
            let _ = html_to_text(h);
        }
    }

    #[test]
    fn phrases_match_on_word_boundaries() {
        let h = normalise_for_match("I am unsure. Measure twice.");
        assert!(find_phrase(&h, "sure").is_none());
        let h = normalise_for_match("Sure, that works!");
        assert!(find_phrase(&h, "sure").is_some());
        let h = normalise_for_match("I\u{2019}d be glad");
        assert!(find_phrase(&h, "i'd be glad").is_some());
    }
}
