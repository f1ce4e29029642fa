//! Answers to a request, by every route rapport knows (issue 19), each shaped like the
//! mail it stands for: a reply in the thread, one from the contact's second address
//! (added with `contacts edit --email` first), an assistant's reply in the thread with
//! the contact in Cc, a booking tool's notification (the invitee in Reply-To and the
//! body, some with an iCalendar part), a referral to a colleague in Cc, and a time in
//! words. After each the walk waits until rapport has read it (the timeline entry with
//! its Message-ID, read by that route), bars every draft made before it (of a booking,
//! the nudges), and from then on no nudge may be drafted to them.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::{Answered, WAIT, Walk, strip_id, text, ts};

/// How an answer reaches rapport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Route {
    Reply,
    SecondAddress,
    Assistant,
    Booking { ics: bool },
    Referral,
    TimeInWords,
}

pub(super) const ROUTES: [Route; 7] = [
    Route::Reply,
    Route::SecondAddress,
    Route::Assistant,
    Route::Booking { ics: true },
    Route::Booking { ics: false },
    Route::Referral,
    Route::TimeInWords,
];

impl Route {
    pub(super) fn label(self) -> &'static str {
        match self {
            Route::Reply => "reply",
            Route::SecondAddress => "second address",
            Route::Assistant => "assistant",
            Route::Booking { ics: true } => "booking (iCalendar)",
            Route::Booking { ics: false } => "booking (text only)",
            Route::Referral => "referral",
            Route::TimeInWords => "time in words",
        }
    }
}

/// People an answer may hand over to or speak for the contact, first names first.
const OTHERS: [&str; 6] = [
    "Ana Lima",
    "Ben Okafor",
    "Chiara Rossi",
    "Dmitri Volkov",
    "Eun-ji Park",
    "Farah Haddad",
];

/// Times in words rapport reads as a proposed meeting.
const TIMES: [&str; 5] = [
    "Tuesday at 3pm works for me!",
    "Thursday at 10am suits me.",
    "Next Wednesday at 14:00 works for me.",
    "Friday at 4pm is good for me, thanks.",
    "Monday at 11am works well for me.",
];

/// One answer as it will land, and what rapport must make of it.
struct Answer {
    id: String,
    raw: String,
    /// The person a referral hands over to: (address, name).
    referred: Option<(String, String)>,
}

/// Whether the answer bars draft `d`: every draft to the contact, for what they (or
/// their assistant) wrote ("nothing to a contact who wrote to you after the draft was
/// made", whatever its kind); their nudges, for a booking tool's notice ("any answer
/// stops the nudge": a tool wrote, not they, so a thank-you or the user's own request
/// made before it may still go).
fn barrable(d: &Value, contact: i64, route: Route) -> bool {
    d["contact_id"] == contact && (!matches!(route, Route::Booking { .. }) || d["kind"] == "nudge")
}

fn rfc2822(at: Timestamp) -> String {
    jiff::fmt::rfc2822::to_string(&at.to_zoned_datetime(jiff::tz::TimeZone::UTC)).unwrap()
}

