//! The walk's operations on rapport: the CLI commands a user runs, holding the daemon at
//! its gate, and jumping the clock by days (the daemon stopped and started again).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jiff::SignedDuration;

use super::{Clock, Person, Retired, WAIT, Walk, start_daemon, strip_id, text};

impl Walk<'_> {
    /// A new person (an account on the servers, then a contact).
    pub(super) fn add_person(&mut self, user: &str, name: &str, met: Option<&str>) -> usize {
        self.s.add_user(user, "walker-secret");
        let addr = format!("{user}@example.test");
        let mut args = vec!["contacts", "add", addr.as_str(), "--name", name];
        if let Some(met) = met {
            args.extend(["--met", met]);
        }
        self.run_ok(&args);
        let show = self.run_ok(&["contacts", "show", &addr, "--json"]).json();
        let id = show["contact"]["id"].as_i64().unwrap();
        self.people.push(Person {
            addr,
            name: name.to_string(),
            id,
            retired: None,
            answered: None,
        });
        self.people.len() - 1
    }

    /// A new contact and a request to them.
    pub(super) fn request_new(&mut self) {
        let n = self.people.len();
        let i = self.add_person(&format!("walker{n}"), &format!("Walker {n}"), None);
        let addr = self.people[i].addr.clone();
        self.run(&["request", &addr]);
    }

    /// Another request to someone already known (refused while one is open).
    pub(super) fn request_again(&mut self) {
        let live = self.live();
        if let Some(i) = self.pick(&live) {
            let addr = self.people[i].addr.clone();
            self.run(&["request", &addr]);
        }
    }

    pub(super) fn approve_one(&mut self) {
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

    /// `queue` lists, then `approve --all` approves what it listed (and only that: a
    /// draft the daemon made or withdrew meanwhile is not approved).
    pub(super) fn approve_all(&mut self) {
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
                self.approved.insert(mid, shown);
            }
        }
    }

    /// A rejected or snoozed draft needs a new approval (a snooze ends in `pending`), so
    /// whatever was approved of it no longer is.
    pub(super) fn reject_or_snooze(&mut self, reject: bool) {
        let drafts = self.listing(false);
        let open = Self::ids_with(&drafts, &["pending", "approved", "snoozed"]);
        let Some(id) = self.pick(&open) else { return };
        let mid = drafts
            .iter()
            .find(|d| d["id"] == id)
            .map(|d| strip_id(&text(d, "message_id")))
            .unwrap_or_default();
        let id = id.to_string();
        let r = if reject {
            self.run(&["queue", "reject", &id])
        } else {
            let days = format!("{}d", self.rng.u8(1..=5));
            self.run(&["queue", "snooze", &id, "--for", &days])
        };
        if r.code == 0 {
            self.approved.remove(&mid);
        }
    }

    /// `queue edit` with an editor that appends a line: the draft's new text needs a
    /// new approval.
    pub(super) fn edit(&mut self) {
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

    pub(super) fn remove(&mut self) {
        let live = self.live();
        let Some(i) = self.pick(&live) else { return };
        let addr = self.people[i].addr.clone();
        let gated = self.rng.bool();
        let parked_at = gated.then(|| self.park());
        let r = self.run(&["contacts", "remove", &addr, "--yes"]);
        self.unpark();
        // `remove` refuses while a draft to them is being sent: nothing is in flight.
        if r.code == 0 {
            self.tally.gated_retirements += usize::from(gated);
            self.retire(i, "removed".into(), parked_at, HashSet::new(), None);
        }
    }

    pub(super) fn do_not_contact(&mut self) {
        let live = self.live();
        let Some(i) = self.pick(&live) else { return };
        let (addr, contact) = (self.people[i].addr.clone(), self.people[i].id);
        let gated = self.rng.bool();
        let parked_at = gated.then(|| self.park());
        let r = self.run(&["contacts", "edit", &addr, "--do-not-contact"]);
        if r.code == 0 {
            // Held at the gate nothing is being sent; otherwise a draft claimed before
            // the change may still be on the wire.
            let (sending, _) = self.drafts_of(contact);
            assert!(
                !gated || sending.is_empty(),
                "drafts {sending:?} are being sent while the daemon waits at its gate\n{}",
                self.context()
            );
            self.tally.gated_retirements += usize::from(gated);
            self.retire(i, "marked do-not-contact".into(), parked_at, sending, None);
        }
        self.unpark();
    }

    /// Message-IDs of the drafts to `contact`: those being sent, and all the others.
    pub(super) fn drafts_of(&mut self, contact: i64) -> (HashSet<String>, HashSet<String>) {
        let mut sending = HashSet::new();
        let mut others = HashSet::new();
        for d in self.listing(true) {
            if d["contact_id"] != contact {
                continue;
            }
            let mid = strip_id(&text(&d, "message_id"));
            if d["status"] == "sending" {
                sending.insert(mid);
            } else {
                others.insert(mid);
            }
        }
        (sending, others)
    }

    /// From now on (or from `parked_at`, the delivery count when the daemon stopped at
    /// its gate) the person may get nothing barred.
    pub(super) fn retire(
        &mut self,
        i: usize,
        why: String,
        parked_at: Option<usize>,
        in_flight: HashSet<String>,
        only: Option<HashSet<String>>,
    ) {
        // What arrived up to now was sent before this (or while it happened).
        self.catch_up();
        self.people[i].retired = Some(Retired {
            why,
            after: parked_at.unwrap_or(self.checked),
            in_flight,
            only,
        });
    }

    pub(super) fn send(&mut self) {
        self.run(&["send"]);
    }

    /// Holds the daemon at its gate (between a turn's sync and its sends): the gate
    /// file goes, a kick starts a turn, and the turn says it waits by writing
    /// `gate.waiting`. Returns the deliveries so far: nothing is sent while it waits.
    pub(super) fn park(&mut self) -> usize {
        let waiting = self.gate.with_extension("waiting");
        // The gate first: a `.waiting` written after this is from a turn that will
        // find the gate shut (it looks after writing it).
        std::fs::remove_file(&self.gate).unwrap();
        let _ = std::fs::remove_file(&waiting);
        self.daemon.signal("USR1");
        let start = Instant::now();
        while !waiting.exists() {
            self.daemon_alive();
            assert!(
                start.elapsed() < WAIT,
                "the daemon never reached its gate\n{}",
                self.context()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.trail.push("  (daemon held at its gate)".into());
        self.catch_up();
        self.checked
    }

    /// Lets the daemon go on (the gate is open whenever the walk is not holding it).
    pub(super) fn unpark(&mut self) {
        if !self.gate.exists() {
            std::fs::write(&self.gate, b"").unwrap();
            self.trail.push("  (gate opened)".into());
        }
    }

    /// Days pass: the daemon is stopped (SIGTERM, as systemd would), the clock moves on
    /// 2-9 days, and the daemon starts again at the new time.
    pub(super) fn jump(&mut self) {
        let days = self.rng.i64(2..=9);
        self.jump_days(days);
    }

    pub(super) fn jump_days(&mut self, days: i64) {
        self.daemon.stop_within_ten_seconds();
        self.catch_up();
        let home = self.env.home().to_path_buf();
        std::fs::rename(
            home.join("daemon.log"),
            home.join(format!("daemon-{}.log", self.daemons)),
        )
        .unwrap();
        let base = self.now() + SignedDuration::from_hours(24 * days);
        self.clock = Clock {
            base,
            at: Instant::now(),
        };
        self.env.now = base.to_string();
        self.daemon = start_daemon(&self.env, &self.gate);
        self.daemons += 1;
        self.tally.jumps += 1;
        self.tally.days += days;
        self.trail.push(format!("  (jumped {days} days to {base})"));
    }
}
