//! The command line: one binary, `rapport`, with subcommands.
//!
//! Data goes to stdout (tables for people, one JSON document with `--json` for scripts);
//! logs and errors go to stderr. Every error says what happened and what to do. The CLI
//! talks to the daemon only through the database.

mod contacts;
mod mailbox;
mod queue;
mod service;
mod setup;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use jiff::Timestamp;

use crate::config::{self, Loaded};
use crate::store::Store;

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
        contact: String,
        /// The note.
        text: String,
    },
    /// Draft the meeting request to a contact (it waits in the queue for approval).
    Request {
        contact: String,
        /// Use another template than `meeting-request`.
        #[arg(long, value_name = "NAME")]
        template: Option<String>,
    },
    /// The approval queue: list, show, edit, approve, reject, snooze, resolve.
    Queue(queue::QueueArgs),
    /// Send every approved draft that is due (inside the send window, under the cap).
    Send {
        #[arg(long)]
        json: bool,
    },
    /// Read the mailbox once: new messages, classified, onto the timelines.
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// Explain how a message was classified, and the evidence.
    Why {
        /// A Message-ID or the message id the timeline prints.
        message: String,
        #[arg(long)]
        json: bool,
    },
    /// Correct a message's label; the timeline is re-derived and later syncs keep it.
    Mark {
        message: String,
        /// meeting_invite, human_reply, thank_you, auto_reply, bounce, bulk, other, ...
        label: String,
        /// For human_reply: yes, no, later or other.
        #[arg(long)]
        intent: Option<String>,
        /// For intent later: the date to come back (2027-01-15).
        #[arg(long)]
        until: Option<String>,
    },
    /// Run the daemon: sync, plan, send what is approved and due (for systemd).
    Daemon,
    /// Is the daemon running, when did each folder last sync, what is queued.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Check the config, permissions, passwords, IMAP and SMTP logins, folders, templates.
    Doctor,
    /// Draft what is due now (the daemon does this every turn).
    Plan {
        #[arg(long)]
        json: bool,
    },
    /// Meetings agreed outside email.
    #[command(subcommand)]
    Meeting(MeetingCmd),
    /// Check or preview templates.
    #[command(subcommand)]
    Templates(setup::TemplatesCmd),
}

#[derive(Subcommand, Debug)]
enum MeetingCmd {
    /// Record a meeting (a call, an event) with a contact.
    Add {
        contact: String,
        /// Local date and time, e.g. 2026-12-01T15:00.
        #[arg(long)]
        at: String,
        #[arg(long, default_value_t = 25)]
        minutes: u32,
    },
}

/// Entry point for the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::logging::init(cli.verbose, matches!(cli.command, Command::Daemon));
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
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
                            c.emails.first().map(|e| e.address.as_str()).unwrap_or("")
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
        Command::Note { contact, text } => {
            let ctx = Ctx::open(config_flag)?;
            contacts::note(&ctx, &contact, &text)
        }
        Command::Request { contact, template } => {
            let ctx = Ctx::open(config_flag)?;
            let code = queue::request(&ctx, &contact, template.as_deref())?;
            kick_daemon(&ctx);
            Ok(code)
        }
        Command::Queue(args) => queue::run(Ctx::open(config_flag)?, args),
        Command::Send { json } => queue::send(Ctx::open(config_flag)?, json),
        Command::Templates(cmd) => setup::templates(config_flag, cmd),
        Command::Daemon => service::daemon(config_flag),
        Command::Status { json } => service::status(&Ctx::open(config_flag)?, json),
        Command::Doctor => service::doctor(config_flag),
        Command::Plan { json } => {
            let mut ctx = Ctx::open(config_flag)?;
            let cfg = ctx.cfg.clone();
            let r = crate::planning::plan_all(&mut ctx.store, &cfg, ctx.now)?;
            if json {
                print_json(&r)?;
            } else {
                for id in &r.created {
                    if r.auto_approved.contains(id) {
                        println!("Drafted {id} and approved it (policy.auto_approve).");
                    } else {
                        println!("Drafted {id}.");
                    }
                }
                for (id, why) in &r.superseded {
                    println!("Withdrew {id}: {why}");
                }
                for e in &r.errors {
                    println!("Could not draft: {e}");
                }
                if r.created.is_empty() && r.superseded.is_empty() {
                    println!("Nothing new to draft.");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sync { json } => {
            let ctx = Ctx::open(config_flag)?;
            let store_path = ctx.cfg.store_path.clone();
            let code = mailbox::sync(ctx, json)?;
            // The daemon plans and sends with what the sync found (quietly under --json).
            if let Err(e) = crate::daemon::kick(&store_path) {
                eprintln!("warning: {e:#}");
            }
            Ok(code)
        }
        Command::Why { message, json } => mailbox::why(&Ctx::open(config_flag)?, &message, json),
        Command::Mark {
            message,
            label,
            intent,
            until,
        } => mailbox::mark(
            Ctx::open(config_flag)?,
            &message,
            &label,
            intent.as_deref(),
            until.as_deref(),
        ),
        Command::Meeting(MeetingCmd::Add {
            contact,
            at,
            minutes,
        }) => mailbox::meeting_add(&Ctx::open(config_flag)?, &contact, &at, minutes),
    }
}

/// Wakes a daemon running on this database so it acts on what just changed, and says so.
pub(crate) fn kick_daemon(ctx: &Ctx) {
    match crate::daemon::kick(&ctx.cfg.store_path) {
        Ok(Some(pid)) => println!("Told the daemon (pid {pid}); it is looking now."),
        Ok(None) => {}
        Err(e) => eprintln!("warning: {e:#}"),
    }
}

/// Prints one JSON document.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Shortens text to `max` characters for a table cell.
pub(crate) fn cell(s: &str, max: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() <= max {
        s
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
