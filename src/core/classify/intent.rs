//! What a human message means, judged on its fresh text only: the intent of a
//! reply (yes / no / later / other), whether it thanks someone for their time,
//! and whether it asks for a meeting.
//!
//! It reads the way a person reads: a contrast governs what it scopes over
//! ("I'd love to, but …" is not a yes), a negation cancels the acceptance it
//! precedes, a question is not an answer, and a deferral with a date
//! ("not the 2nd but the 4th") takes the date offered. The phrases come from
//! the language files of [`super::lexicon`]; this module holds only the
//! reading rules. It never panics and never looks at headers.
//!
//! Order: a deferral first (it often contains a "not"), then "not X, but Y"
//! with a date, then the clause-by-clause reading (no beats yes across
//! sentences), then a bare proposal of a date (later with that date, or a yes
//! with a time when the day is near: [`deferral`]).

use jiff::civil::Date;

use super::Intent;
use super::dates::{self, Found};
use super::lexicon::{Cat, Hit, Scan, set};
use super::text::normalise_for_match;

mod clauses;
mod cues;
mod deferral;
mod doubt;
mod mend;
use clauses::{REFERRALS, WHY_NOT, clause_before, continues_with_contrast, in_a_place};
use cues::{Cue, cue};
use deferral::{
    after_word, asked_date, conceded_until, date_near, deferral_with_date, invitation_with_date,
    proposed_date,
};
pub(crate) use doubt::{contrast_after_thanks, pitch_signs, sales_like};
use mend::mend_contractions;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judgement {
    pub intent: Intent,
    /// The phrase that decided it.
    pub phrase: Option<String>,
    /// The date a "later" points to, if stated or derivable.
    pub later_until: Option<Found>,
    /// Why the reading is not vouched for, one evidence line each (no phrase
    /// at all, an acceptance and a refusal, a yes resting on one weak word …);
    /// empty when it is sure.
    pub doubts: Vec<String>,
    /// The reply only says it got the message and will answer later
    /// ("Received, thanks — let me check my calendar"): intent other.
    pub acknowledgement: bool,
}

impl Judgement {
    fn new(intent: Intent, phrase: impl Into<String>) -> Judgement {
        Judgement {
            intent,
            phrase: Some(phrase.into()),
            later_until: None,
            doubts: Vec::new(),
            acknowledgement: false,
        }
    }

    /// The same reading with one more reason for doubt.
    pub(crate) fn doubt(mut self, why: impl Into<String>) -> Judgement {
        self.add_doubt(why);
        self
    }

    pub(crate) fn add_doubt(&mut self, why: impl Into<String>) {
        let why = why.into();
        if !self.doubts.contains(&why) {
            self.doubts.push(why);
        }
    }

    /// True when nothing casts doubt on the reading.
    pub(crate) fn sure(&self) -> bool {
        self.doubts.is_empty()
    }
}

/// One sentence of the fresh text, normalised for matching.
pub(crate) struct Sentence {
    pub text: String,
    /// It ended with a question mark.
    pub question: bool,
    /// Every phrase list's hits in `text`, found in one search.
    pub scan: Scan,
}

impl Sentence {
    fn new(text: &str, question: bool) -> Sentence {
        let text = mend_contractions(&normalise_for_match(text));
        let scan = Scan::of(&text);
        Sentence {
            text,
            question,
            scan,
        }
    }
}

fn is_terminator(prev: Option<char>, c: char, next: Option<char>) -> bool {
    match c {
        // "10.30", "3.5": a dot between digits is not an end.
        '.' => {
            !(prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()))
        }
        '!' | '?' | '\n' | ';' | '。' | '！' | '？' => true,
        _ => false,
    }
}

