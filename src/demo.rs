//! `rapport demo`: the whole story, in seconds, before configuring anything.
//!
//! A temporary directory gets a config (file transport, a local Maildir, its own
//! database); a bundled sample mailbox (`demo/mail`) is delivered into the Maildir step
//! by step while the demo moves the clock through three months. Every step goes through
//! the real pipeline: drafting, the approval queue, sending (as `.eml` files), sync,
//! classification, planning. The demo approves drafts itself, and says so.
//!
//! It never touches the user's own config, database or mail, and sends nothing anywhere.

use crate::cli::output::outln;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::Timestamp;

use crate::config::{self, Loaded};
use crate::core::classify::Classification;
use crate::core::model::{DraftKind, DraftStatus};
use crate::store::{NewContact, Store};

/// The sample messages, with `{{subject}}`, `{{date}}`, `{{in_reply_to}}`, `{{dtstamp}}`.
const MAIL: &[(&str, &str)] = &[
    (
        "jessica-yes",
        include_str!("../demo/mail/01-jessica-yes.eml"),
    ),
    ("lena-ooo", include_str!("../demo/mail/02-lena-ooo.eml")),
    ("sam-bounce", include_str!("../demo/mail/03-sam-bounce.eml")),
    (
        "priya-later",
        include_str!("../demo/mail/04-priya-later.eml"),
    ),
    (
        "jessica-accepts",
        include_str!("../demo/mail/05-jessica-accepts.eml"),
    ),
    (
        "jessica-thanks",
        include_str!("../demo/mail/06-jessica-thanks.eml"),
    ),
    (
        "jessica-intro-yes",
        include_str!("../demo/mail/07-jessica-intro-yes.eml"),
    ),
];

struct Demo {
    dir: PathBuf,
    cfg: Loaded,
    store: Store,
    delivered: u32,
    /// The folder stays after the demo (`--dir`): its paths may be printed.
    kept: bool,
}

fn t(s: &str) -> Result<Timestamp> {
    s.parse().with_context(|| format!("demo time {s}"))
}

fn say(now: Timestamp, text: &str) -> Result<()> {
    let day = now
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%a %Y-%m-%d %H:%M")
        .to_string();
    outln!("\n[{day}] {text}")?;
    Ok(())
}

