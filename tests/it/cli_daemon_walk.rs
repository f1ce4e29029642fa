//! A random walk of CLI commands while a real `rapport daemon` runs against the test
//! Dovecot and SMTP servers: requests to new and old contacts, approvals (by id, and
//! `--all` after a listing), rejections, snoozes, edits through `$EDITOR`, contacts
//! removed or marked do-not-contact, replies landing in the INBOX, and `send`, with a
//! few seconds of real time now and then so the daemon sends. Every message the SMTP
//! server accepted is checked, as it arrives and again at the end:
//!
//! - it was approved, in exactly the subject and body the user approved (after edits);
//! - its Message-ID was delivered once;
//! - it did not go to a contact after they were removed or marked do-not-contact, nor
//!   (a draft made before their reply) after rapport had seen their reply.
//!
//! `cargo test --test it cli_daemon_walk::` runs a short walk; the ignored test is the
//! long one: `RAPPORT_WALK_OPS=3000 cargo test --test it cli_daemon_walk:: -- --ignored
//! --nocapture` (`RAPPORT_WALK_SEED` replays another seed).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::TestServers;
use crate::util::daemon::Daemon;
use crate::util::{Env, Run};

/// The seed of the default run, pinned so a failure can be replayed.
const DEFAULT_SEED: u64 = 20_261_207;

/// Where the clock starts: a Monday morning, inside the default send window.
const START: &str = "2026-11-23T10:00:00Z";

/// What the user approved of one draft, as `queue show` showed it.
#[derive(Clone, Debug)]
struct Approved {
    id: i64,
    to: String,
    subject: String,
    body: String,
}

/// From which delivery on a contact may get nothing more, and what is exempt.
#[derive(Debug)]
struct Retired {
    why: &'static str,
    /// Deliveries numbered above this one are checked.
    after: usize,
    /// Drafts already being sent when it happened (they were on the wire).
    in_flight: HashSet<String>,
    /// Only these drafts are barred (a reply bars the drafts made before it); `None`
    /// bars everything.
    only: Option<HashSet<String>>,
}

struct Person {
    addr: String,
    name: String,
    retired: Option<Retired>,
}

#[derive(Default)]
struct Tally {
    ops: BTreeMap<&'static str, usize>,
    refused: usize,
    approvals: usize,
    edits: usize,
    replies: usize,
    deliveries: usize,
    raced: usize,
}

struct Walk<'a> {
    s: &'a TestServers,
    env: Env,
    daemon: Daemon,
    started: Instant,
    rng: fastrand::Rng,
    seed: u64,
    people: Vec<Person>,
    approved: HashMap<String, Approved>,
    delivered: HashSet<String>,
    /// Deliveries read (and checked) so far.
    checked: usize,
    tally: Tally,
    /// The last operations, for a failure's message.
    trail: Vec<String>,
}

