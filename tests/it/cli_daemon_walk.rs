//! A random walk of CLI commands while a real `rapport daemon` runs against the test
//! Dovecot and SMTP servers: requests to new and old contacts, approvals (by id, and
//! `--all` after a listing), rejections, snoozes, edits through `$EDITOR`, contacts
//! removed or marked do-not-contact, answers landing in the INBOX by every route rapport
//! knows (issue 19: a reply in the thread, a reply from a second address, an assistant
//! with the contact in Cc, a booking tool's notification with and without its iCalendar
//! part, a referral, a time in words), `send`, and jumps of days on the clock (the daemon
//! stopped, then started again at the new time) so that nudges come due. Every message
//! the SMTP server accepted is checked as it arrives, and again at the end:
//!
//! - it was approved, and on the wire are exactly the approved bytes plus `Date:`, to
//!   the approved recipient alone (the envelope too);
//! - its Message-ID was delivered once, and rapport records it as sent;
//! - it did not go to a contact after they were removed or marked do-not-contact, nor
//!   (a draft made before their answer; of a booking tool's notice, a nudge) after
//!   rapport had read their answer.
//!
//! And no nudge is drafted to a contact, for a request their answer answers, once the
//! answer is on their timeline, while the contacts who never answered do get theirs
//! (counted, so that check can fail).
//!
//! An answer lands either at a random moment (a draft that goes out between its landing
//! and rapport reading it raced it: counted, not failed), or while the daemon is held at
//! its test gate between its sync and its sends (`RAPPORT_TEST_SEND_GATE`), so that its
//! look at the inbox just before each email must see it: then nothing barred may go out.
//!
//! `cargo test --test it cli_daemon_walk::` runs a short walk (100 operations, under a minute). The
//! ignored test is the long one, bounded by wall-clock minutes or by operations:
//! `RAPPORT_WALK_MINUTES=30 cargo test --test it cli_daemon_walk:: -- --ignored
//! --nocapture` (`RAPPORT_WALK_OPS=3000` instead; `RAPPORT_WALK_SEED` replays a seed).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::support::TestServers;
use crate::util::daemon::Daemon;
use crate::util::{Env, Run};

mod answers;
mod checks;
mod found;
mod ops;

/// The seed of the default run, pinned so a failure can be replayed.
const DEFAULT_SEED: u64 = 20_261_207;

/// Where the clock starts: a Monday morning, inside the default send window.
const START: &str = "2026-11-23T10:00:00Z";

/// How long the walk waits for rapport to read an answer, or for the daemon to reach
/// its gate.
const WAIT: Duration = Duration::from_secs(60);

/// What the user approved of one draft, as `queue show` showed it.
#[derive(Clone, Debug)]
struct Approved {
    id: i64,
    kind: String,
    to: String,
    subject: String,
    /// The exact text approved (`queue show --json`'s `message`).
    message: String,
}

/// From which delivery on a contact may get nothing more, and what is exempt.
#[derive(Debug)]
struct Retired {
    why: String,
    /// Deliveries numbered above this one are checked.
    after: usize,
    /// Drafts already being sent when it happened (they were on the wire).
    in_flight: HashSet<String>,
    /// Only these drafts are barred (an answer bars the drafts made before it); `None`
    /// bars everything.
    only: Option<HashSet<String>>,
}

struct Person {
    addr: String,
    name: String,
    /// Their contact id (draft listings name contacts by id).
    id: i64,
    retired: Option<Retired>,
    /// Their answer, once the walk saw it on their timeline.
    answered: Option<Answered>,
}

/// An answer on a contact's timeline: from then on no nudge may be drafted to them for
/// a request it answers.
struct Answered {
    /// When the walk saw it there.
    at: Timestamp,
    /// The Message-IDs of the requests to them that had gone out (or were going out)
    /// by then. A request of theirs sent later (the user's own, made before a booking
    /// tool's notice, which does not bar it) may be nudged.
    requests: HashSet<String>,
}

#[derive(Default)]
struct Tally {
    ops: BTreeMap<&'static str, usize>,
    refused: usize,
    approvals: usize,
    edits: usize,
    /// Answers by route, and how many of them landed with the daemon at its gate.
    answers: BTreeMap<&'static str, usize>,
    gated: usize,
    /// Removals and do-not-contact done with the daemon at its gate.
    gated_retirements: usize,
    deliveries: usize,
    raced: usize,
    /// Every nudge draft seen in a listing, by id; and how many went out.
    nudges: HashSet<i64>,
    nudges_sent: usize,
    jumps: usize,
    days: i64,
}

