//! Small readings of a clause that keep a phrase from meaning what it seems to:
//! "why not" negates nothing, "I'm in London" joins nothing, "Love to! but …" is one
//! sentence, and "not the right person - I've copied Dev" hands the request on.

use jiff::civil::Date;

use crate::core::classify::dates::{self, AFTER_THAT, Found, UNTIL};
use crate::core::classify::lexicon::Hit;

/// "Why not" in the languages of the lists: an acceptance, not a negation of the next one.
pub(super) const WHY_NOT: &[&str] = &[
    " why not ",
    " warum nicht ",
    " pourquoi pas ",
    " por qué no ",
    " por que no ",
    " perché no ",
    " perche no ",
    " por que não ",
    " waarom niet ",
    " varför inte ",
    " hvorfor ikke ",
    // "Don't hesitate to write me in January": the negation invites.
    " don't hesitate ",
    " do not hesitate ",
    " n'hésitez pas ",
    " n'hésite pas ",
    " no dudes ",
    " no dude ",
    " non esitare ",
    " non esiti ",
    " não hesite ",
    " não hesites ",
    " zögern sie nicht ",
    " zögere nicht ",
    " aarzel niet ",
    " tveka inte ",
    " tøv ikke ",
    " nøl ikke ",
    " czemu nie ",
    " dlaczego nie ",
    " nie wahaj się ",
    " nie krępuj się ",
];

/// Whether an acceptance "I'm in" says where the writer is ("I'm in London next
/// week", "I'm in meetings all day"), not that they join: a word follows that is not
/// one of joining ("I'm in for a coffee", "I'm in too").
pub(super) fn in_a_place(s: &str, h: &Hit<'_>) -> bool {
    if !matches!(h.phrase, "i'm in" | "i am in" | "im in") {
        return false;
    }
    let next = s
        .get(h.end..)
        .unwrap_or("")
        .split_whitespace()
        .next()
        .unwrap_or("");
    let word = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    !(word.is_empty() || matches!(word, "for" | "too" | "as" | "with" | "on" | "then"))
}

/// Whether `rest` goes on with a lowercase contrast word ("! but …", "! aber …").
pub(super) fn continues_with_contrast(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    [
        "but ", "aber ", "mais ", "pero ", "ma ", "maar ", "men ", "mas ", "ale ", "ama ", "fakat ",
    ]
    .iter()
    .any(|w| rest.starts_with(w))
}

/// What a reply says when it hands the request to someone else.
pub(super) const REFERRALS: &[&str] = &[
    "i've copied",
    "i have copied",
    "i've cc'd",
    "i have cc'd",
    "i've cced",
    "copying in",
    "copying him",
    "copying her",
    "copying them",
    "so you two can",
    "you two should",
    "better placed",
    "is the right person",
    "is the person to",
    "runs that team",
    "copied in",
    "cc'ing",
    "looping in",
    "looped in",
    "i'll introduce you",
    "happy to introduce you",
    "introduce you to",
    "connect you with",
    "put you in touch",
    "in kopie",
    "en copie",
    "je mets en copie",
    "en copia",
    "in copia",
    "in cc",
    "en cc",
    "over to you",
    "adding my colleague",
    "passed your note",
    "passed your message",
    "passed this on",
    "forwarded your",
    "she'll be in touch",
    "he'll be in touch",
    "in cc gesetzt",
    "meine kollegin",
    "mein kollege",
    "weitergeleitet",
    "meldet sich bei ihnen",
    "wird sich bei ihnen melden",
    "ma collègue",
    "mon collègue",
    "vous recontactera",
    "te pongo en contacto",
    "te paso con",
    "mi compañera",
    "mi compañero",
    "la mia collega",
    "il mio collega",
    "ti metto in contatto",
    "em cópia",
    "minha colega",
    "meu colega",
    "em contato com",
    "mijn collega",
    "doorgestuurd",
    "in de cc",
    "min kollega",
    "i kopia",
    "i kopi",
    "w kopii",
    "dodaję do wiadomości",
    "dodałem do wiadomości",
    "dodałam do wiadomości",
    "przekazuję pana",
    "przekazuję panią",
    "przekazuję twoją wiadomość",
    "przekazałem",
    "przekazałam",
    "właściwą osobą będzie",
    "lepiej porozmawiać z",
    "skontaktuję pana z",
    "skontaktuję panią z",
    "skontaktuję cię z",
    "bilgiye ekledim",
    "cc'ye ekledim",
    "yönlendirdim",
    "yönlendiriyorum",
    "ilettim",
    "iletiyorum",
    "tanıştırayım",
    "doğru kişi",
];

/// The date an acceptance "after that" is for: the text's date to come that an
/// "until" names ("on leave until 1 March … after that"), when the text says "after
/// that" in its language. None otherwise: "Tuesday the 15th works, and afterwards
/// lunch" is a yes with its day.
pub(super) fn after_that(text: &str, r: Date) -> Option<Found> {
    let lower = text.to_lowercase();
    AFTER_THAT.iter().find(|w| lower.contains(*w))?;
    let found = dates::best_date(text, r).filter(|f| f.date > r)?;
    let before = text.get(..found.offset).unwrap_or("").to_lowercase();
    let last = before.split_whitespace().rev().take(2).collect::<Vec<_>>();
    last.iter()
        .any(|w| UNTIL.contains(&w.trim_matches(|c: char| !c.is_alphabetic() && c != '\'')))
        .then_some(found)
}

/// The clause a phrase stands in, from the text before it: a negation before a comma,
/// a semicolon or a dash ends with its clause ("Diesen Monat geht es nicht, schreib
/// mir nächsten Monat" asks to be written to), but a one-word aside does not end it
/// ("I can't, sadly, make it").
pub(super) fn clause_before(before: &str) -> &str {
    let bounds = |t: &str| {
        [", ", "; ", " - "]
            .iter()
            .filter_map(|b| t.rfind(b).map(|i| (i, b.len())))
            .max()
    };
    let Some((i, len)) = bounds(before) else {
        return before;
    };
    let tail = before.get(i + len..).unwrap_or("");
    if !tail.trim().is_empty() {
        return tail;
    }
    // Nothing after the last boundary: an aside ends at it when one word stands
    // between it and the boundary before.
    let head = before.get(..i).unwrap_or("");
    match bounds(head) {
        Some((j, l)) if head.get(j + l..).unwrap_or("").split_whitespace().count() <= 1 => before,
        _ => tail,
    }
}