impl Demo {
    fn new(dir: &Path) -> Result<Demo> {
        let maildir = dir.join("Mail");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub))?;
        }
        let text = format!(
            r#"[identity]
name = "Ada Lovelace"
email = "ada@example.org"
timezone = "Europe/London"
facts = ["ten years building payment systems", "moving into product management"]
narrative = "From building payment rails to shaping the products people use on top of them."

[smtp]
transport = "file"
file_dir = "{outbox}"

[maildir]
path = "{maildir}"

[store]
path = "{db}"

[templates]
dir = "{templates}"
"#,
            outbox = dir.join("outbox").display(),
            maildir = maildir.display(),
            db = dir.join("rapport.db").display(),
            templates = dir.join("templates").display(),
        );
        let path = dir.join("config.toml");
        write_private(&path, &text)?;
        let cfg = config::parse(&path, &text)?;
        let store = Store::open(&cfg.store_path)?;
        Ok(Demo {
            dir: dir.to_path_buf(),
            cfg,
            store,
            delivered: 0,
            kept: false,
        })
    }

    fn contact(&mut self, email: &str, name: &str, company: &str, now: Timestamp) -> Result<i64> {
        self.store.add_contact(
            &NewContact {
                name: name.into(),
                emails: vec![email.into()],
                company: company.into(),
                ..NewContact::default()
            },
            now,
        )
    }

    /// The request draft sent to `email`: (Message-ID, subject).
    fn request_of(&self, email: &str) -> Result<(String, String)> {
        let d = self
            .store
            .drafts(true)?
            .into_iter()
            .find(|d| d.to_addr == email && d.kind == DraftKind::MeetingRequest)
            .context("the demo's request")?;
        Ok((d.message_id, d.subject))
    }

    /// Drops a sample message into the Maildir's `new/`, answering the request to `email`.
    fn deliver(&mut self, name: &str, email: &str, now: Timestamp) -> Result<()> {
        let thread = self.request_of(email)?;
        self.deliver_in(name, thread, now)
    }

    /// Drops a sample message into the Maildir's `new/`, in the thread (Message-ID,
    /// subject) given.
    fn deliver_in(&mut self, name: &str, thread: (String, String), now: Timestamp) -> Result<()> {
        let template = MAIL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .context("demo message")?;
        let (in_reply_to, subject) = thread;
        let date = jiff::fmt::rfc2822::to_string(&now.to_zoned_datetime(jiff::tz::TimeZone::UTC))?;
        let text = template
            .replace("{{subject}}", &subject)
            .replace("{{date}}", &date)
            .replace("{{in_reply_to}}", &in_reply_to)
            .replace("{{dtstamp}}", &now.strftime("%Y%m%dT%H%M%SZ").to_string())
            .replace('\n', "\r\n");
        self.delivered += 1;
        let file = format!("{}.demo{}.rapport:2,", now.as_second(), self.delivered);
        std::fs::write(self.cfg_maildir().join("new").join(file), text)?;
        Ok(())
    }

    fn cfg_maildir(&self) -> PathBuf {
        self.dir.join("Mail")
    }

    fn sync(&mut self, now: Timestamp) -> Result<()> {
        let reports = crate::mail::maildir::sync_maildir(&mut self.store, &self.cfg, now)?;
        for r in &reports {
            if r.new == 0 {
                continue;
            }
            outln!(
                "  sync: {} new {} in {}",
                r.new,
                crate::cli::output::plural(r.new, "message", "messages"),
                r.folder
            )?;
        }
        // Say what each new message was understood as.
        for m in self.store.messages_seen_at(now)? {
            outln!(
                "  message {} from {} \"{}\": {}{}",
                m.id,
                m.from_addr,
                m.subject,
                m.label.as_str(),
                understood(&m.classification)
            )?;
        }
        Ok(())
    }

    fn plan(&mut self, now: Timestamp) -> Result<()> {
        let r = crate::followup::plan_all(&mut self.store, &self.cfg, now)?;
        for id in &r.created {
            let d = self.store.draft_or_err(*id)?;
            outln!(
                "  drafted {} {} to {} (due {}) — why: {}",
                d.kind,
                d.id,
                d.to_name,
                d.due_at.parse::<Timestamp>().map_or(d.due_at.clone(), |t| t
                    .to_zoned_datetime(self.cfg.tz.clone())
                    .strftime("%Y-%m-%d %H:%M %Z")
                    .to_string()),
                d.reason
            )?;
        }
        for (id, why) in &r.superseded {
            outln!("  withdrew draft {id}: {why}")?;
        }
        for e in &r.errors {
            outln!("  could not draft: {e}")?;
        }
        Ok(())
    }

    /// Approves every pending draft that is due, as you would with `rapport queue approve`.
    fn approve_due(&mut self, now: Timestamp) -> Result<()> {
        let now_s = crate::store::fmt_ts(now);
        for d in self.store.drafts(false)? {
            if d.status == DraftStatus::Pending && d.effective_due() <= now_s.as_str() {
                self.store.approve(d.id, now)?;
                outln!("  you approve {} {} to {}", d.kind, d.id, d.to_name)?;
            }
        }
        Ok(())
    }

    fn send(&mut self, now: Timestamp) -> Result<()> {
        let lock = crate::send::try_lock(&self.cfg.store_path)?.context("the demo's send lock")?;
        let cfg = self.cfg.clone();
        let r = crate::send::send_due(
            &mut self.store,
            &cfg,
            now,
            &lock,
            &mut |_, _| Ok(crate::send::Verdict::Proceed),
            &|| false,
        )?;
        for id in &r.sent {
            let d = self.store.draft_or_err(*id)?;
            outln!(
                "  sent {} {} to {} <{}>: \"{}\"",
                d.kind,
                d.id,
                d.to_name,
                d.to_addr,
                d.subject
            )?;
        }
        for (id, why) in &r.skipped {
            outln!("  withdrew {id} instead of sending: {why}")?;
        }
        if let Some(h) = &r.held {
            outln!("  held back: {h}")?;
        }
        Ok(())
    }

    fn stage(&self, email: &str, now: Timestamp) -> Result<()> {
        let id = self
            .store
            .contact_id_by_address(email)?
            .context("demo contact")?;
        let c = self.store.contact(id)?.context("demo contact")?;
        let p = crate::followup::plan_contact(&self.store, &self.cfg, &c, now)?;
        let stage = serde_json::to_value(&p.stage)?;
        let name = stage
            .get("stage")
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_string();
        outln!("  {}: stage {name}; next: {}", c.name, p.next)?;
        Ok(())
    }
}

