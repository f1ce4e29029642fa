//! The walk's checks: every delivery as it arrives (approved, exactly the approved bytes
//! plus `Date:`, to the approved recipient alone, once, never barred), every `--all`
//! listing (no nudge drafted after an answer was read), and at the end every draft
//! rapport calls sent; then the tally it prints.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jiff::civil::Weekday;
use serde_json::Value;

use super::{Walk, strip_id, text, ts};

/// How long the walk waits for the SMTP server to log a delivery it saved.
const LOG_WAIT: Duration = Duration::from_secs(10);

impl Walk<'_> {
    /// Reads and checks every delivery that arrived since the last call.
    pub(super) fn catch_up(&mut self) {
        while let Some(m) = self.s.sent_message(self.checked + 1) {
            self.checked += 1;
            self.check(self.checked, &m);
        }
    }

    fn check(&mut self, n: usize, raw: &[u8]) {
        let (mid, to) = parse(raw);
        let envelope = self.envelope(n);
        if let Some(what) = self.verdict(n, &mid, &to, raw, &envelope) {
            let facts = self.facts(&mid, &to);
            panic!(
                "delivery {n} ({mid}) to {to}: {what}\n--- message:\n{}\n--- what rapport knows:\n{facts}\n{}",
                String::from_utf8_lossy(raw),
                self.context()
            );
        }
        if self.approved.get(&mid).is_some_and(|a| a.kind == "nudge") {
            self.tally.nudges_sent += 1;
        }
        self.delivered.insert(mid, n);
        self.tally.deliveries += 1;
    }

    /// For a failure's message: the draft (without its text) and the contact's timeline.
    fn facts(&mut self, mid: &str, to: &str) -> String {
        let mut out = String::new();
        let all = self.env.rapport(&["queue", "--json", "--all"]);
        if let Ok(v) = serde_json::from_str::<Value>(&all.stdout) {
            for d in v["drafts"].as_array().into_iter().flatten() {
                if strip_id(&text(d, "message_id")) == mid || d["to"] == to {
                    out.push_str(&format!("draft {d}\n"));
                }
            }
        }
        let show = self.env.rapport(&["contacts", "show", to, "--json"]);
        if let Ok(v) = serde_json::from_str::<Value>(&show.stdout) {
            for e in v["timeline"].as_array().into_iter().flatten() {
                out.push_str(&format!("timeline {e}\n"));
            }
        }
        out
    }

    /// The envelope (MAIL FROM, RCPT TO) of delivery `n`, from the SMTP server's log
    /// line for its DATA (written just after the message file).
    fn envelope(&mut self, n: usize) -> (String, Vec<String>) {
        let start = Instant::now();
        loop {
            for line in self.s.smtp_log_after(&mut self.smtp_log_offset) {
                let v: Value = serde_json::from_str(&line).unwrap();
                let file = v["file"].as_str().unwrap_or_default();
                let Some(k) = file
                    .strip_prefix("messages/")
                    .and_then(|f| f.strip_suffix(".eml"))
                    .and_then(|k| k.parse().ok())
                else {
                    continue;
                };
                let rcpts = v["rcpt_tos"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|r| r.as_str().unwrap_or_default().to_lowercase())
                    })
                    .into_iter()
                    .flatten()
                    .collect();
                self.envelopes.insert(k, (text(&v, "mail_from"), rcpts));
            }
            if let Some(e) = self.envelopes.remove(&n) {
                return e;
            }
            assert!(
                start.elapsed() < LOG_WAIT,
                "the SMTP server never logged delivery {n}\n{}",
                self.context()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What is wrong with delivery `n`, if anything.
    fn verdict(
        &self,
        n: usize,
        mid: &str,
        to: &str,
        raw: &[u8],
        envelope: &(String, Vec<String>),
    ) -> Option<String> {
        if let Some(first) = self.delivered.get(mid) {
            return Some(format!(
                "this Message-ID was delivered before (delivery {first})"
            ));
        }
        let Some(a) = self.approved.get(mid) else {
            return Some("never approved (or edited, rejected or snoozed since)".into());
        };
        if a.to != to {
            return Some(format!("draft {} was approved for {}", a.id, a.to));
        }
        if envelope.0 != "me@example.test" || envelope.1 != [a.to.clone()] {
            return Some(format!(
                "the envelope is {envelope:?}, not me@example.test to {} alone",
                a.to
            ));
        }
        // On the wire: `Date:` and then exactly the approved bytes.
        let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return Some("not one CRLF line end".into());
        };
        let (date, rest) = (&raw[..line_end], &raw[line_end + 2..]);
        let date = String::from_utf8_lossy(date);
        let stamped = date
            .strip_prefix("Date: ")
            .is_some_and(|d| jiff::fmt::rfc2822::parse(d).is_ok());
        if !stamped || rest != a.message.as_bytes() {
            return Some(format!(
                "not `Date:` and the bytes approved for draft {} ({:?}); approved:\n{}",
                a.id, a.subject, a.message
            ));
        }
        let r = self
            .people
            .iter()
            .find(|p| p.addr == to)?
            .retired
            .as_ref()?;
        let barred = r.only.as_ref().is_none_or(|only| only.contains(mid));
        (n > r.after && barred && !r.in_flight.contains(mid)).then(|| {
            format!(
                "draft {} was sent after the contact was {} (at delivery {})",
                a.id, r.why, r.after
            )
        })
    }

    /// Deliveries after `from` (up to what was checked) of `barred` drafts.
    pub(super) fn racing(&self, from: usize, barred: &HashSet<String>) -> usize {
        self.delivered
            .iter()
            .filter(|(mid, n)| **n > from && barred.contains(*mid))
            .count()
    }

    /// Counts the nudges of a listing of every draft, and fails on one drafted to a
    /// contact after their answer was on their timeline.
    pub(super) fn scan(&mut self, drafts: &[Value]) {
        for d in drafts.iter().filter(|d| d["kind"] == "nudge") {
            let Some(id) = d["id"].as_i64() else { continue };
            self.tally.nudges.insert(id);
            let Some(p) = d["contact_id"].as_i64().and_then(|c| self.person_by_id(c)) else {
                continue;
            };
            // Times are to the second: one after the second it was seen in.
            let Some(a) = &p.answered else { continue };
            let request = strip_id(&text(d, "in_reply_to"));
            if let Some(created) = ts(d, "created_at")
                && created.as_second() > a.at.as_second()
                && a.requests.contains(&request)
            {
                panic!(
                    "nudge {id} to {} for the request they answered was drafted at {created}, after their answer was on their timeline at {}: {d}\n{}",
                    p.addr,
                    a.at,
                    self.context()
                );
            }
        }
    }

    /// The daemon sends what is approved and due; the walk waits for it to finish. A
    /// weekend (outside the send window) or drafts due later make a day pass.
    pub(super) fn settle(&mut self) {
        self.unpark();
        let start = Instant::now();
        let mut days = 0;
        let london = jiff::tz::TimeZone::get("Europe/London").unwrap();
        loop {
            self.run(&["send"]);
            let drafts = self.listing(true);
            let left = Self::ids_with(&drafts, &["approved", "sending"]);
            if left.is_empty() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(180),
                "approved drafts never went out: {left:?}\n{}",
                self.context()
            );
            let now = self.now();
            let weekend = matches!(
                now.to_zoned_datetime(london.clone()).weekday(),
                Weekday::Saturday | Weekday::Sunday
            );
            let later = drafts
                .iter()
                .filter(|d| d["status"] == "approved")
                .all(|d| ts(d, "due").is_some_and(|due| due > now));
            let sending = drafts.iter().any(|d| d["status"] == "sending");
            if !sending && (weekend || later) && days < 14 {
                self.jump_days(1);
                days += 1;
                continue;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        // A moment for the last SMTP session to be written out.
        std::thread::sleep(Duration::from_secs(1));
        self.catch_up();
    }

    /// Every draft rapport calls sent arrived, and its recorded `sent_message` is byte
    /// for byte what the server received; every delivery of a draft still listed is
    /// recorded as sent.
    pub(super) fn final_check(&mut self) {
        let drafts = self.listing(true);
        let mut sent = HashSet::new();
        for d in &drafts {
            let mid = strip_id(&text(d, "message_id"));
            if d["status"] != "sent" {
                continue;
            }
            let Some(&n) = self.delivered.get(&mid) else {
                panic!(
                    "draft {} is marked sent but never arrived\n{}",
                    d["id"],
                    self.context()
                );
            };
            let show = self
                .run_ok(&["queue", "show", &d["id"].to_string(), "--json"])
                .json();
            let raw = self.s.sent_message(n).unwrap();
            assert!(
                text(&show, "sent_message") == String::from_utf8_lossy(&raw),
                "draft {}: its sent_message is not what the server received (delivery {n})\n{}",
                d["id"],
                self.context()
            );
            sent.insert(mid);
        }
        for d in &drafts {
            let mid = strip_id(&text(d, "message_id"));
            assert!(
                !self.delivered.contains_key(&mid) || sent.contains(&mid),
                "draft {} was delivered but is {}\n{}",
                d["id"],
                d["status"],
                self.context()
            );
        }
    }

    pub(super) fn report(&self, ops: usize, took: Duration) {
        let t = &self.tally;
        let gated: usize = t.gated;
        let answered: usize = t.answers.values().sum();
        eprintln!(
            "cli_daemon_walk: seed {}: {ops} operations in {:.1} minutes\n  ops by kind: {:?}\n  {} refused, {} approvals, {} edits\n  deliveries checked: {} ({} nudges; {} raced an answer landing at any moment)\n  answers by route: {:?} ({gated} with the daemon at its gate, {} at any moment)\n  removals and do-not-contact with the daemon at its gate: {}\n  nudges drafted: {}\n  time jumps: {} ({} days; the clock ended at {}; {} daemons)\n  0 unapproved, 0 altered, 0 duplicates, 0 to a removed, do-not-contact or answered contact, 0 nudges after an answer",
            self.seed,
            took.as_secs_f64() / 60.0,
            t.ops,
            t.refused,
            t.approvals,
            t.edits,
            t.deliveries,
            t.nudges_sent,
            t.raced,
            t.answers,
            answered - gated,
            t.gated_retirements,
            t.nudges.len(),
            t.jumps,
            t.days,
            self.now(),
            self.daemons,
        );
    }
}

/// A delivered message's Message-ID and recipient.
fn parse(raw: &[u8]) -> (String, String) {
    let m = mail_parser::MessageParser::default()
        .parse(raw)
        .unwrap_or_else(|| panic!("unparsable delivery:\n{}", String::from_utf8_lossy(raw)));
    let to = m
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_lowercase();
    (strip_id(m.message_id().unwrap_or_default()), to)
}
