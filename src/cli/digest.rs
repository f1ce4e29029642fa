//! `rapport digest`: the morning digest, printed now; `--send-if-due` does what the
//! daemon does each turn (send today's once, if due and there is something to say).

use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::cli::output::outln;

pub fn run(mut ctx: Ctx, send_if_due: bool) -> Result<ExitCode> {
    ctx.bring_current()?;
    if send_if_due {
        // The digest's notifier command shares stdout: what rapport wrote so far goes first.
        crate::cli::output::flush()?;
        match crate::digest::try_send(&ctx.store, &ctx.cfg, ctx.now)? {
            Some(summary) => outln!(
                "Sent the morning digest to {}: {summary}.",
                ctx.cfg.config.identity.email
            )?,
            None => {
                outln!("No digest to send now (not due, already sent today, or nothing waits).")?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    match crate::digest::preview(&ctx.store, &ctx.cfg, ctx.now)? {
        Some(d) => outln!("Subject: {}\n\n{}", d.subject, d.body)?,
        None => outln!("Nothing waits for you today.")?,
    }
    Ok(ExitCode::SUCCESS)
}
