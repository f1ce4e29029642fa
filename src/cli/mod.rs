//! The command line: one binary, `rapport`, with subcommands.
//!
//! Data goes to stdout (tables for people, one JSON document with `--json` for scripts);
//! logs and errors go to stderr. Every error says what happened and what to do. The CLI
//! talks to the daemon only through the database.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

mod approve;
mod brief;
mod calendars;
mod completions;
mod contacts;
mod contacts_account;
mod daemon;
mod digest;
mod doctor;
mod doctor_logins;
mod doctor_smtp;
mod edit;
pub(crate) mod goals;
mod intro;
mod intros;
mod man;
mod map;
mod mark;
mod meeting;
mod meeting_proposals;
mod next_step;
pub(crate) mod output;
mod plan;
mod queue;
mod request;
mod review;
mod review_proposal;
mod review_reading;
mod send;
mod send_look;
mod setup;
mod share;
mod status;
mod sync;
mod todo;
mod why;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use jiff::Timestamp;

use crate::config::{self, Loaded};
use crate::store::Store;
use output::{errln, outln};

#[derive(Parser, Debug)]
#[command(
    name = "rapport",
    version,
    about = "Keeps your professional network alive: drafts follow-ups from your mailbox, sends only what you approve"
)]
pub struct Cli {
    /// The config file (default: $RAPPORT_CONFIG, else ~/.config/rapport/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// See rapport at work on a bundled sample mailbox, in a temporary directory.
    Demo {
        /// Keep the demo's files (config, database, Maildir, sent .eml files) here.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write a commented config file and create the data directory.
    Init(setup::InitArgs),
    /// Manage contacts: add, list, show, edit, remove, import.
    #[command(subcommand)]
    Contacts(contacts::ContactsCmd),
    /// Record the gist of a conversation on a contact's timeline.
    Note {
        /// An id, an email address, or part of a name.
        #[arg(add = completions::contacts())]
        contact: String,
        /// The note.
        text: String,
        /// The day you agreed to talk again (YYYY-MM-DD): the next check-in is planned
        /// for it instead of the tier's cadence.
        #[arg(long, value_name = "DATE")]
        next_contact: Option<String>,
    },
    /// Action items: `todo CONTACT "text" [--due DATE]` adds one, `todo` lists the open
    /// ones (overdue first), `todo done ID` marks one done.
    Todo(todo::TodoArgs),
    /// The brief to read the day before a meeting: who, how you met, the thread, notes,
    /// promises, the meeting, what you want them to know, a conversation plan.
    Brief {
        /// The contact: an id, an email address, or part of a name.
        #[arg(add = completions::contacts())]
        contact: String,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// The network as a picture: one self-contained HTML page (or `--format svg`), by
    /// tier and company, recency, frequency and stage.
    Map(map::MapArgs),
    /// Progress against [goals]: new people this month, conversations this week, the
    /// reply rate, a chart of the last weeks and a verdict.
    Goals {
        /// How many weeks the chart shows (1-104).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=104))]
        weeks: u32,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// Draft the meeting request to a contact (it waits in the queue for approval).
    Request(request::RequestArgs),
    /// Introduce A to B, double opt-in: A is asked first, B only after A's yes, the
    /// introduction to both only after both said yes (each email waits for approval).
    Intro(intro::IntroArgs),
    /// The introductions: who, the stage, what happens next (open ones; `--all`).
    Intros(intros::IntrosArgs),
    /// Share a link or a note: one personal draft per person (never one email to many),
    /// skipping anyone it would crowd; it counts as a touch.
    Share(share::ShareArgs),
    /// The approval queue: list, show, edit, approve, reject, snooze, resolve.
    Queue(queue::QueueArgs),
    /// Send every approved draft that is due (inside the send window, under the cap).
    Send(send::SendArgs),
    /// Read the mailbox once: new messages, classified, onto the timelines.
    Sync(sync::SyncArgs),
    /// Explain how a message was classified, and the evidence.
    Why(why::WhyArgs),
    /// Correct a message's label; the timeline is re-derived and later syncs keep it.
    Mark(mark::MarkArgs),
    /// Run the daemon: sync, plan, send what is approved and due (for systemd).
    Daemon,
    /// Is the daemon running, when did each folder last sync, what is queued.
    Status {
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// Check the config, permissions, passwords, IMAP and SMTP logins, folders, templates.
    Doctor,
    /// Draft what is due now (the daemon does this every turn).
    Plan(plan::PlanArgs),
    /// Meetings: add one agreed outside email, list, move or remove them.
    #[command(subcommand)]
    Meeting(meeting::MeetingCmd),
    /// Walk through what waits for you, one item at a time, oldest first (needs a terminal).
    Review,
    /// The morning digest: what waits for you today (drafts, replies, meetings), printed.
    Digest {
        /// Send today's digest to yourself if it is due and not sent yet, as the daemon does.
        #[arg(long)]
        send_if_due: bool,
    },
    /// Print a manual page (roff): `rapport man > ~/.local/share/man/man1/rapport.1`,
    /// `rapport man rapport.toml > ~/.local/share/man/man5/rapport.toml.5`.
    Man(man::ManArgs),
    /// Print shell completions (commands, flags, contact addresses, draft ids), e.g. `rapport completions bash > ~/.local/share/bash-completion/completions/rapport`.
    Completions(completions::CompletionsArgs),
    /// Check or preview templates.
    #[command(subcommand)]
    Templates(setup::TemplatesCmd),
}

/// Entry point for the binary.
pub fn main() -> ExitCode {
    // A shell asking for completions (RAPPORT_COMPLETE set by the script
    // `rapport completions` printed) is answered and ends here, before any output.
    completions::complete_if_asked();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout, usage errors to stderr; a closed pipe or a
            // full disk while printing them changes nothing about the exit code.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    crate::logging::init(cli.verbose, matches!(cli.command, Command::Daemon));
    finish(run(cli).and_then(|code| {
        output::flush()?;
        Ok(code)
    }))
}

/// The exit code and the one error line for a command's result.
fn finish(result: Result<ExitCode>) -> ExitCode {
    // What the command wrote before it failed still goes out, before the error line.
    // (The error itself is what gets reported.)
    if result.is_err() {
        let _ = output::flush();
    }
    match result {
        Ok(code) => code,
        Err(e) => match output::stdout_error(&e) {
            // The reader has what it wanted (`rapport queue | head -1`).
            Some(w) if w.is_closed_pipe() => ExitCode::SUCCESS,
            Some(w) => {
                errln!("error: {w}");
                ExitCode::FAILURE
            }
            None => {
                errln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

/// What most commands need: the config, the store, and the time.
pub(crate) struct Ctx {
    pub cfg: Loaded,
    pub store: Store,
    pub now: Timestamp,
}

impl Ctx {
    fn open(config_flag: Option<&std::path::Path>) -> Result<Ctx> {
        let path = config::config_path(config_flag).map_err(anyhow::Error::msg)?;
        let cfg = config::load(&path)?;
        let store = Store::open(&cfg.store_path)?;
        let now = crate::clock::now()?;
        Ok(Ctx { cfg, store, now })
    }

    /// Opens, then brings the database current (see [`Ctx::bring_current`]).
    fn open_current(config_flag: Option<&std::path::Path>) -> Result<Ctx> {
        let mut ctx = Ctx::open(config_flag)?;
        ctx.bring_current()?;
        Ok(ctx)
    }

    /// Plans first and applies what the last sync saw, so what the command shows is
    /// current without the daemon: a due nudge is drafted, a draft whose reason went away
    /// is withdrawn. What changed is said on stderr (stdout stays the command's own).
    pub fn bring_current(&mut self) -> Result<()> {
        let r = crate::followup::bring_current(&mut self.store, &self.cfg, self.now)?;
        for (id, why) in &r.superseded {
            errln!("Withdrew draft {id}: {why}.");
        }
        for e in &r.errors {
            errln!("Could not draft: {e}");
        }
        Ok(())
    }

    /// Exactly one contact for CONTACT, or an error listing the candidates.
    pub fn one_contact(&self, query: &str) -> Result<crate::store::Contact> {
        let found = self.store.find_contacts(query)?;
        match found.len() {
            1 => Ok(found.into_iter().next().context("one contact")?),
            0 => anyhow::bail!(
                "no contact matches {query:?}; `rapport contacts list` shows them, `rapport contacts add EMAIL` adds one"
            ),
            _ => {
                let lines: Vec<String> = found
                    .iter()
                    .map(|c| {
                        format!(
                            "  {:>4}  {}  {}",
                            c.id,
                            c.display_name(),
                            c.emails.first().map_or("", |e| e.address.as_str())
                        )
                    })
                    .collect();
                anyhow::bail!(
                    "{query:?} matches {} contacts; use the id or the address:\n{}",
                    found.len(),
                    lines.join("\n")
                )
            }
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let config_flag = cli.config.as_deref();
    match cli.command {
        Command::Init(args) => setup::init(config_flag, &args),
        Command::Demo { dir } => crate::demo::run(dir.as_deref()).map(|_| ExitCode::SUCCESS),
        Command::Contacts(cmd) => contacts::run(Ctx::open(config_flag)?, cmd),
        Command::Note {
            contact,
            text,
            next_contact,
        } => contacts::note(
            &Ctx::open(config_flag)?,
            &contact,
            &text,
            next_contact.as_deref(),
        ),
        Command::Todo(args) => todo::run(&Ctx::open(config_flag)?, args),
        Command::Brief { contact, json } => brief::run(&Ctx::open(config_flag)?, &contact, json),
        Command::Goals { weeks, json } => goals::run(&Ctx::open(config_flag)?, weeks, json),
        Command::Map(args) => map::run(&Ctx::open(config_flag)?, args),
        Command::Request(args) => request::run(config_flag, &args),
        Command::Intro(args) => intro::run(config_flag, &args),
        Command::Intros(args) => intros::run(Ctx::open(config_flag)?, &args),
        Command::Share(args) => share::run(config_flag, &args),
        Command::Queue(args) => queue::run(Ctx::open(config_flag)?, args),
        Command::Send(args) => send::run(config_flag, args),
        Command::Templates(cmd) => setup::templates(config_flag, cmd),
        Command::Daemon => daemon::daemon(config_flag),
        Command::Status { json } => status::run(config_flag, json),
        Command::Doctor => doctor::doctor(config_flag),
        Command::Plan(args) => plan::run(config_flag, &args),
        Command::Sync(args) => sync::run(config_flag, &args),
        Command::Why(args) => why::run(&Ctx::open(config_flag)?, &args),
        Command::Mark(args) => mark::run(config_flag, args),
        Command::Man(args) => man::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Review => review::run(Ctx::open(config_flag)?),
        Command::Digest { send_if_due } => digest::run(Ctx::open(config_flag)?, send_if_due),
        Command::Meeting(cmd) => meeting::run(Ctx::open(config_flag)?, cmd),
    }
}

/// `rapport man` and `rapport completions`: generated text, written as one piece.
pub(crate) fn print_generated(
    render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<ExitCode> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    output::write_out(format_args!("{}", String::from_utf8_lossy(&buf)))?;
    Ok(ExitCode::SUCCESS)
}

/// Wakes a daemon running on this database so it acts on what just changed, and says so.
pub(crate) fn kick_daemon(ctx: &Ctx) {
    match crate::daemon::kick(&ctx.cfg.store_path) {
        Ok(Some(pid)) => {
            let _ = output::outln!("Told the daemon (pid {pid}); it is looking now.");
        }
        Ok(None) => {}
        Err(e) => output::errln!("warning: {e:#}"),
    }
}

/// Prints one JSON document.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

/// Shortens text to `max` columns for a table cell, measured in display width (a CJK
/// character takes two columns, a combining accent none), on one line and shown safely
/// ([`output::one_line`]: control characters and bidi controls made visible).
/// Padded with `{:<N}`, it fills N columns on the screen, not N characters.
pub(crate) fn cell(s: &str, max: usize) -> Cell {
    use unicode_width::UnicodeWidthChar;
    let s = output::one_line(s);
    if display_width(&s) <= max {
        return Cell(s);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max.saturating_sub(1) {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cell(out)
}

/// How many terminal columns `s` takes.
pub(crate) fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// A table cell: padded to a width (`{:<20}`, `{:>6}`) by display columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell(pub String);

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(width) = f.width() else {
            return f.write_str(&self.0);
        };
        let fill = width.saturating_sub(display_width(&self.0));
        let (before, after) = match f.align() {
            Some(std::fmt::Alignment::Right) => (fill, 0),
            Some(std::fmt::Alignment::Center) => (fill / 2, fill - fill / 2),
            _ => (0, fill),
        };
        write!(f, "{:before$}{}{:after$}", "", self.0, "")
    }
}

#[cfg(test)]
mod tests;