/// The sentences of a text (at most 200), each normalised once.
pub(crate) fn sentences(fresh: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev = None;
    let mut chars = fresh.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ordinal = c == '.'
            && prev.is_some_and(|p: char| p.is_ascii_digit())
            && ordinal_dot(fresh.get(i + 1..).unwrap_or(""));
        // "Love to! but I'm traveling through Jan 8": a lowercase contrast after an
        // exclamation goes on the same sentence.
        let contrast_goes_on =
            c == '!' && continues_with_contrast(fresh.get(i + 1..).unwrap_or(""));
        if is_terminator(prev, c, next) && !ordinal && !contrast_goes_on {
            if !cur.trim().is_empty() {
                out.push(Sentence::new(&cur, matches!(c, '?' | '？')));
            }
            cur.clear();
        } else {
            cur.push(c);
        }
        prev = Some(c);
        if out.len() >= 200 {
            return out;
        }
    }
    if !cur.trim().is_empty() {
        out.push(Sentence::new(&cur, false));
    }
    out
}

/// The `n` words of `s` after byte `at`, space-padded on both sides as the phrase sets
/// match them: what a thanks word thanks for is read in the few words after it.
fn words_after(s: &str, at: usize, n: usize) -> String {
    let words: Vec<&str> = s
        .get(at..)
        .unwrap_or("")
        .split_whitespace()
        .take(n)
        .collect();
    format!(" {} ", words.join(" "))
}

/// Whether a dot after a number is an ordinal's ("am 14. Dezember", "den
/// 3. maj", "le 2. point"): the word after it is a month or starts in
/// lower case, so the sentence goes on.
fn ordinal_dot(rest: &str) -> bool {
    let Some(word) = rest.split_whitespace().next() else {
        return false;
    };
    if !rest.starts_with([' ', '\u{a0}']) {
        return false;
    }
    let word = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    word.chars().next().is_some_and(char::is_lowercase)
        || super::lexicon::month_of(&word.to_lowercase()).is_some()
}

/// Joins hard-wrapped lines (plain-text mail wraps at ~72 columns) so a phrase
/// split across lines ("four\nweeks out") reads whole; blank lines still separate.
pub(crate) fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for para in crate::core::contentline::normalise_newlines(text).split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let joined: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        out.push_str(&joined.join(" "));
    }
    out
}

/// Whether the hit is negated: a negation among the three words before it,
/// or right after it ("absolutely not").
fn negated(scan: &Scan, s: &str, h: &Hit<'_>) -> bool {
    // "Absolutely not", "of course not": a negation right after the word.
    let after = s.get(h.end..).unwrap_or("");
    if after.starts_with(' ')
        && scan
            .hits_in(Cat::Negation, h.end..s.len())
            .any(|n| n.start == h.end + 1)
    {
        return true;
    }
    let before = clause_before(s.get(..h.start).unwrap_or(""));
    let words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
    if words.iter().any(|w| w.ends_with("n't")) {
        return true;
    }
    let mut window = format!(
        " {} ",
        words.into_iter().rev().collect::<Vec<_>>().join(" ")
    );
    // "Why not - grab a slot": the negation of "why not" asks nothing to be undone.
    for idiom in WHY_NOT {
        window = window.replace(idiom, " ");
    }
    set(Cat::Negation).any(&window)
}

/// Whether an acceptance hit lies inside words of another language that
/// accept nothing (Italian "prima di" holds Dutch "prima").
fn within_not_acceptance(s: &str, h: &Hit<'_>) -> bool {
    // "… if that works", "wenn das passt", "si ça vous convient": a condition offers,
    // it does not accept.
    let before = s.get(..h.start).unwrap_or("").trim_end();
    let last = before.rsplit(' ').next().unwrap_or("");
    if matches!(
        last,
        "if" | "wenn" | "falls" | "si" | "se" | "als" | "om" | "hvis" | "unless"
    ) {
        return true;
    }
    cue(Cue::NotAcceptance)
        .hits(s)
        .any(|n| n.start <= h.start && n.end >= h.end)
}

/// The part of a question sentence that is the question: its last clause.
/// Clauses before a comma ("Sounds good, does 3pm work?") still answer.
fn answering_part(s: &Sentence) -> &str {
    if !s.question {
        return &s.text;
    }
    // A dash ends a clause too: "she'd be glad to speak — could you do 2pm?"
    // (normalised to " - ").
    match s.text.rfind(',').max(s.text.rfind(" - ")) {
        // "Happy to help if I can, but what's this about?": the question takes it back.
        Some(i)
            if s.scan
                .hits(Cat::Contrast)
                .any(|c| c.start > i && c.start <= i + 4) =>
        {
            ""
        }
        Some(i) => s.text.get(..i).unwrap_or(""),
        None => "",
    }
}

