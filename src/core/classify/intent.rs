//! What a human reply means (yes / no / later / other) and whether a text
//! thanks someone for their time, judged on the fresh text only.
//!
//! Order matters: a deferral ("not in the next three weeks, but how about
//! four weeks out?") is *later* even though it contains a "not"; then a
//! refusal; then an acceptance; then a bare date proposal ("I can do Tuesday
//! the 3rd") is *later* with that date.

use jiff::civil::Date;

use super::Intent;
use super::dates::{self, Found};
use super::text::{find_phrase, normalise_for_match};

/// Phrases that defer the meeting to a later time.
const LATER: &[&str] = &[
    "not in the next",
    "not right now",
    "not now, but",
    "not at the moment, but",
    "not this month",
    "not this week",
    "maybe later",
    "a bit later",
    "later this year",
    "later in the year",
    "later next",
    "ping me",
    "reach out again",
    "reach out in",
    "reach out after",
    "reach back out",
    "circle back",
    "check back",
    "follow up in",
    "follow up after",
    "get back to me in",
    "get back in touch in",
    "try me again",
    "try again in",
    "ask me again",
    "after the holidays",
    "after the new year",
    "in the new year",
    "early next year",
    "next month",
    "next quarter",
    "in a few weeks",
    "in a couple of weeks",
    "in a couple weeks",
    "in a few months",
    "weeks out",
    "months out",
    "weeks from now",
    "can we push",
    "could we push",
    "push it to",
    "push this to",
    "postpone",
    "once i'm back",
    "when i'm back",
    "after i'm back",
    "once things calm down",
    "once things settle",
    "when things calm down",
    "busy until",
    "swamped until",
    "not until",
    "until after",
    "später",
    "nächsten monat",
    "plus tard",
];

/// Phrases that decline.
const NO: &[&str] = &[
    "not interested",
    "no thanks",
    "no, thanks",
    "no thank you",
    "no, thank you",
    "i'll pass",
    "i will pass",
    "going to pass",
    "have to pass",
    "pass on this",
    "pass this time",
    "can't help",
    "cannot help",
    "can not help",
    "not able to",
    "unable to",
    "won't be able",
    "will not be able",
    "unfortunately i can't",
    "unfortunately i cannot",
    "unfortunately, i can't",
    "unfortunately, i cannot",
    "unfortunately i won't",
    "unfortunately i don't",
    "unfortunately i'm not",
    "unfortunately, i'm not",
    "i don't have the time",
    "i don't have time",
    "don't have the bandwidth",
    "don't have bandwidth",
    "no bandwidth",
    "not a good fit",
    "not the right person",
    "not the best person",
    "have to decline",
    "must decline",
    "going to decline",
    "i'd rather not",
    "i would rather not",
    "please remove me",
    "do not contact me",
    "don't contact me",
    "stop emailing",
    "i'm not available",
    "i am not available",
    "can't make it",
    "cannot make it",
    "not possible for me",
    "i can't do it",
    "i can't meet",
    "i cannot meet",
    "kein interesse",
    "leider nicht",
    "leider keine zeit",
    "pas intéressé",
];

/// Phrases that accept.
const YES: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "sure",
    "happy to",
    "glad to",
    "would love to",
    "i'd love to",
    "love to",
    "i'd be glad",
    "i'd be happy",
    "i'd be delighted",
    "i would be happy",
    "i would be glad",
    "i would be delighted",
    "sounds good",
    "sounds great",
    "sounds like a plan",
    "works for me",
    "that works",
    "works great",
    "let's do",
    "let's meet",
    "let's chat",
    "let's talk",
    "let's find a time",
    "let's set up",
    "let's schedule",
    "i am available",
    "i'm available",
    "i'm free",
    "i am free",
    "count me in",
    "absolutely",
    "of course",
    "definitely",
    "my pleasure",
    "no problem",
    "looking forward",
    "great idea",
    "i'm in",
    "send me an invite",
    "send an invite",
    "send over an invite",
    "send me a calendar invite",
    "feel free to send",
    "book a time",
    "grab a time",
    "pick a time",
    "gerne",
    "avec plaisir",
    "con gusto",
    "volentieri",
];