/// Preparing and growing: the brief, action items, goals (issue 12's part of the story).
impl Demo {
    fn contact_of(&self, email: &str) -> Result<crate::store::Contact> {
        let id = self
            .store
            .contact_id_by_address(email)?
            .context("demo contact")?;
        self.store.contact(id)?.context("demo contact")
    }

    /// The brief Ada reads the day before, as `rapport brief` prints it.
    fn brief(&self, email: &str, now: Timestamp) -> Result<()> {
        let c = self.contact_of(email)?;
        let b = crate::briefing::brief(&self.store, &self.cfg, &c, now)?;
        outln!("  `rapport brief {}`:\n", c.name)?;
        for line in crate::core::brief::render_text(&b).lines() {
            outln!("    | {line}")?;
        }
        Ok(())
    }

    /// Records the gist and a promise, as `rapport note` and `rapport todo` do.
    fn note_and_todo(
        &self,
        email: &str,
        note: &str,
        todo: &str,
        due: &str,
        now: Timestamp,
    ) -> Result<()> {
        let c = self.contact_of(email)?;
        self.store.add_interaction(&crate::store::NewInteraction {
            contact_id: c.id,
            at: now,
            kind: crate::core::model::InteractionKind::Note,
            summary: note,
            message_key: "",
            draft_id: None,
            detail: serde_json::json!({}),
            source: "user",
        })?;
        outln!("  note on {}: {note}", c.name)?;
        let due: jiff::civil::Date = due.parse()?;
        let id = self.store.add_todo(c.id, todo, Some(due), now)?;
        outln!("  action item {id} for {}: {todo} (due {due})", c.name)?;
        Ok(())
    }

    /// The open action items, as `rapport todo` lists them.
    fn todos(&self, now: Timestamp) -> Result<()> {
        let today = now.to_zoned_datetime(self.cfg.tz.clone()).date();
        for i in crate::core::todo::order_open(&self.store.open_todos()?, today) {
            outln!(
                "  todo {}: {} ({}) {}",
                i.id,
                i.text,
                i.contact,
                i.due_label(today)
            )?;
        }
        Ok(())
    }

    /// Progress against the goals, as `rapport goals --weeks N` shows it.
    fn goals(&self, weeks: u32, now: Timestamp) -> Result<()> {
        let tz = &self.cfg.tz;
        let since = crate::core::goals::period_start(now, tz, weeks - 1).context("goals period")?;
        let g = &self.cfg.config.goals;
        let targets = crate::core::goals::Targets {
            new_contacts_per_month: g.new_contacts_per_month,
            conversations_per_week: g.conversations_per_week,
            gives_per_month: g.gives_per_month,
        };
        let p = crate::core::goals::progress(
            &self.store.contacts_added_since(since)?,
            &self.store.goal_activity(since)?,
            targets,
            weeks,
            now,
            tz,
        );
        let chart = crate::core::goals::chart(&p, crate::cli::goals::wants_ascii());
        for line in chart.lines() {
            outln!("  {line}")?;
        }
        outln!("  {}", p.verdict)?;
        Ok(())
    }
}

/// The parts of a classification worth a word: intent, "later" and away dates, meeting.
fn understood(c: &Classification) -> String {
    let mut extra = String::new();
    if let Some(i) = c.intent {
        extra.push_str(&format!(", intent {}", i.as_str()));
    }
    if let Some(u) = c.later_until {
        extra.push_str(&format!(" until {u}"));
    }
    if let Some(u) = c.auto_reply_until {
        extra.push_str(&format!(", back {u}"));
    }
    if let Some(s) = c.meeting.as_ref().and_then(|m| m.start) {
        extra.push_str(&format!(", meeting at {s}"));
    }
    extra
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// The five people Ada met: (address, name, company).
const PEOPLE: [(&str, &str, &str); 5] = [
    ("jessica@example.com", "Jessica Park", "Example Corp"),
    ("omar@example.org", "Omar Haddad", "Acme"),
    ("lena@example.net", "Lena Vogel", "Vogel Design"),
    ("sam@old-company.example", "Sam Doe", "Old Company"),
    ("priya@example.io", "Priya Nair", "Launchpad"),
];

/// Runs the demo in `dir` (a fresh temporary directory when `None`).
pub fn run(dir: Option<&Path>) -> Result<()> {
    let mut temp = None;
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.to_path_buf()
        }
        None => {
            let t = temp.insert(tempfile::Builder::new().prefix("rapport-demo").tempdir()?);
            t.path().to_path_buf()
        }
    };
    let mut demo = Demo::new(&dir)?;
    demo.kept = temp.is_none();
    if demo.kept {
        outln!(
            "rapport demo — a few relationships over three months, in {}.",
            dir.display()
        )?;
    } else {
        outln!(
            "rapport demo — a few relationships over three months, in a temporary folder deleted at the end (`rapport demo --dir PATH` keeps it)."
        )?;
    }
    outln!("Ada uses rapport. Nothing leaves this machine: emails are written as .eml files.")?;
    demo.requests()?;
    demo.replies()?;
    demo.meeting_and_nudge()?;
    demo.after_the_meeting()?;
    demo.the_weeks_after()?;
    demo.months_later()?;
    demo.give()?;
    demo.epilogue()
}