/// The doubt of an acceptance a contrast took back with nothing said instead.
const CONCEDED: &str =
    "an acceptance taken back by a contrast (\"I'd love to, but …\"): a no is a guess";

/// The verdict of one sentence, read clause by clause.
fn sentence_verdict(s: &Sentence, r: Date) -> Option<Judgement> {
    let text = answering_part(s);
    if text.trim().is_empty() {
        return None;
    }
    let whole = 0..text.len();
    let contrasts: Vec<Hit<'_>> = s.scan.hits_in(Cat::Contrast, whole.clone()).collect();
    let contrast_after = |at: usize| contrasts.iter().find(|c| c.start >= at);
    let yes: Vec<Hit<'_>> = s
        .scan
        .hits_in(Cat::Yes, whole.clone())
        .filter(|h| {
            !negated(&s.scan, text, h) && !within_not_acceptance(text, h) && !in_a_place(text, h)
        })
        .collect();
    let no: Vec<Hit<'_>> = s.scan.hits_in(Cat::No, whole).collect();
    // "I wish I could say yes": an acceptance inside a refusal is the refusal's.
    let yes: Vec<Hit<'_>> = yes
        .into_iter()
        .filter(|y| !no.iter().any(|n| n.start <= y.start && y.end <= n.end))
        .collect();
    // The governing acceptance is one no contrast follows.
    let governing_yes = yes.iter().find(|h| contrast_after(h.end).is_none());
    let governing_no = no.iter().find(|h| {
        // "can't do Monday, but Tuesday works": the yes after the contrast governs.
        contrast_after(h.end).is_none_or(|c| !yes.iter().any(|y| y.start > c.end))
    });
    if let Some(n) = governing_no {
        let j = Judgement::new(Intent::No, n.phrase);
        return Some(match yes.first() {
            Some(y) => j.doubt(format!(
                "an acceptance (\"{}\") and a refusal (\"{}\") in one sentence",
                y.phrase, n.phrase
            )),
            None => j,
        });
    }
    if let Some(y) = governing_yes {
        // "Ab dem 25. habe ich wieder Luft - dann sehr gern": gladly, from a first day.
        if let Some(found) = deferral::first_day(text, r) {
            let mut j = Judgement::new(Intent::Later, format!("{} … {}", y.phrase, found.text));
            let soon = r
                .checked_add(jiff::ToSpan::days(21))
                .is_ok_and(|limit| found.date <= limit);
            if soon {
                j.add_doubt(format!(
                    "an acceptance from a first day within three weeks (\"{}\"): perhaps a yes",
                    found.text
                ));
            }
            j.later_until = Some(found);
            return Some(j);
        }
        return Some(Judgement::new(Intent::Yes, y.phrase));
    }
    // An acceptance a contrast took back: the clause after it says what instead.
    let y = yes.first()?;
    let c = contrast_after(y.end)?;
    let after = text.get(c.end..).unwrap_or("");
    let phrase = format!("{} … {}", y.phrase, c.phrase);
    // "Happy to chat, although 25 mins is a squeeze at the moment": a word that only
    // says "now" defers nothing.
    let cue = s
        .scan
        .hits_in(Cat::LaterCue, c.end..text.len())
        .find(|h| !doubt::momentary(h.phrase))
        .or_else(|| s.scan.first_in(Cat::Later, c.end..text.len()));
    match cue {
        Some(cue) => {
            let mut j = Judgement::new(Intent::Later, format!("{phrase} … {}", cue.phrase));
            j.later_until = dates::best_date(after, r);
            Some(j)
        }
        None => Some(
            conceded_until(after, &phrase, r)
                .unwrap_or_else(|| Judgement::new(Intent::No, phrase).doubt(CONCEDED)),
        ),
    }
}

