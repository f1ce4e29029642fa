//! `rapport intro A B [--why TEXT]`: starts a double opt-in introduction of A to B. Only
//! the ask to A is drafted (it waits for approval like every draft); B hears nothing
//! until A said yes, and the introduction goes to both only after both said yes. It
//! never sends anything itself.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{Ctx, kick_daemon};
use crate::cli::output::outln;
use crate::followup::intros;

/// `rapport intro`'s arguments.
#[derive(Args, Debug)]
pub struct IntroArgs {
    /// A: the person asked first (an id, an email address, or part of a name).
    #[arg(add = super::completions::contacts())]
    a: String,
    /// B: the person A would meet; asked only after A says yes.
    #[arg(add = super::completions::contacts())]
    b: String,
    /// One line on why the two should meet, quoted in the emails.
    #[arg(long, value_name = "TEXT", default_value = "")]
    why: String,
}

/// Starts the intro and drafts the ask to A, then wakes a running daemon.
pub fn run(config_flag: Option<&Path>, args: &IntroArgs) -> Result<ExitCode> {
    let ctx = Ctx::open(config_flag)?;
    let a = ctx.one_contact(&args.a)?;
    let b = ctx.one_contact(&args.b)?;
    let started = intros::start(&ctx.store, &ctx.cfg, &a, &b, &args.why, ctx.now)?;
    let id = started.draft;
    outln!(
        "Started intro {} of {} to {}. Drafted the ask to {} (draft {id}); {} hears nothing before {}'s yes.",
        started.intro,
        a.display_name(),
        b.display_name(),
        a.display_name(),
        b.display_name(),
        a.display_name()
    )?;
    outln!(
        "Read it with `rapport queue show {id}`, approve it with `rapport queue approve {id}`; `rapport intros` follows the intro."
    )?;
    kick_daemon(&ctx);
    Ok(ExitCode::SUCCESS)
}