/// The story, one method per stretch of time.
impl Demo {
    fn requests(&mut self) -> Result<()> {
        let now = t("2026-11-02T10:00:00Z")?;
        say(
            now,
            "Ada adds five people she met at a conference and asks each for 25 minutes.",
        )?;
        let templates = crate::followup::draft::load_templates(&self.cfg.templates_dir)?;
        for (email, name, company) in PEOPLE {
            let id = self.contact(email, name, company, now)?;
            let c = self.store.contact(id)?.context("contact")?;
            crate::followup::draft::create(
                &self.store,
                &self.cfg,
                &templates,
                &crate::followup::draft::Request {
                    contact: &c,
                    kind: DraftKind::MeetingRequest,
                    template: "meeting-request",
                    reason: format!("you asked on {}", now.strftime("%Y-%m-%d")),
                    reason_key: format!("request:{}", crate::store::fmt_ts(now)),
                    due: now,
                    thread: None,
                    meeting_day: String::new(),
                    later_when: String::new(),
                    intro: None,
                    share: None,
                },
                now,
            )?;
        }
        let first = self
            .store
            .drafts(false)?
            .into_iter()
            .next()
            .context("a draft")?;
        outln!("  the queue holds 5 meeting requests; the first reads:\n")?;
        for line in first.body.lines() {
            outln!("    | {line}")?;
        }
        self.approve_due(now)?;
        self.send(now)
    }

    fn replies(&mut self) -> Result<()> {
        let now = t("2026-11-03T09:30:00Z")?;
        say(
            now,
            "Replies come in: a yes, an out-of-office, a bounce, and a \"later\".",
        )?;
        self.deliver("jessica-yes", "jessica@example.com", now)?;
        self.deliver("lena-ooo", "lena@example.net", now)?;
        self.deliver("sam-bounce", "sam@old-company.example", now)?;
        self.deliver("priya-later", "priya@example.io", now)?;
        self.sync(now)?;
        self.plan(now)
    }

    fn meeting_and_nudge(&mut self) -> Result<()> {
        let now = t("2026-11-04T12:00:00Z")?;
        say(
            now,
            "Ada sends Jessica an invitation for Tuesday 10 November, 15:00; Jessica accepts.",
        )?;
        self.deliver("jessica-accepts", "jessica@example.com", now)?;
        self.sync(now)?;
        self.stage("jessica@example.com", now)?;

        let now = t("2026-11-09T10:00:00Z")?;
        say(
            now,
            "A week without an answer from Omar: rapport drafts one gentle nudge, in the same thread.",
        )?;
        self.turn(now)?;
        self.stage("lena@example.net", now)?;
        outln!("\n  Jessica's meeting is tomorrow; Ada prepares.")?;
        self.brief("jessica@example.com", now)
    }

    fn after_the_meeting(&mut self) -> Result<()> {
        let now = t("2026-11-11T09:15:00Z")?;
        say(
            now,
            "The meeting with Jessica ended yesterday at 15:25: the thank-you is drafted.",
        )?;
        self.turn(now)?;

        let now = t("2026-11-11T13:00:00Z")?;
        say(now, "Jessica answers the thank-you.")?;
        self.deliver("jessica-thanks", "jessica@example.com", now)?;
        self.sync(now)?;
        self.note_and_todo(
            "jessica@example.com",
            "wants intros to fintech PMs",
            "send Jessica the fintech intro",
            "2026-11-20",
            now,
        )
    }

    fn the_weeks_after(&mut self) -> Result<()> {
        let now = t("2026-11-17T10:00:00Z")?;
        say(
            now,
            "Lena is back from her time off: her nudge, held until after her return, is due.",
        )?;
        self.turn(now)?;

        let now = t("2026-11-23T10:00:00Z")?;
        say(
            now,
            "Two weeks after the nudge, still nothing from Omar: no more emails to him.",
        )?;
        self.plan(now)?;
        self.stage("omar@example.org", now)?;
        self.stage("sam@old-company.example", now)?;
        self.todos(now)
    }