/// A concession ("I'd love to, but …") whose follow-up comes in the next
/// sentences ("Let's keep in touch!") is a deferral, not a no.
fn concession_follow_up(mut v: Judgement, next: &[Sentence], r: Date) -> Judgement {
    let guessed = v.intent == Intent::Later
        && v.doubts
            .iter()
            .any(|d| d.starts_with(deferral::GUESSED_FIRST_DAY));
    let conceded = v.intent == Intent::No && v.doubts.iter().any(|d| d == CONCEDED);
    if guessed {
        // "Volontiers, mais … jusqu'au 8 janvier inclus. Pouvons-nous en reparler à
        // partir du lundi 11 ?": the next sentence's question names the day.
        if let Some(mut found) = asked_date(next, r) {
            // "… through Jan 8. Free from the 11th": the 11th after the 8th.
            if let Some(prev) = v.later_until.as_ref().filter(|p| found.date < p.date) {
                found = dates::in_named_month(found, &prev.text, r);
            }
            v.doubts
                .retain(|d| !d.starts_with(deferral::GUESSED_FIRST_DAY));
            v.phrase = v.phrase.map(|p| format!("{p} … {}", found.text));
            v.later_until = Some(found);
        }
        return v;
    }
    if !conceded {
        return v;
    }
    let cue = next
        .iter()
        .take(2)
        .find_map(|n| n.scan.first(Cat::LaterCue).map(|h| (h.phrase, n)));
    if let Some((cue, n)) = cue {
        v.intent = Intent::Later;
        v.doubts.retain(|d| d != CONCEDED);
        v.phrase = v.phrase.map(|p| format!("{p} … {cue}"));
        v.later_until = dates::best_date(&n.text, r);
        return v;
    }
    // "Would love to, but December is chaos. Can we aim for the week of 18 January
    // instead?": the next sentence asks for a later date.
    if let Some(found) = asked_date(next, r) {
        // "Happy to chat, although 25 mins is a squeeze. Could we do 20 on the 15th?":
        // a day within the weeks asked for is a yes with a time, never vouched for.
        let phrase = v.phrase.take().unwrap_or_default();
        return proposed_date(&phrase, found, false, r);
    }
    v
}

/// A fresh text read once for every reading below: its hard wraps joined
/// and its sentences split and normalised.
pub(crate) struct Reading {
    unwrapped: String,
    sents: Vec<Sentence>,
}

impl Reading {
    pub(crate) fn new(fresh: &str) -> Reading {
        let unwrapped = unwrap_lines(fresh);
        let sents = sentences(&unwrapped);
        Reading { unwrapped, sents }
    }

    /// How many words the text has.
    pub(crate) fn word_count(&self) -> usize {
        self.unwrapped.split_whitespace().count()
    }
}

/// Judges the intent of a reply's fresh text. `r` is the reference date for
/// relative and year-less dates (the message date). The reading comes with
/// its doubts (see [`doubt`]): a conflict, a weak phrase, no phrase at all.
pub(crate) fn judge(text: &Reading, r: Date) -> Judgement {
    let mut j = judge_phrases(text, r);
    // "On leave until 1 March, but would love to catch up after that": a yes for
    // after the date the text names.
    if j.intent == Intent::Yes
        && let Some(found) = clauses::after_that(&text.unwrapped, r)
    {
        let yes = j.phrase.take().unwrap_or_default();
        j = Judgement::new(Intent::Later, format!("{yes} … {}", found.text));
        j.later_until = Some(found);
    }
    // "Not the right person - I've copied Dev, who knows that world": a referral
    // hands the request on; it refuses nothing.
    if j.intent == Intent::No
        && let Some(w) = REFERRALS
            .iter()
            .find(|w| text.unwrapped.to_lowercase().contains(*w))
    {
        let refusal = j.phrase.take().unwrap_or_default();
        return Judgement::new(Intent::Other, format!("a referral: \"{}\"", w.trim())).doubt(
            format!("a refusal (\"{refusal}\") that hands the request to someone else"),
        );
    }
    if let Some(a) = doubt::acknowledgement(&text.sents)
        && j.intent == Intent::Later
        && j.later_until.is_none()
    {
        // "Let me check and come back to you another time": no answer yet.
        let deferral = j.phrase.take().unwrap_or_default();
        j = Judgement::new(Intent::Other, format!("acknowledgement \"{a}\"")).doubt(format!(
            "a word of deferral (\"{deferral}\") beside an acknowledgement, no date"
        ));
        j.acknowledgement = true;
        return j;
    }
    doubt::review(&mut j, text, r);
    j
}

