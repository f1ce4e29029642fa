//! `rapport completions SHELL`: shell completions that complete subcommands, flags,
//! **contact addresses and draft ids** from the user's own database.
//!
//! The script it prints is a few lines that call back into `rapport` with
//! `RAPPORT_COMPLETE=SHELL` set; [`complete_if_asked`] (the first thing `main` does)
//! answers those calls from the clap definitions and, for a contact or a draft id, from
//! the database, opened read-only ([`Store::open_to_read`]: nothing written, locked or
//! migrated). It uses clap_complete's dynamic engine (its `unstable-dynamic` feature,
//! pinned by Cargo.lock) rather than hand-written shell code: the engine already knows
//! every shell's quoting and every clap argument. The variable is rapport's own, not
//! clap's default `COMPLETE`, so an unrelated `COMPLETE` in a service's environment can
//! never turn a run of rapport into a completion. A completion never fails loudly: with
//! no config or no database it offers nothing. It never writes a file itself.

use std::ffi::OsStr;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::store::Store;

/// The variable the printed scripts set when they call back into rapport.
const VAR: &str = "RAPPORT_COMPLETE";

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completion script for the shell asked for, as one piece.
pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    super::print_generated(|out| render_completions(args.shell, out))
}

/// The script that registers rapport's completions with `shell`.
pub(crate) fn render_completions(
    shell: clap_complete::Shell,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    let name = shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        return Err(std::io::Error::other(format!(
            "rapport cannot complete for {name}"
        )));
    };
    completer.write_registration(VAR, "rapport", "rapport", "rapport", out)
}

/// Answers a completion request from a script [`run`] printed, then exits; returns
/// at once when `RAPPORT_COMPLETE` is not set (every ordinary run).
pub fn complete_if_asked() {
    use clap::CommandFactory;
    clap_complete::CompleteEnv::with_factory(super::Cli::command)
        .var(VAR)
        .complete();
}

/// Completes a contact argument with their addresses (a name fragment finds the
/// address too), each shown with the contact's name.
pub(crate) fn contacts() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let typed = current.to_string_lossy().to_lowercase();
        with_store(|store| Ok(contact_candidates(&store.contacts()?, &typed)))
    })
}

/// Completes a draft id with the open drafts, each shown with its recipient and subject.
pub(crate) fn drafts() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let typed = current.to_string_lossy().to_string();
        with_store(|store| Ok(draft_candidates(&store.drafts(false)?, &typed)))
    })
}

/// Runs `f` on the user's database, read-only; nothing when anything is missing.
fn with_store(
    f: impl FnOnce(&Store) -> Result<Vec<CompletionCandidate>>,
) -> Vec<CompletionCandidate> {
    let found = (|| -> Result<Vec<CompletionCandidate>> {
        let path = crate::config::config_path(None).map_err(anyhow::Error::msg)?;
        let cfg = crate::config::load(&path)?;
        let store = Store::open_to_read(&cfg.store_path).context("the database")?;
        f(&store)
    })();
    found.unwrap_or_default()
}

fn contact_candidates(contacts: &[crate::store::Contact], typed: &str) -> Vec<CompletionCandidate> {
    let mut out = Vec::new();
    for c in contacts {
        let name = super::output::one_line(&c.display_name());
        let by_name = !typed.is_empty() && name.to_lowercase().contains(typed);
        for e in &c.emails {
            let address = e.address.to_lowercase();
            if address.starts_with(typed) || by_name {
                out.push(CompletionCandidate::new(address).help(Some(name.clone().into())));
            }
        }
        if c.emails.is_empty() && (by_name || typed.is_empty()) {
            // No address yet: the id finds them.
            out.push(CompletionCandidate::new(c.id.to_string()).help(Some(name.into())));
        }
    }
    out
}

fn draft_candidates(drafts: &[crate::store::Draft], typed: &str) -> Vec<CompletionCandidate> {
    drafts
        .iter()
        .filter(|d| d.id.to_string().starts_with(typed))
        .map(|d| {
            let to = if d.to_name.is_empty() {
                &d.to_addr
            } else {
                &d.to_name
            };
            let about = format!("{} · {to} · {}", d.status.as_str(), d.subject);
            CompletionCandidate::new(d.id.to_string()).help(Some(super::cell(&about, 60).0.into()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