fn seed() -> u64 {
    std::env::var("RAPPORT_WALK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED)
}

fn norm(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_string()
}

fn strip_id(id: &str) -> String {
    id.trim().trim_matches(['<', '>']).to_string()
}

impl<'a> Walk<'a> {
    fn start(s: &'a TestServers, seed: u64) -> Walk<'a> {
        let config = s.rapport_config().replace(
            "poll_seconds = 10",
            "poll_seconds = 10\n\n[policy]\ndaily_send_cap = 10000",
        );
        let mut env = Env::with_config(&config);
        env.now = START.into();
        let editor = env.script(
            "editor.sh",
            &format!(
                "printf '\\nP.S. %s\\n' \"$(cat {})\" >> \"$1\"",
                env.home().join("token").display()
            ),
        );
        env.extra_env.push(("EDITOR".into(), editor));
        let started = Instant::now();
        let daemon = Daemon::start(&env, "warn,rapport=info", &[("RAPPORT_NOW_RUNS", "1")]);
        Walk {
            s,
            env,
            daemon,
            started,
            rng: fastrand::Rng::with_seed(seed),
            seed,
            people: Vec::new(),
            approved: HashMap::new(),
            delivered: HashSet::new(),
            checked: 0,
            tally: Tally::default(),
            trail: Vec::new(),
        }
    }

    /// The walk's clock for the CLI: the daemon's, which runs from the same start.
    fn now(&self) -> jiff::Timestamp {
        let base: jiff::Timestamp = START.parse().unwrap();
        base.checked_add(jiff::SignedDuration::try_from(self.started.elapsed()).unwrap())
            .unwrap()
    }

    fn context(&self) -> String {
        let tail = self.trail.len().saturating_sub(40);
        format!(
            "seed {}; last operations:\n  {}\ndaemon log:\n{}",
            self.seed,
            self.trail[tail..].join("\n  "),
            {
                let log = self.daemon.log();
                let cut = log.len().saturating_sub(8000);
                let cut = (cut..log.len())
                    .find(|&i| log.is_char_boundary(i))
                    .unwrap_or(0);
                log[cut..].to_string()
            }
        )
    }

    /// Runs rapport at the walk's time: success or a refusal (exit 1), never a crash
    /// or a usage error.
    fn run(&mut self, args: &[&str]) -> Run {
        self.env.now = self.now().to_string();
        let r = self.env.rapport(args);
        self.trail
            .push(format!("  rapport {} -> {}", args.join(" "), r.code));
        if r.code != 0 && r.code != 1 || r.stderr.contains("panicked") {
            panic!(
                "`rapport {}` exited {}\nstdout:\n{}\nstderr:\n{}\n{}",
                args.join(" "),
                r.code,
                r.stdout,
                r.stderr,
                self.context()
            );
        }
        if r.code != 0 {
            self.tally.refused += 1;
        }
        r
    }

    /// Drafts from a `queue --json` listing (`--all` for every status).
    fn listing(&mut self, all: bool) -> Vec<Value> {
        let args: &[&str] = if all {
            &["queue", "--json", "--all"]
        } else {
            &["queue", "--json"]
        };
        let r = self.run(args);
        assert_eq!(r.code, 0, "{}\n{}", r.stderr, self.context());
        r.json()["drafts"].as_array().cloned().unwrap_or_default()
    }

    fn ids_with(drafts: &[Value], status: &[&str]) -> Vec<i64> {
        drafts
            .iter()
            .filter(|d| status.iter().any(|s| d["status"] == *s))
            .filter_map(|d| d["id"].as_i64())
            .collect()
    }

    /// The draft as `queue show` shows it now: its Message-ID and what would be approved.
    fn shown(&mut self, id: i64) -> Option<(String, String, Approved)> {
        let r = self.run(&["queue", "show", &id.to_string(), "--json"]);
        if r.code != 0 {
            return None;
        }
        let d = r.json();
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
        Some((
            strip_id(&text("message_id")),
            text("status"),
            Approved {
                id,
                to: text("to"),
                subject: text("subject"),
                body: text("body"),
            },
        ))
    }

    fn live(&self) -> Vec<usize> {
        (0..self.people.len())
            .filter(|&i| self.people[i].retired.is_none())
            .collect()
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.rng.usize(..v.len())])
    }

    // ---- the operations --------------------------------------------------

    /// A new person (an account on the servers, then a contact) and a request to them.
    fn request_new(&mut self) {
        let n = self.people.len();
        let user = format!("walker{n}");
        self.s.add_user(&user, "walker-secret");
        let addr = format!("{user}@example.test");
        let name = format!("Walker {n}");
        self.run(&["contacts", "add", &addr, "--name", &name]);
        self.people.push(Person {
            addr: addr.clone(),
            name,
            retired: None,
        });
        self.run(&["request", &addr]);
    }

    /// Another request to someone already known (refused while one is open).
    fn request_again(&mut self) {
        let live = self.live();
        if let Some(i) = self.pick(&live) {
            let addr = self.people[i].addr.clone();
            self.run(&["request", &addr]);
        }
    }

    fn approve_one(&mut self) {
        let drafts = self.listing(false);
        let Some(id) = self.pick(&Self::ids_with(&drafts, &["pending"])) else {
            return;
        };
        let Some((mid, status, shown)) = self.shown(id) else {
            return;
        };
        if status != "pending" {
            return;
        }
        let r = self.run(&["queue", "approve", &id.to_string()]);
        if r.code == 0 {
            self.approved.insert(mid, shown);
            self.tally.approvals += 1;
        }
    }

    /// `queue` lists, then `approve --all` approves what it listed.
    fn approve_all(&mut self) {
        let drafts = self.listing(false);
        let mut seen = Vec::new();
        for id in Self::ids_with(&drafts, &["pending"]) {
            if let Some((mid, status, shown)) = self.shown(id)
                && status == "pending"
            {
                seen.push((mid, shown));
            }
        }
        let r = self.run(&["queue", "approve", "--all"]);
        if r.code != 0 || seen.is_empty() {
            return;
        }
        let after = self.listing(true);
        let approved = Self::ids_with(&after, &["approved", "sending", "sent"]);
        for (mid, shown) in seen {
            if approved.contains(&shown.id) {
                self.tally.approvals += 1;
            }
            // Shown and confirmed: the user's approval, whatever rapport made of it.
            self.approved.insert(mid, shown);
        }
    }

    fn reject_or_snooze(&mut self, reject: bool) {
        let drafts = self.listing(false);
        let open = Self::ids_with(&drafts, &["pending", "approved", "snoozed"]);
        let Some(id) = self.pick(&open) else { return };
        let id = id.to_string();
        if reject {
            self.run(&["queue", "reject", &id]);
        } else {
            let days = format!("{}d", self.rng.u8(1..=5));
            self.run(&["queue", "snooze", &id, "--for", &days]);
        }
    }

    /// `queue edit` with an editor that appends a line: the draft's new text needs a
    /// new approval.
    fn edit(&mut self) {
        let drafts = self.listing(false);
        let open = Self::ids_with(&drafts, &["pending", "approved", "snoozed"]);
        let Some(id) = self.pick(&open) else { return };
        let words = [
            "see you soon",
            "Grüße aus Köln — ünïcödé ✓",
            "a long line that goes on and on so that quoted-printable has to wrap it somewhere in the middle of all these words",
            "=3D looks encoded but is not",
            "日本語のテキスト",
        ];
        let token = format!(
            "{} #{}",
            words[self.rng.usize(..words.len())],
            self.rng.u32(..)
        );
        std::fs::write(self.env.home().join("token"), token).unwrap();
        let mid = self.shown(id).map(|(mid, _, _)| mid);
        let r = self.run(&["queue", "edit", &id.to_string()]);
        if r.code == 0 {
            self.tally.edits += 1;
            if let Some(mid) = mid {
                // Back to pending: the approval was of the old text.
                self.approved.remove(&mid);
            }
        }
    }

    fn remove(&mut self) {
        let live = self.live();
        let Some(i) = self.pick(&live) else { return };
        let addr = self.people[i].addr.clone();
        let r = self.run(&["contacts", "remove", &addr, "--yes"]);
        if r.code == 0 {
            self.retire(i, "removed", HashSet::new(), None);
        }
    }

    fn do_not_contact(&mut self) {
        let live = self.live();
        let Some(i) = self.pick(&live) else { return };
        let addr = self.people[i].addr.clone();
        let r = self.run(&["contacts", "edit", &addr, "--do-not-contact"]);
        if r.code == 0 {
            let (sending, _) = self.drafts_to(&addr);
            self.retire(i, "marked do-not-contact", sending, None);
        }
    }

    /// Message-IDs of the drafts to `addr`: those being sent, and all the others.
    fn drafts_to(&mut self, addr: &str) -> (HashSet<String>, HashSet<String>) {
        let mut sending = HashSet::new();
        let mut others = HashSet::new();
        for d in self.listing(true) {
            if d["to"] != addr {
                continue;
            }
            let mid = strip_id(d["message_id"].as_str().unwrap_or_default());
            if d["status"] == "sending" {
                sending.insert(mid);
            } else {
                others.insert(mid);
            }
        }
        (sending, others)
    }

    fn retire(
        &mut self,
        i: usize,
        why: &'static str,
        in_flight: HashSet<String>,
        only: Option<HashSet<String>>,
    ) {
        // What arrived up to now was sent before this (or while it happened).
        self.catch_up();
        self.people[i].retired = Some(Retired {
            why,
            after: self.checked,
            in_flight,
            only,
        });
    }

    /// A reply from a contact who has a request, threaded to it; the walk waits until
    /// rapport has it on their timeline, then bars every draft made before it.
    fn reply(&mut self) {
        let drafts = self.listing(true);
        let asked: Vec<usize> = self
            .live()
            .into_iter()
            .filter(|&i| {
                drafts
                    .iter()
                    .any(|d| d["to"] == self.people[i].addr && d["kind"] == "meeting-request")
            })
            .collect();
        let Some(i) = self.pick(&asked) else { return };
        let addr = self.people[i].addr.clone();
        let request = drafts
            .iter()
            .filter(|d| d["to"] == addr.as_str() && d["kind"] == "meeting-request")
            .max_by_key(|d| (d["status"] == "sent", d["id"].as_i64()))
            .map(|d| strip_id(d["message_id"].as_str().unwrap_or_default()))
            .unwrap();
        let date =
            jiff::fmt::rfc2822::to_string(&self.now().to_zoned_datetime(jiff::tz::TimeZone::UTC))
                .unwrap();
        let n = self.tally.replies;
        let raw = format!(
            "From: {} <{addr}>\r\nTo: me@example.test\r\nSubject: Re: 25 minutes in the next few weeks?\r\nDate: {date}\r\nMessage-ID: <walk-reply-{n}@example.test>\r\nIn-Reply-To: <{request}>\r\nReferences: <{request}>\r\n\r\nSure, happy to talk next week.\r\n",
            self.people[i].name
        );
        self.catch_up();
        let before = self.checked;
        self.s.deliver("me", raw.as_bytes());
        self.tally.replies += 1;
        let start = Instant::now();
        while !self.has_reply(&addr) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "rapport never saw the reply from {addr}\n{}",
                self.context()
            );
            assert!(self.daemon.alive(), "the daemon died\n{}", self.context());
            std::thread::sleep(Duration::from_millis(100));
        }
        let (sending, before_reply) = self.drafts_to(&addr);
        self.retire(i, "replied", sending, Some(before_reply.clone()));
        // Sent while the reply was landing (the daemon had looked before it came).
        self.tally.raced += self.racing(before, &addr, &before_reply);
    }

    fn has_reply(&mut self, addr: &str) -> bool {
        let r = self.run(&["contacts", "show", addr, "--json"]);
        r.code == 0
            && r.json()["timeline"].as_array().is_some_and(|t| {
                t.iter()
                    .any(|e| e["kind"] == "reply" || e["kind"] == "email-received")
            })
    }

    /// Deliveries after `from` (up to what was checked) of `barred` drafts to `addr`.
    fn racing(&self, from: usize, addr: &str, barred: &HashSet<String>) -> usize {
        (from + 1..=self.checked)
            .filter_map(|n| self.s.sent_message(n))
            .filter(|m| {
                let (mid, to, _, _) = parse(m);
                to == addr && barred.contains(&mid)
            })
            .count()
    }

    fn send(&mut self) {
        self.run(&["send"]);
    }

    /// One operation, drawn by weight.
    fn step(&mut self) {
        let roll = self.rng.u32(..100);
        let name = match roll {
            0..12 => "request new",
            12..16 => "request again",
            16..38 => "approve",
            38..46 => "approve --all",
            46..51 => "reject",
            51..56 => "snooze",
            56..66 => "edit",
            66..70 => "remove",
            70..74 => "do-not-contact",
            74..82 => "reply",
            _ => "send",
        };
        self.trail.push(name.to_string());
        match name {
            "request new" => self.request_new(),
            "request again" => self.request_again(),
            "approve" => self.approve_one(),
            "approve --all" => self.approve_all(),
            "reject" => self.reject_or_snooze(true),
            "snooze" => self.reject_or_snooze(false),
            "edit" => self.edit(),
            "remove" => self.remove(),
            "do-not-contact" => self.do_not_contact(),
            "reply" => self.reply(),
            _ => self.send(),
        }
        *self.tally.ops.entry(name).or_default() += 1;
        assert!(self.daemon.alive(), "the daemon died\n{}", self.context());
        self.catch_up();
    }

    // ---- the checks ------------------------------------------------------

    /// Reads and checks every delivery that arrived since the last call.
    fn catch_up(&mut self) {
        while let Some(m) = self.s.sent_message(self.checked + 1) {
            self.checked += 1;
            self.check(self.checked, &m);
        }
    }

    fn check(&mut self, n: usize, raw: &[u8]) {
        let (mid, to, subject, body) = parse(raw);
        if let Some(what) = self.verdict(n, &mid, &to, &subject, &body) {
            panic!(
                "delivery {n} ({mid}) to {to}: {what}\n--- message:\n{}\n{}",
                String::from_utf8_lossy(raw),
                self.context()
            );
        }
        self.delivered.insert(mid);
        self.tally.deliveries += 1;
    }

    /// What is wrong with delivery `n`, if anything.
    fn verdict(&self, n: usize, mid: &str, to: &str, subject: &str, body: &str) -> Option<String> {
        if self.delivered.contains(mid) {
            return Some("this Message-ID was delivered before".into());
        }
        let Some(a) = self.approved.get(mid) else {
            return Some("never approved (or edited since its approval)".into());
        };
        if a.to != to {
            return Some(format!("draft {} was approved for {}", a.id, a.to));
        }
        if a.subject != subject || norm(&a.body) != norm(body) {
            return Some(format!(
                "not the text approved for draft {}:\n{:?}\n{:?}\nsent:\n{subject:?}\n{body:?}",
                a.id, a.subject, a.body
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
                "draft {} was sent after the contact {} (at delivery {})",
                a.id, r.why, r.after
            )
        })
    }

    /// The daemon sends what is approved and due; the walk waits for it to finish.
    fn settle(&mut self) {
        let start = Instant::now();
        loop {
            self.run(&["send"]);
            let drafts = self.listing(true);
            if Self::ids_with(&drafts, &["approved", "sending"]).is_empty() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "approved drafts never went out: {:?}\n{}",
                Self::ids_with(&drafts, &["approved", "sending"]),
                self.context()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        // A moment for the last SMTP session to be written out.
        std::thread::sleep(Duration::from_secs(1));
        self.catch_up();
    }

    /// Every draft rapport calls sent was delivered (and the check above made sure it
    /// was delivered once).
    fn final_check(&mut self) {
        let drafts = self.listing(true);
        for d in &drafts {
            let mid = strip_id(d["message_id"].as_str().unwrap_or_default());
            if d["status"] == "sent" {
                assert!(
                    self.delivered.contains(&mid),
                    "draft {} is marked sent but never arrived\n{}",
                    d["id"],
                    self.context()
                );
            }
        }
    }
}