/// Phrases that propose a concrete date without a yes or a no.
const PROPOSAL: &[&str] = &[
    "i can do",
    "i could do",
    "how about",
    "what about",
    "could we do",
    "can we do",
    "would work",
    "works better",
    "i'm free on",
    "i am free on",
    "free after",
];

/// Words that mark unavailability, for "not X, but Y" deferrals.
const UNAVAILABLE: &[&str] = &[
    "not",
    "can't",
    "cannot",
    "unable",
    "busy",
    "swamped",
    "slammed",
    "booked",
    "traveling",
    "travelling",
    "away",
    "out of the office",
    "won't",
];
const ALTERNATIVE: &[&str] = &[
    "but",
    "however",
    "how about",
    "what about",
    "maybe",
    "perhaps",
    "could we",
    "can we",
    "would",
    "i can do",
    "i could do",
    "instead",
];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Judgement {
    pub intent: Intent,
    /// The phrase that decided it.
    pub phrase: Option<String>,
    /// The date a "later" points to, if stated or derivable.
    pub later_until: Option<Found>,
}

/// Every non-negated occurrence of `phrase`: an occurrence preceded closely
/// by "not", "n't", "never" or "no" does not count ("not sure").
fn positive_phrase(h: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = h.get(from..).and_then(|s| find_phrase(s, phrase)) {
        let at = from + rel;
        let before = h.get(at.saturating_sub(16)..at).unwrap_or("");
        let before = before.trim_end();
        let negated = before.ends_with(" not")
            || before.ends_with("n't")
            || before.ends_with(" never")
            || before.ends_with(" no")
            || before.ends_with("not really")
            || before.ends_with(" not be");
        if !negated {
            return true;
        }
        from = at + phrase.len().max(1);
    }
    false
}

fn sentences(fresh: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in fresh.chars() {
        if matches!(c, '.' | '!' | '?' | '\n' | ';') {
            if !cur.trim().is_empty() {
                out.push(normalise_for_match(&cur));
            }
            cur.clear();
        } else {
            cur.push(c);
        }
        if out.len() > 200 {
            break;
        }
    }
    if !cur.trim().is_empty() {
        out.push(normalise_for_match(&cur));
    }
    out
}