impl Walk<'_> {
    /// Someone with a request that went out answers it, by a route drawn at random;
    /// two answers in three land while the daemon waits at its gate.
    pub(super) fn answer(&mut self) {
        let drafts = self.listing(true);
        let asked: Vec<(usize, String)> = self
            .live()
            .into_iter()
            .filter_map(|i| {
                let request = drafts
                    .iter()
                    .filter(|d| {
                        d["contact_id"] == self.people[i].id
                            && d["kind"] == "meeting-request"
                            && d["status"] == "sent"
                    })
                    .max_by_key(|d| d["id"].as_i64())?;
                Some((i, strip_id(&text(request, "message_id"))))
            })
            .collect();
        let Some(k) = self.pick(&(0..asked.len()).collect::<Vec<_>>()) else {
            return;
        };
        let (i, request) = asked[k].clone();
        let route = ROUTES[self.rng.usize(..ROUTES.len())];
        let gated = self.rng.u8(..3) != 0;
        let answer = self.compose(i, route, &request);
        self.trail.push(format!(
            "  ({} from {} {})",
            route.label(),
            self.people[i].addr,
            if gated {
                "at the gate"
            } else {
                "at any moment"
            }
        ));
        let contact = self.people[i].id;
        let parked_at = gated.then(|| self.park());
        // Every draft to them that exists before the answer lands was made before
        // rapport read it: barred (of a booking, the nudges: see `barrable`).
        let mut barred: HashSet<String> = self
            .listing(true)
            .iter()
            .filter(|d| barrable(d, contact, route))
            .map(|d| strip_id(&text(d, "message_id")))
            .collect();
        self.catch_up();
        let landed = self.checked;
        self.s.deliver("me", answer.raw.as_bytes());
        self.unpark();
        let entry = self.read_by_rapport(i, route, &answer);
        let registered = self.now();
        let seen = ts(&entry["detail"], "seen").unwrap_or_else(|| {
            panic!(
                "the timeline entry has no `seen`: {entry}\n{}",
                self.context()
            )
        });
        // And those made meanwhile in a second before the one rapport read it in (it
        // stamps what a daemon turn reads with the time the turn began, so a later
        // second can be either side of the reading).
        let mut requests = HashSet::new();
        for d in self.listing(true) {
            let mid = strip_id(&text(&d, "message_id"));
            if barrable(&d, contact, route) && ts(&d, "created_at").is_some_and(|c| c < seen) {
                barred.insert(mid.clone());
            }
            let out = d["status"] == "sent" || d["status"] == "sending";
            if d["contact_id"] == contact && d["kind"] == "meeting-request" && out {
                requests.insert(mid);
            }
        }
        self.people[i].answered = Some(Answered {
            at: registered,
            requests,
        });
        let why = format!(
            "answered ({}, read at {seen}, on the timeline at {registered})",
            route.label()
        );
        self.retire(i, why, parked_at, HashSet::new(), Some(barred.clone()));
        if gated {
            self.tally.gated += 1;
        } else {
            // Sent while the answer was landing: the daemon had looked before it came.
            self.tally.raced += self.racing(landed, &barred);
        }
        *self.tally.answers.entry(route.label()).or_default() += 1;
        if let Some((addr, name)) = answer.referred
            && self.rng.bool()
        {
            // The user takes up the introduction.
            let user = addr.split('@').next().unwrap_or_default().to_string();
            let met = format!("introduced by {}", self.people[i].name);
            self.add_person(&user, &name, Some(&met));
        }
    }

    /// The answer's bytes (and, for a second address, the address added first).
    fn compose(&mut self, i: usize, route: Route, request: &str) -> Answer {
        // Unique for the walk: the answers so far.
        let n: usize = self.tally.answers.values().sum();
        let id = format!("walk-answer-{n}-{}@example.test", self.rng.u32(..));
        let (addr, name) = (self.people[i].addr.clone(), self.people[i].name.clone());
        let date = rfc2822(self.now());
        let thread = format!(
            "Subject: Re: 25 minutes in the next few weeks?\r\nDate: {date}\r\nMessage-ID: <{id}>\r\nIn-Reply-To: <{request}>\r\nReferences: <{request}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        );
        let other = OTHERS[self.rng.usize(..OTHERS.len())];
        let first = other.split(' ').next().unwrap_or(other);
        let mut referred = None;
        let raw = match route {
            Route::Reply => format!(
                "From: {name} <{addr}>\r\nTo: me@example.test\r\n{thread}\r\nSure, happy to talk next week.\r\n"
            ),
            Route::SecondAddress => {
                let second = format!("{}.home@home.example", addr.split('@').next().unwrap());
                self.run_ok(&["contacts", "edit", &addr, "--email", &second]);
                format!(
                    "From: {name} <{second}>\r\nTo: me@example.test\r\n{thread}\r\nWriting from my own address: glad to, next week works.\r\n"
                )
            }
            Route::Assistant => format!(
                "From: {other} <assistant-{n}@example.test>\r\nTo: me@example.test\r\nCc: {name} <{addr}>\r\n{thread}\r\nHi Ada, I look after {name}'s diary. Glad to set this up; I will send an invitation.\r\n"
            ),
            Route::Booking { ics } => self.booking(&id, &addr, &name, &date, ics),
            Route::Referral => {
                let user = format!("referred{n}");
                let to = format!("{user}@example.test");
                referred = Some((to.clone(), other.to_string()));
                format!(
                    "From: {name} <{addr}>\r\nTo: me@example.test\r\nCc: {other} <{to}>\r\n{thread}\r\nThanks Ada! My colleague {first} is better placed to talk about this, cc'd.\r\n"
                )
            }
            Route::TimeInWords => {
                let words = TIMES[self.rng.usize(..TIMES.len())];
                format!(
                    "From: {name} <{addr}>\r\nTo: me@example.test\r\n{thread}\r\nHi Ada, {words}\r\n"
                )
            }
        };
        Answer { id, raw, referred }
    }

    /// A Calendly-like notification: from its notifications address, the invitee in
    /// Reply-To and in the text, for a meeting a few days on at 15:00 UTC; with `ics`,
    /// also the iCalendar part naming them as attendee.
    fn booking(&mut self, id: &str, addr: &str, name: &str, date: &str, ics: bool) -> String {
        let later = self.now() + SignedDuration::from_hours(24 * self.rng.i64(2..=6));
        let day = later.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let start = day
            .at(15, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .unwrap();
        let when = start.strftime("15:00 - %A, %-d %B %Y").to_string();
        let head = format!(
            "From: Calendly <notifications@calendly.com>\r\nReply-To: {name} <{addr}>\r\nTo: me@example.test\r\nSubject: New Event: {name} - {} - 30 Minute Meeting\r\nDate: {date}\r\nMessage-ID: <{id}>\r\nMIME-Version: 1.0\r\n",
            start.strftime("15:00 %a, %-d %b %Y")
        );
        let text = format!(
            "Hi Ada,\r\nA new event has been scheduled.\r\nInvitee: {name}\r\nInvitee Email: {addr}\r\nEvent Date/Time: {when}\r\n"
        );
        if !ics {
            return format!("{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{text}");
        }
        let (dtstart, dtend) = (
            start.strftime("%Y%m%dT%H%M%SZ"),
            (start.clone() + SignedDuration::from_mins(30)).strftime("%Y%m%dT%H%M%SZ"),
        );
        format!(
            "{head}Content-Type: multipart/mixed; boundary=walkb\r\n\r\n--walkb\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n--walkb\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calendly//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:{id}\r\nDTSTAMP:{dtstart}\r\nDTSTART:{dtstart}\r\nDTEND:{dtend}\r\nSUMMARY:30 Minute Meeting\r\nORGANIZER;CN=Calendly:mailto:no-reply@calendly.com\r\nATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{addr}\r\nATTENDEE;CN=Ada Lovelace;PARTSTAT=NEEDS-ACTION:mailto:me@example.test\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--walkb--\r\n"
        )
    }

    /// Waits (bounded) until the answer is on the person's timeline (`contacts show
    /// --json`: the entry whose `message_key` is its Message-ID), read by its route.
    fn read_by_rapport(&mut self, i: usize, route: Route, answer: &Answer) -> Value {
        let addr = self.people[i].addr.clone();
        let start = Instant::now();
        let entry = loop {
            let show = self.run_ok(&["contacts", "show", &addr, "--json"]).json();
            let found = show["timeline"]
                .as_array()
                .and_then(|t| t.iter().find(|e| e["message_key"] == answer.id.as_str()))
                .cloned();
            if let Some(e) = found {
                break e;
            }
            assert!(
                start.elapsed() < WAIT,
                "rapport never read the answer ({}) from {addr}\n{}",
                route.label(),
                self.context()
            );
            self.daemon_alive();
            std::thread::sleep(Duration::from_millis(200));
        };
        let detail = &entry["detail"];
        let by_route = match route {
            Route::Reply | Route::SecondAddress => entry["kind"] == "reply",
            Route::Assistant => entry["kind"] == "reply" && detail["via"]["route"] == "assistant",
            Route::Booking { .. } => {
                entry["kind"] == "meeting-scheduled" && detail["via"]["route"] == "tool"
            }
            Route::Referral => answer
                .referred
                .as_ref()
                .is_some_and(|(to, _)| detail["referral"]["address"] == to.as_str()),
            Route::TimeInWords => {
                entry["kind"] == "reply" && detail["proposed"]["start"].is_string()
            }
        };
        assert!(
            by_route,
            "rapport read the answer from {addr} but not as {}: {entry}\n{}",
            route.label(),
            self.context()
        );
        entry
    }
}