/// The verdicts of the sentences, one reading: a deferral before a refusal
/// before an acceptance (a refusal idiom that holds a thanks before all but
/// the deferral); both an acceptance and a refusal make it unsure.
fn sentence_verdicts(sents: &[Sentence], r: Date) -> Option<Judgement> {
    let mut verdicts: Vec<Judgement> = Vec::new();
    for (i, s) in sents.iter().enumerate() {
        let Some(v) = sentence_verdict(s, r) else {
            continue;
        };
        verdicts.push(concession_follow_up(
            v,
            sents.get(i + 1..).unwrap_or(&[]),
            r,
        ));
    }
    let yes = verdicts.iter().find(|v| v.intent == Intent::Yes);
    let no = verdicts.iter().find(|v| v.intent == Intent::No);
    let mixed = match (yes, no) {
        (Some(y), Some(n)) => Some(format!(
            "both an acceptance (\"{}\") and a refusal (\"{}\")",
            y.phrase.as_deref().unwrap_or(""),
            n.phrase.as_deref().unwrap_or("")
        )),
        _ => None,
    };
    if let Some(mut j) = doubt::refusal_idiom(sents)
        && !verdicts.iter().any(|v| v.intent == Intent::Later)
    {
        if let Some(y) = yes {
            j.add_doubt(format!(
                "both an acceptance (\"{}\") and a refusal",
                y.phrase.as_deref().unwrap_or("")
            ));
        }
        return Some(j);
    }
    for want in [Intent::Later, Intent::No, Intent::Yes] {
        if let Some(v) = verdicts.iter().find(|v| v.intent == want) {
            let mut v = v.clone();
            if let Some(m) = &mixed {
                v.add_doubt(m.clone());
            }
            return Some(v);
        }
    }
    None
}

fn judge_phrases(text: &Reading, r: Date) -> Judgement {
    let fresh = text.unwrapped.as_str();
    let sents = &text.sents;
    let date = || dates::best_date(fresh, r);

    let later = sents.iter().enumerate().find_map(|(i, s)| {
        s.scan
            .hits(Cat::Later)
            .find(|h| !negated(&s.scan, &s.text, h))
            .map(|h| (i, h))
    });
    if let Some((i, p)) = later {
        let mut j = Judgement::new(Intent::Later, p.phrase);
        // "Hectic until mid-January. Could we revisit after the 18th?": the 18th of
        // the month the text names.
        j.later_until = date_near(sents, i, p.start, r)
            .or_else(date)
            .map(|f| dates::in_named_month(f, fresh, r))
            .map(|f| dates::after_inclusive_end(f, fresh));
        return j;
    }
    if let Some(j) = deferral_with_date(sents, r).or_else(|| invitation_with_date(sents, r)) {
        return j;
    }
    if let Some(v) = sentence_verdicts(sents, r) {
        return v;
    }
    if let Some(j) = doubt::polite_refusal(sents).or_else(|| doubt::contrast_then_negation(sents)) {
        return j;
    }
    let proposal = sents.iter().find_map(|s| s.scan.first(Cat::Proposal));
    if let Some(p) = proposal
        && let Some(found) = date()
    {
        // "after the 15th", "ab dem 15.", "a partir del 15": a day after which
        // to come back, however near.
        let after = sents
            .iter()
            .any(|s| s.scan.hits(Cat::Proposal).any(|h| after_word(h.phrase)));
        return proposed_date(p.phrase, found, after, r);
    }
    if let Some(a) = doubt::acknowledgement(sents) {
        let mut j = Judgement::new(Intent::Other, format!("acknowledgement \"{a}\""));
        j.acknowledgement = true;
        return j;
    }
    // "Before I say yes or no - what would you like to discuss?": the answer is to come.
    if let Some(q) = sents
        .iter()
        .find_map(|s| cue(Cue::QuestionBack).first(&s.text))
    {
        let mut j = Judgement::new(Intent::Other, format!("a question back \"{}\"", q.phrase));
        j.acknowledgement = true;
        return j;
    }
    Judgement {
        intent: Intent::Other,
        phrase: None,
        later_until: None,
        doubts: vec![NO_PHRASE.to_string()],
        acknowledgement: false,
    }
}