/// The walk's clock: `base` at the instant `at`, running at real speed, as the daemon's
/// `RAPPORT_NOW` + `RAPPORT_NOW_RUNS=1` clock does.
struct Clock {
    base: Timestamp,
    at: Instant,
}

impl Clock {
    fn now(&self) -> Timestamp {
        let ran = SignedDuration::try_from(self.at.elapsed()).unwrap();
        self.base.checked_add(ran).unwrap()
    }
}

struct Walk<'a> {
    s: &'a TestServers,
    env: Env,
    daemon: Daemon,
    /// How many daemons were started (each keeps its log as `daemon-N.log`).
    daemons: usize,
    clock: Clock,
    /// `RAPPORT_TEST_SEND_GATE`: while this file is missing, each daemon turn waits
    /// between its sync and its sends.
    gate: PathBuf,
    rng: fastrand::Rng,
    seed: u64,
    people: Vec<Person>,
    approved: HashMap<String, Approved>,
    /// Message-ID → the delivery's number.
    delivered: HashMap<String, usize>,
    /// Deliveries read (and checked) so far.
    checked: usize,
    /// The SMTP server's log as far as read, and the envelope (sender, recipients) of
    /// each delivery by its file's number.
    smtp_log_offset: u64,
    envelopes: HashMap<usize, (String, Vec<String>)>,
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

fn strip_id(id: &str) -> String {
    id.trim().trim_matches(['<', '>']).to_string()
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

fn ts(v: &Value, key: &str) -> Option<Timestamp> {
    v[key].as_str().and_then(|s| s.parse().ok())
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
        let gate = env.home().join("gate");
        std::fs::write(&gate, b"").unwrap();
        let clock = Clock {
            base: START.parse().unwrap(),
            at: Instant::now(),
        };
        let daemon = start_daemon(&env, &gate);
        Walk {
            s,
            env,
            daemon,
            daemons: 1,
            clock,
            gate,
            rng: fastrand::Rng::with_seed(seed),
            seed,
            people: Vec::new(),
            approved: HashMap::new(),
            delivered: HashMap::new(),
            checked: 0,
            smtp_log_offset: 0,
            envelopes: HashMap::new(),
            tally: Tally::default(),
            trail: Vec::new(),
        }
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    fn context(&self) -> String {
        let tail = self.trail.len().saturating_sub(40);
        let log = self.daemon.log();
        let cut = log.len().saturating_sub(8000);
        let cut = (cut..log.len())
            .find(|&i| log.is_char_boundary(i))
            .unwrap_or(0);
        format!(
            "seed {}, clock {}; last operations:\n  {}\ndaemon log (daemon {}):\n{}",
            self.seed,
            self.now(),
            self.trail[tail..].join("\n  "),
            self.daemons,
            &log[cut..]
        )
    }

    /// Fails, saying how it ended, if the daemon is gone.
    fn daemon_alive(&self) {
        if let Some(status) = self.daemon.exit_status() {
            panic!("the daemon died ({status})\n{}", self.context());
        }
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

    /// Runs rapport, which must succeed.
    fn run_ok(&mut self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code,
            0,
            "`rapport {}` failed:\n{}{}\n{}",
            args.join(" "),
            r.stdout,
            r.stderr,
            self.context()
        );
        r
    }

    /// Drafts from a `queue --json` listing (`--all` for every status; such a listing
    /// is also checked for nudges, see [`Walk::scan`]).
    fn listing(&mut self, all: bool) -> Vec<Value> {
        let args: &[&str] = if all {
            &["queue", "--json", "--all"]
        } else {
            &["queue", "--json"]
        };
        let drafts = self.run_ok(args).json()["drafts"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if all {
            self.scan(&drafts);
        }
        drafts
    }

    fn ids_with(drafts: &[Value], status: &[&str]) -> Vec<i64> {
        drafts
            .iter()
            .filter(|d| status.iter().any(|s| d["status"] == *s))
            .filter_map(|d| d["id"].as_i64())
            .collect()
    }

    /// The draft as `queue show` shows it now: its Message-ID, status and what would be
    /// approved.
    fn shown(&mut self, id: i64) -> Option<(String, String, Approved)> {
        let r = self.run(&["queue", "show", &id.to_string(), "--json"]);
        if r.code != 0 {
            return None;
        }
        let d = r.json();
        Some((
            strip_id(&text(&d, "message_id")),
            text(&d, "status"),
            Approved {
                id,
                kind: text(&d, "kind"),
                to: text(&d, "to"),
                subject: text(&d, "subject"),
                message: text(&d, "message"),
            },
        ))
    }

    fn live(&self) -> Vec<usize> {
        (0..self.people.len())
            .filter(|&i| self.people[i].retired.is_none())
            .collect()
    }

    fn person_by_id(&self, contact: i64) -> Option<&Person> {
        self.people.iter().find(|p| p.id == contact)
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.rng.usize(..v.len())])
    }

    /// One operation, drawn by weight.
    fn step(&mut self) {
        let name = match self.rng.u32(..100) {
            0..12 => "request new",
            12..15 => "request again",
            15..39 => "approve",
            39..47 => "approve --all",
            47..50 => "reject",
            50..53 => "snooze",
            53..59 => "edit",
            59..61 => "remove",
            61..63 => "do-not-contact",
            63..79 => "answer",
            79..85 => "jump",
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
            "answer" => self.answer(),
            "jump" => self.jump(),
            _ => self.send(),
        }
        *self.tally.ops.entry(name).or_default() += 1;
        self.daemon_alive();
        self.catch_up();
    }
}