/// Joins hard-wrapped lines (plain-text mail wraps at ~72 columns) so a phrase
/// split across lines ("four\nweeks out") reads whole; blank lines still separate.
fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for para in text.replace("\r\n", "\n").split("\n\n") {
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

/// Judges the intent of a reply's fresh text. `r` is the reference date for
/// relative and year-less dates (the message date).
pub(crate) fn judge(fresh: &str, r: Date) -> Judgement {
    let unwrapped = unwrap_lines(fresh);
    let fresh = unwrapped.as_str();
    let h = normalise_for_match(fresh);
    let date = || dates::best_date(fresh, r);

    if let Some(p) = LATER.iter().find(|p| find_phrase(&h, p).is_some()) {
        return Judgement {
            intent: Intent::Later,
            phrase: Some((*p).to_string()),
            later_until: date(),
        };
    }
    // "not X, but Y" with a date in Y's sentence or the next one.
    let sents = sentences(fresh);
    for (i, s) in sents.iter().enumerate() {
        let Some(neg) = UNAVAILABLE.iter().find(|u| find_phrase(s, u).is_some()) else {
            continue;
        };
        let this_alt = ALTERNATIVE.iter().find(|a| find_phrase(s, a).is_some());
        let next = sents.get(i + 1);
        let next_alt = next.and_then(|n| ALTERNATIVE.iter().find(|a| find_phrase(n, a).is_some()));
        if let Some(alt) = this_alt.or(next_alt) {
            let window = format!("{s} {}", next.map(String::as_str).unwrap_or(""));
            if let Some(found) = dates::best_date(&window, r) {
                return Judgement {
                    intent: Intent::Later,
                    phrase: Some(format!("{neg} … {alt} {}", found.text)),
                    later_until: Some(found),
                };
            }
        }
    }
    if let Some(p) = NO.iter().find(|p| find_phrase(&h, p).is_some()) {
        return Judgement {
            intent: Intent::No,
            phrase: Some((*p).to_string()),
            later_until: None,
        };
    }
    if let Some(p) = YES.iter().find(|p| positive_phrase(&h, p)) {
        return Judgement {
            intent: Intent::Yes,
            phrase: Some((*p).to_string()),
            later_until: None,
        };
    }
    if let Some(p) = PROPOSAL.iter().find(|p| find_phrase(&h, p).is_some())
        && let Some(found) = date()
    {
        return Judgement {
            intent: Intent::Later,
            phrase: Some(format!("{p} {}", found.text)),
            later_until: Some(found),
        };
    }
    Judgement {
        intent: Intent::Other,
        phrase: None,
        later_until: None,
    }
}

const THANK_WORDS: &[&str] = &[
    "thanks",
    "thank you",
    "thank u",
    "thx",
    "many thanks",
    "appreciate",
    "grateful",
    "danke",
    "merci",
    "gracias",
    "grazie",
];
const THANK_OBJECTS: &[&str] = &[
    "time",
    "conversation",
    "chat",
    "call",
    "meeting",
    "advice",
    "insights",
    "insight",
    "talk",
    "coffee",
    "catching up",
    "catch-up",
    "meeting with me",
    "speaking with me",
    "zeit",
    "gespräch",
    "temps",
];
const THANK_GERUNDS: &[&str] = &[
    "meeting",
    "chatting",
    "talking",
    "speaking",
    "taking the time",
    "making the time",
    "catching up",
    "sitting down",
    "connecting",
];
const PLEASANTRIES: &[&str] = &[
    "great chatting",
    "great talking",
    "great speaking",
    "great to chat",
    "great to talk",
    "great to meet",
    "great to connect",
    "great meeting you",
    "great connecting",
    "nice meeting you",
    "nice to meet you",
    "lovely to meet",
    "lovely meeting",
    "good to meet",
    "good meeting you",
    "pleasure meeting you",
    "pleasure to meet",
    "pleasure speaking",
    "pleasure talking",
    "enjoyed our conversation",
    "enjoyed our chat",
    "enjoyed our call",
    "enjoyed talking",
    "enjoyed meeting",
    "enjoyed speaking",
    "enjoyed chatting",
];
/// Objects of gratitude that are transactions, not time: never a thank-you
/// note.
const THANK_EXCLUDED: &[&str] = &[
    "your e-mail",
    "your email",
    "your mail",
    "your message",
    "your order",
    "your purchase",
    "your payment",
    "your booking",
    "booking",
    "your reservation",
    "your registration",
    "your subscription",
    "your patience",
    "your inquiry",
    "your enquiry",
    "your application",
    "your interest",
    "contacting",
    "reaching out",
    "your business",
    "shopping",
    "your feedback",
    "your request",
    "signing up",
    "subscribing",
    "ordering",
    "registering",
];

/// The thank-you phrase in a text, if it thanks for time or a conversation.
pub(crate) fn thanks_phrase(fresh: &str) -> Option<String> {
    for s in sentences(fresh) {
        if let Some(p) = PLEASANTRIES.iter().find(|p| find_phrase(&s, p).is_some()) {
            return Some((*p).to_string());
        }
        for w in THANK_WORDS {
            let Some(at) = find_phrase(&s, w) else {
                continue;
            };
            let rest = s.get(at + w.len()..).unwrap_or("");
            // Look at the next few words only.
            let window: String = rest
                .split_whitespace()
                .take(10)
                .collect::<Vec<_>>()
                .join(" ");
            let window = format!(" {window} ");
            if THANK_EXCLUDED
                .iter()
                .any(|x| find_phrase(&window, x).is_some())
            {
                continue;
            }
            let after_for = window
                .find(" for ")
                .map(|i| window.get(i + 4..).unwrap_or(""))
                .or_else(|| {
                    window
                        .find(" für ")
                        .map(|i| window.get(i + 5..).unwrap_or(""))
                })
                .or_else(|| {
                    window
                        .find(" pour ")
                        .map(|i| window.get(i + 6..).unwrap_or(""))
                });
            let appreciate_style = matches!(*w, "appreciate" | "grateful");
            let scope = match after_for {
                Some(a) => format!(" {a}"),
                None if appreciate_style => window.clone(),
                None => continue,
            };
            if let Some(g) = THANK_GERUNDS
                .iter()
                .find(|g| scope.trim_start().starts_with(*g))
            {
                return Some(format!("{} for {g}", w.trim()));
            }
            if let Some(o) = THANK_OBJECTS
                .iter()
                .find(|o| find_phrase(&scope, o).is_some())
            {
                return Some(format!("{} … {o}", w.trim()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn intent(t: &str) -> Intent {
        judge(t, date(2026, 11, 22)).intent
    }

    #[test]
    fn yes_no_later_other() {
        assert_eq!(intent("Yes, happy to meet!"), Intent::Yes);
        assert_eq!(intent("Sure - sounds good."), Intent::Yes);
        assert_eq!(intent("I am available next Tuesday."), Intent::Yes);
        assert_eq!(intent("Thanks, but I'm not interested."), Intent::No);
        assert_eq!(intent("Unfortunately I can't help with this."), Intent::No);
        assert_eq!(intent("I'll pass, sorry."), Intent::No);
        assert_eq!(intent("Ping me in January."), Intent::Later);
        assert_eq!(intent("After the holidays would be better."), Intent::Later);
        assert_eq!(intent("Hello"), Intent::Other);
        assert_eq!(intent("Who is this?"), Intent::Other);
    }

    #[test]
    fn negated_yes_is_not_yes() {
        assert_eq!(intent("I'm not sure what this is about."), Intent::Other);
        assert_eq!(intent("Not happy to be spammed."), Intent::Other);
    }

    #[test]
    fn deferral_beats_refusal() {
        let j = judge(
            "Not in the next three weeks, but how about four weeks out? I can do Tuesday the 3rd",
            date(2026, 10, 6),
        );
        assert_eq!(j.intent, Intent::Later);
        assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 11, 3)));
    }

    #[test]
    fn not_but_alternative_is_later() {
        let j = judge(
            "I can't make next week. But how about December 10?",
            date(2026, 11, 22),
        );
        assert_eq!(j.intent, Intent::Later);
        assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 12, 10)));
    }

    #[test]
    fn bare_date_proposal_is_later_with_date() {
        let j = judge("I can do Tuesday the 3rd.", date(2026, 10, 6));
        assert_eq!(j.intent, Intent::Later);
        assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 11, 3)));
    }

    #[test]
    fn later_dates_are_derived() {
        let r = date(2026, 11, 22);
        let until = |t: &str| judge(t, r).later_until.map(|f| f.date);
        assert_eq!(until("Ping me in January"), Some(date(2027, 1, 1)));
        assert_eq!(
            until("Let's talk after the holidays"),
            Some(date(2027, 1, 5))
        );
        assert_eq!(until("Next month works better"), Some(date(2026, 12, 1)));
        assert_eq!(until("Maybe later, busy right now"), None);
    }

    #[test]
    fn thank_you_phrases() {
        assert!(thanks_phrase("Thanks for your time yesterday!").is_some());
        assert!(thanks_phrase("Thank you for taking the time to meet with me.").is_some());
        assert!(thanks_phrase("Great chatting today.").is_some());
        assert!(thanks_phrase("I really appreciate you making the time.").is_some());
        assert!(thanks_phrase("Thanks again for meeting, Omar.").is_some());
        assert!(thanks_phrase("Thanks for the conversation.").is_some());
        assert!(thanks_phrase("Thank you for your e-mail. I will reply soon.").is_none());
        assert!(thanks_phrase("Thank you for your payment.").is_none());
        assert!(thanks_phrase("Thank you for booking with easyHotel.").is_none());
        assert!(thanks_phrase("Thanks for reaching out, I'm busy this time of year").is_none());
        assert!(thanks_phrase("Thanks!").is_none());
    }

    #[test]
    fn hard_wrapped_later_keeps_its_date() {
        let r = date(2026, 11, 3);
        let j = judge(
            "Thanks for reaching out. Not in the next three weeks, but how about four\nweeks out? We are in the middle of a launch until then.",
            r,
        );
        assert_eq!(j.intent, Intent::Later);
        assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 12, 1)));
    }
}