/// The doubt of a reply in which no intent phrase was read (its reading is `other`
/// for want of one); the learned reader may then name its best guess.
pub(crate) const NO_PHRASE: &str = "no recognised intent phrase";

/// A thanks for time or a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Thanks {
    pub phrase: String,
    /// It names the meeting or the conversation ("great chatting", "thanks
    /// for the call yesterday"), not only what any form letter thanks for
    /// ("thank you for your time").
    pub specific: bool,
}

/// The thanks in one sentence, if it thanks for time or a conversation.
fn thanks_in(sentence: &Sentence) -> Option<Thanks> {
    let s = sentence.text.as_str();
    if let Some(p) = sentence.scan.first(Cat::Pleasantry) {
        return Some(Thanks {
            phrase: p.phrase.to_string(),
            specific: true,
        });
    }
    for w in sentence.scan.hits(Cat::Thanks) {
        // Look at the next few words only.
        let window = words_after(s, w.end, 10);
        if set(Cat::ThanksExcluded).any(&window) {
            continue;
        }
        let scope = match set(Cat::ThanksFor).first(&window) {
            Some(f) => window.get(f.end..).unwrap_or(""),
            None if matches!(w.phrase, "appreciate" | "grateful") => window.as_str(),
            None => continue,
        };
        if let Some(g) = set(Cat::ThanksGerund)
            .hits(scope)
            .find(|g| scope.get(..g.start).is_some_and(|b| b.trim().is_empty()))
        {
            return Some(Thanks {
                phrase: format!("{} for {}", w.phrase, g.phrase),
                specific: true,
            });
        }
        if let Some(o) = set(Cat::ThanksObject).first(scope) {
            let specific = set(Cat::ThanksObject)
                .hits(scope)
                .any(|o| !doubt::generic_object(o.phrase));
            return Some(Thanks {
                phrase: format!("{} … {}", w.phrase, o.phrase),
                specific,
            });
        }
    }
    None
}

/// The thank-you phrase in a text, if it thanks for time or a conversation.
pub(crate) fn thanks_phrase(text: &Reading) -> Option<Thanks> {
    let sents = &text.sents;
    if is_receipt(sents) || is_pitch(sents) {
        return None;
    }
    sents.iter().find_map(thanks_in)
}

/// Sales wording anywhere in the text ("we offer", "free trial"): its thanks
/// and asks are a pitch, not a thank-you or a request for the user's time.
fn is_pitch(sents: &[Sentence]) -> bool {
    sents.iter().any(|s| s.scan.any(Cat::Pitch))
}

/// A thanks for an order, a purchase, a booking: the message is a receipt,
/// whatever pleasantries it adds.
fn is_receipt(sents: &[Sentence]) -> bool {
    sents.iter().any(|s| {
        s.scan
            .hits(Cat::Thanks)
            .any(|w| set(Cat::Receipt).any(&words_after(&s.text, w.end, 8)))
    })
}

/// Whether the text wishes to meet again ("let's do it again in a few months"):
/// beside a thanks for a meeting, that is no deferral.
pub(crate) fn wishes_to_meet_again(text: &Reading) -> bool {
    doubt::wishes_to_meet_again(&text.sents)
}

/// A message that is only thanks ("Thank you very much.", "Thanks for your
/// help!"): a thanks sentence and nothing else of substance (greetings,
/// sign-offs and signature lines of a few words aside), no question.
pub(crate) fn bare_thanks(text: &Reading) -> Option<String> {
    let sents = &text.sents;
    // "Received, thanks — let me check my calendar": an acknowledgement.
    if is_receipt(sents) || sents.iter().any(|s| s.scan.any(Cat::Ack)) {
        return None;
    }
    let mut thanks = None;
    for s in sents {
        if s.question {
            return None;
        }
        let w = s.scan.first(Cat::Thanks);
        match w {
            Some(w) if thanks.is_none() => {
                if set(Cat::ThanksExcluded).any(&words_after(&s.text, w.end, 10)) {
                    return None;
                }
                thanks = Some(w.phrase.to_string());
            }
            _ if s.text.split_whitespace().count() > 4 => return None,
            _ => {}
        }
    }
    thanks
}