/// A delivered message's Message-ID, recipient, subject and body.
fn parse(raw: &[u8]) -> (String, String, String, String) {
    let m = mail_parser::MessageParser::default()
        .parse(raw)
        .unwrap_or_else(|| panic!("unparsable delivery:\n{}", String::from_utf8_lossy(raw)));
    let to = m
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_lowercase();
    (
        strip_id(m.message_id().unwrap_or_default()),
        to,
        m.subject().unwrap_or_default().to_string(),
        m.body_text(0)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
    )
}

fn walk(ops: usize) {
    let s = TestServers::start();
    let seed = seed();
    let mut w = Walk::start(&s, seed);
    let begun = Instant::now();
    let mut done = 0;
    while done < ops {
        // A batch of commands, then a few seconds for the daemon to send.
        let batch = w.rng.usize(4..=12).min(ops - done);
        for _ in 0..batch {
            w.step();
        }
        done += batch;
        std::thread::sleep(Duration::from_millis(w.rng.u64(1000..=3000)));
        w.catch_up();
    }
    w.settle();
    w.final_check();
    let t = &w.tally;
    eprintln!(
        "cli_daemon_walk: seed {seed}: {ops} operations ({:?}), {} refused, {} approvals, {} edits, {} replies, {} deliveries checked ({} raced a landing reply), 0 unapproved, 0 altered, 0 duplicates, 0 to a removed, do-not-contact or replied contact, {:.1} s",
        t.ops,
        t.refused,
        t.approvals,
        t.edits,
        t.replies,
        t.deliveries,
        t.raced,
        begun.elapsed().as_secs_f64()
    );
    // The walk proves something only if mail went out.
    assert!(
        t.deliveries > 0 && t.approvals > 0,
        "seed {seed}: nothing was delivered, so nothing was checked"
    );
    w.daemon.stop_within_ten_seconds();
}

#[test]
fn a_short_random_walk_of_cli_commands_beside_the_daemon_keeps_every_promise() {
    walk(60);
}

#[test]
#[ignore = "long: RAPPORT_WALK_OPS=3000 cargo test --test it cli_daemon_walk:: -- --ignored --nocapture"]
fn a_long_random_walk_of_cli_commands_beside_the_daemon() {
    let ops = std::env::var("RAPPORT_WALK_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    walk(ops);
}