    fn months_later(&mut self) -> Result<()> {
        let now = t("2026-12-01T10:00:00Z")?;
        say(
            now,
            "Four weeks after Priya said \"later\": rapport asks again.",
        )?;
        self.turn(now)?;

        let now = t("2027-02-15T10:00:00Z")?;
        say(
            now,
            "About three months after the last word with Jessica: a check-in is due.",
        )?;
        self.turn(now)
    }

    /// Giving before asking: a double opt-in introduction and a share.
    fn give(&mut self) -> Result<()> {
        let now = t("2027-02-16T10:00:00Z")?;
        say(
            now,
            "Ada shares a talk with everyone: one personal email each, skipping whoever it would crowd or who went silent.",
        )?;
        let mut people = Vec::new();
        for (email, _, _) in PEOPLE {
            people.push(self.contact_of(email)?);
        }
        let what = crate::core::render::ShareData {
            url: "https://example.org/payments-at-scale".into(),
            title: "Payments at scale (a talk)".into(),
            note: String::new(),
            why: "it made me think of our conversation".into(),
        };
        let out = crate::followup::share::share(&self.store, &self.cfg, &people, &what, now)?;
        for (id, _, name) in &out.drafted {
            outln!("  drafted share {id} to {name}")?;
        }
        for (_, name, why) in &out.skipped {
            outln!("  skipped {name}: {why}")?;
        }
        self.approve_due(now)?;
        self.send(now)?;

        say(
            now,
            "Ada gives before she asks: Jessica wanted fintech intros, so Ada offers to introduce her to Priya. Double opt-in: Jessica is asked first; Priya hears nothing yet.",
        )?;
        let a = self.contact_of("jessica@example.com")?;
        let b = self.contact_of("priya@example.io")?;
        let why = "Priya builds payment systems at Launchpad";
        let started = crate::followup::intros::start(&self.store, &self.cfg, &a, &b, why, now)?;
        let ask = self.store.draft_or_err(started.draft)?;
        outln!(
            "  `rapport intro jessica priya --why \"{why}\"` drafts only the ask to Jessica:\n"
        )?;
        for line in ask.body.lines() {
            outln!("    | {line}")?;
        }
        self.approve_due(now)?;
        self.send(now)?;

        let now = t("2027-02-17T09:30:00Z")?;
        say(now, "Jessica says yes: now, and only now, Priya is asked.")?;
        self.deliver_in("jessica-intro-yes", (ask.message_id, ask.subject), now)?;
        self.sync(now)?;
        self.turn(now)?;
        let mut quiet = crate::followup::PlanReport::default();
        crate::followup::intros::advance(&self.store, &self.cfg, now, &mut quiet)?;
        for i in self.store.intros(true)? {
            outln!(
                "  `rapport intros`: intro {} is {}; next: {}",
                i.id,
                i.stage,
                i.next
            )?;
        }

        self.approve_due(now)?;
        self.send(now)
    }

    /// Where everyone stands, the goals, and the emails written.
    fn epilogue(&mut self) -> Result<()> {
        let now = t("2027-02-15T10:00:00Z")?;
        outln!("\nWhere everyone stands:")?;
        for (email, _, _) in PEOPLE {
            self.stage(email, now)?;
        }
        outln!("\nGoals over the story's 16 weeks (`rapport goals --weeks 16`):")?;
        self.goals(16, now)?;
        let outbox = self.dir.join("outbox");
        let mut sent: Vec<String> = std::fs::read_dir(&outbox)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".eml"))
                    .collect()
            })
            .unwrap_or_default();
        sent.sort();
        if self.kept {
            outln!(
                "\n{} emails were approved and written to {}:",
                sent.len(),
                outbox.display()
            )?;
        } else {
            outln!(
                "\n{} emails were approved and written as .eml files, deleted with the demo's folder; `rapport demo --dir PATH` keeps them to read:",
                sent.len()
            )?;
        }
        for s in &sent {
            outln!("  {s}")?;
        }
        outln!("\nNext: `rapport init`, then `rapport doctor`. The README explains the rest.")?;
        Ok(())
    }

    /// A daemon turn, with the user at the queue: plan, approve what is due, send it.
    fn turn(&mut self, now: Timestamp) -> Result<()> {
        self.plan(now)?;
        self.approve_due(now)?;
        self.send(now)
    }
}