/// The first sentence that asks a question, trimmed (for an evidence line).
pub(crate) fn first_question(text: &Reading) -> Option<String> {
    let q = text
        .sents
        .iter()
        .find(|s| s.question && s.text.split_whitespace().count() >= 2)?;
    Some(q.text.trim().chars().take(80).collect())
}

/// A request for the reader's time: an ask and what it asks for in one
/// sentence ("Would you have 20 minutes for a call?"). Returns the phrase and
/// whether the sentence is a question (a sure request).
pub(crate) fn request_phrase(text: &Reading) -> Option<(String, bool)> {
    if is_pitch(&text.sents) {
        return None;
    }
    for s in &text.sents {
        if answers_first(s) {
            continue;
        }
        for ask in s.scan.hits(Cat::RequestAsk) {
            // An ask that names what it asks for: "would coffee on Wednesday work?".
            if s.question && set(Cat::RequestObject).any(&format!(" {} ", ask.phrase)) {
                return Some((ask.phrase.to_string(), s.question));
            }
            // The first object after the ask ("work for a coffee": not "a coffee",
            // which overlaps the ask, but "coffee").
            if let Some(obj) = s
                .scan
                .hits_in(Cat::RequestObject, ask.start..s.text.len())
                .find(|o| o.start > ask.end)
            {
                return Some((format!("{} … {}", ask.phrase, obj.phrase), s.question));
            }
            // Japanese and Turkish put what is asked for before the ask:
            // "お時間をいただけますか", "kısa bir görüşme için müsait misiniz".
            if matches!(ask.lang, "ja" | "tr")
                && let Some(obj) = s
                    .scan
                    .hits_in(Cat::RequestObject, 0..ask.start)
                    .find(|o| o.lang == ask.lang)
            {
                return Some((format!("{} … {}", obj.phrase, ask.phrase), s.question));
            }
        }
        if let Some(b) = bare_request(s) {
            return Some((b.to_string(), true));
        }
    }
    None
}

/// A sentence that opens with an answer ("Yes, happy to have a call"):
/// it accepts or refuses a request rather than making one.
fn answers_first(s: &Sentence) -> bool {
    let t = s.text.trim_start();
    let lead = s.text.len() - t.len();
    [Cat::Yes, Cat::No].into_iter().any(|c| {
        s.scan
            .hits(c)
            .any(|h| h.start == lead && !in_a_place(&s.text, &h))
    })
}

/// A short question that opens with what it asks for: "Drinks after the
/// conference?", "Coffee next week?" (at most eight words).
/// Whether `phrase` (from [`request_phrase`]) is a bare request: a short question
/// that names only what it asks for ("Drinks after the conference?"). One word
/// carries such a reading, so it is never vouched for.
pub(crate) fn is_bare_request(text: &Reading, phrase: &str) -> bool {
    text.sents.iter().any(|s| bare_request(s) == Some(phrase))
}

/// A thanks for what a thank-you thanks for (the time, the chat) that was not read as
/// one: a form letter's closing ("for your time and consideration") or a pitch's. The
/// message is not vouched for either way. A receipt's thanks ("for booking with us")
/// names no such thing and is none.
pub(crate) fn thanks_word(text: &Reading) -> Option<String> {
    text.sents.iter().find_map(|s| {
        s.scan.hits(Cat::Thanks).find_map(|w| {
            let window = words_after(&s.text, w.end, 10);
            set(Cat::ThanksObject)
                .first(&window)
                .map(|o| format!("{} … {}", w.phrase, o.phrase))
        })
    })
}

fn bare_request(s: &Sentence) -> Option<&str> {
    if !s.question || s.text.split_whitespace().count() > 8 {
        return None;
    }
    let t = s.text.trim_start();
    let lead = s.text.len() - t.len();
    s.scan
        .hits(Cat::RequestBare)
        .filter(|h| h.start == lead)
        .max_by_key(|h| h.end)
        .map(|h| h.phrase)
}

#[cfg(test)]
mod tests;