/// `rapport daemon` at the env's time, its clock running, with the test gate; returned
/// once its pid is in its lock file, where the CLI finds whom to kick (the walk kicks
/// it too, and a process that is not the daemon yet has no handler for the kick).
fn start_daemon(env: &Env, gate: &std::path::Path) -> Daemon {
    let gate = gate.to_str().unwrap();
    let d = Daemon::start(
        env,
        "warn,rapport=info",
        &[("RAPPORT_NOW_RUNS", "1"), ("RAPPORT_TEST_SEND_GATE", gate)],
    );
    let lock = env.db_path().with_extension("db.daemon.lock");
    let pid = d.id().to_string();
    d.wait_until("its pid in its lock file", WAIT, || {
        std::fs::read_to_string(&lock).is_ok_and(|t| t.lines().next() == Some(pid.as_str()))
    });
    d
}

/// How long a walk goes on: operations, wall-clock minutes, or both (the first reached).
#[derive(Clone, Copy, Debug)]
struct Bounds {
    ops: Option<usize>,
    minutes: Option<f64>,
}

fn walk(bounds: Bounds) -> Tally {
    let s = TestServers::start();
    let seed = seed();
    eprintln!("cli_daemon_walk: seed {seed}, {bounds:?}");
    let mut w = Walk::start(&s, seed);
    let begun = Instant::now();
    let deadline = bounds
        .minutes
        .map(|m| begun + Duration::from_secs_f64(m * 60.0));
    let mut done = 0;
    let more = |done: usize| {
        bounds.ops.is_none_or(|n| done < n) && deadline.is_none_or(|d| Instant::now() < d)
    };
    while more(done) {
        // A batch of commands, then a few seconds for the daemon to send.
        let left = bounds.ops.map_or(usize::MAX, |n| n - done);
        let batch = w.rng.usize(4..=12).min(left);
        for _ in 0..batch {
            w.step();
        }
        done += batch;
        std::thread::sleep(Duration::from_millis(w.rng.u64(1000..=3000)));
        w.catch_up();
        w.listing(true);
    }
    w.settle();
    w.final_check();
    w.report(done, begun.elapsed());
    // The walk proves something only if mail went out and answers came in.
    let t = &w.tally;
    assert!(
        t.deliveries > 0 && t.approvals > 0 && !t.answers.is_empty(),
        "seed {seed}: nothing was delivered or answered, so nothing was checked"
    );
    w.daemon.stop_within_ten_seconds();
    std::mem::take(&mut w.tally)
}

#[test]
fn a_short_random_walk_of_cli_commands_beside_the_daemon_keeps_every_promise() {
    let t = walk(Bounds {
        ops: Some(100),
        minutes: None,
    });
    assert!(t.jumps > 0, "the short walk jumped no days");
}

#[test]
#[ignore = "long: RAPPORT_WALK_MINUTES=30 cargo test --test it cli_daemon_walk:: -- --ignored --nocapture (or RAPPORT_WALK_OPS=3000)"]
fn a_long_random_walk_of_cli_commands_beside_the_daemon() {
    let var = |name: &str| std::env::var(name).ok();
    let minutes = var("RAPPORT_WALK_MINUTES").and_then(|v| v.parse().ok());
    let ops = var("RAPPORT_WALK_OPS").and_then(|v| v.parse().ok());
    let ops = if minutes.is_none() && ops.is_none() {
        Some(3000)
    } else {
        ops
    };
    let t = walk(Bounds { ops, minutes });
    // A long walk must have made the checks able to fail: nudges drafted to those who
    // did not answer, every route of answer taken, days jumped.
    assert!(!t.nudges.is_empty(), "no nudge was drafted");
    for route in answers::ROUTES {
        assert!(
            t.answers.get(route.label()).is_some_and(|&n| n > 0),
            "no answer by {}",
            route.label()
        );
    }
    assert!(t.jumps > 0, "no days jumped");
}
