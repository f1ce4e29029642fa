//! `rapport plan`: drafts what is due now and says what it drafted and withdrew (the
//! daemon does the same every turn). It never sends anything; a draft waits for approval
//! unless `policy.auto_approve` says otherwise.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::{Ctx, print_json};
use crate::cli::output::outln;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Print JSON; the fields are in the README.
    #[arg(long)]
    json: bool,
    /// Plan every contact again, not only those whose data changed or whose time came
    /// (the same queue, proven by the tests; seconds instead of milliseconds on
    /// 10,000 contacts).
    #[arg(long)]
    all: bool,
}

/// `rapport plan`: drafts what is due now and says what changed. Incremental, as every
/// other command that shows the queue; `--all` is the full pass.
pub fn run(config_flag: Option<&Path>, args: &PlanArgs) -> Result<ExitCode> {
    let (json, all) = (args.json, args.all);
    let mut ctx = Ctx::open(config_flag)?;
    let cfg = ctx.cfg.clone();
    let r = if all {
        crate::followup::plan_all(&mut ctx.store, &cfg, ctx.now)?
    } else {
        crate::followup::bring_current(&mut ctx.store, &cfg, ctx.now)?
    };
    if json {
        print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    for id in &r.created {
        if r.auto_approved.contains(id) {
            outln!("Drafted {id} and approved it (policy.auto_approve).")?;
        } else {
            outln!("Drafted {id}.")?;
        }
    }
    for (id, why) in &r.superseded {
        outln!("Withdrew {id}: {why}")?;
    }
    for e in &r.errors {
        outln!("Could not draft: {e}")?;
    }
    if r.created.is_empty() && r.superseded.is_empty() {
        outln!("Nothing new to draft.")?;
    }
    Ok(ExitCode::SUCCESS)
}
