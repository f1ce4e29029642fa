//! Meeting proposals: a reply that names a time ("Tuesday at 3pm works for
//! me", "the 9th at 4", "next Wednesday 14:00", "Dienstag um 15 Uhr",
//! "火曜日の15時") proposes a meeting then. The time is read against the
//! message's date, in the zone written after it, else the user's.
//!
//! A clause that turns the time down ("3pm doesn't work"), speaks of the past
//! ("I was busy Tuesday at 3pm") or lands before the message was sent proposes
//! nothing; quoted text is never read (the caller passes the fresh text).
//! Pure: it must never read a clock or decide what rapport does with a
//! proposal (`core::meetings` does).

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

mod ja;
pub(crate) mod words;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use super::dates;
use super::text::normalise_for_match;

/// A meeting time a reply proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedTime {
    pub start: Timestamp,
    /// The words it was read from ("tuesday at 3pm").
    pub text: String,
    /// The zone it was read in (an IANA name).
    pub zone: String,
    /// Whether the sender wrote the zone (else it is the user's).
    pub zone_stated: bool,
}

/// The next date strictly after `d` falling on `wd`.
fn next_after(d: Date, wd: Weekday) -> Option<Date> {
    let ahead = (wd.to_monday_zero_offset() - d.weekday().to_monday_zero_offset() + 6) % 7 + 1;
    d.checked_add(i64::from(ahead).days()).ok()
}

/// Sentences of the fresh text: quoted lines dropped, wrapped lines joined,
/// cut after `!`, `?`, `;`, `: ` and a `.` that ends a sentence.
fn sentences(fresh: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in fresh.split("\n\n") {
        let joined: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('>'))
            .collect();
        let chars: Vec<char> = joined.join(" ").chars().collect();
        let mut cur = String::new();
        for (i, &ch) in chars.iter().enumerate() {
            cur.push(ch);
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            let ends = match ch {
                '!' | '?' | ';' | '\u{3002}' | '\u{ff1f}' | '\u{ff01}' => true,
                ':' => next.is_none_or(char::is_whitespace),
                // A full stop before a capital: "kl. 15" and "Dec. 9" go on.
                '.' => {
                    next.is_none()
                        || (next.is_some_and(char::is_whitespace)
                            && after.is_none_or(char::is_uppercase))
                }
                _ => false,
            };
            if ends {
                out.push(std::mem::take(&mut cur));
            }
        }
        out.push(cur);
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

/// The clauses of a normalised sentence, cut before each contrast word.
fn clauses(sentence: &str) -> Vec<&str> {
    let w = words::words();
    let mut cuts: Vec<usize> = w.contrast.hits(sentence).map(|h| h.start).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = 0;
    for cut in cuts {
        if cut > from {
            out.push(sentence.get(from..cut).unwrap_or(""));
            from = cut;
        }
    }
    out.push(sentence.get(from..).unwrap_or(""));
    out
}

/// Sets the time a reply from someone else proposes, with its evidence; a refusal
/// proposes nothing.
pub(super) fn read(
    mail: &super::mime::Mail,
    ctx: &super::Context<'_>,
    fresh: &str,
    intent: super::Intent,
    c: &mut super::Classification,
) {
    if intent == super::Intent::No || c.envelope.from_user {
        return;
    }
    let r = super::reference_date(mail.date, ctx);
    c.proposed = proposed_time(fresh, mail.date, r, &ctx.default_tz);
    if let Some(p) = &c.proposed {
        c.evidence.push(super::ev(
            "phrase",
            format!("proposes a time: \"{}\"", p.text),
        ));
    }
}

/// The first time the fresh text of a reply proposes, read against `r` (the
/// message's date in the user's zone); `sent` is when it was sent, and a time
/// before it proposes nothing.
pub(crate) fn proposed_time(
    fresh: &str,
    sent: Option<Timestamp>,
    r: Date,
    default_tz: &TimeZone,
) -> Option<ProposedTime> {
    let w = words::words();
    for sentence in sentences(fresh).iter().take(40) {
        let norm = normalise_for_match(sentence);
        for clause in clauses(&norm) {
            if w.refuse.any(clause) || w.past.any(clause) {
                continue;
            }
            let found = dates::slot_in(clause, r, w)
                .map(|s| {
                    let text = clause.get(s.start..s.end).unwrap_or("").trim().to_string();
                    (s.date, s.hour, s.minute, s.zone, text)
                })
                .or_else(|| {
                    let (d, h, m, text) = ja::slot(clause, r, w)?;
                    Some((d, h, m, None, text))
                });
            let Some((date, hour, minute, zone, text)) = found else {
                continue;
            };
            // A short zone counts only as written in capitals ("CET", not French "est").
            let zone = zone.filter(|(_, words, short)| {
                !short
                    || sentence
                        .split(|ch: char| !ch.is_alphanumeric())
                        .any(|w| w == words.to_uppercase())
            });
            let (tz, zone_stated) = match zone {
                Some((tz, _, _)) => (tz, true),
                None => (default_tz.clone(), false),
            };
            let (Ok(h), Ok(m)) = (i8::try_from(hour), i8::try_from(minute)) else {
                continue;
            };
            let Ok(time) = Time::new(h, m, 0, 0) else {
                continue;
            };
            let Ok(start) = tz.to_timestamp(date.to_datetime(time)) else {
                continue;
            };
            if date < r || sent.is_some_and(|s| start <= s) {
                continue;
            }
            return Some(ProposedTime {
                start,
                text,
                zone: tz.iana_name().unwrap_or("UTC").to_string(),
                zone_stated,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests;
