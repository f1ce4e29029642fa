//! `rapport brief CONTACT`: the page to read the day before a meeting (plain text, or
//! one JSON document with `--json`). Built by `briefing` and `core::brief`; read-only.

use crate::cli::output::out;
use std::process::ExitCode;

use anyhow::Result;

use super::{Ctx, print_json};

pub fn run(ctx: &Ctx, query: &str, json: bool) -> Result<ExitCode> {
    let c = ctx.one_contact(query)?;
    let b = crate::briefing::brief(&ctx.store, &ctx.cfg, &c, ctx.now)?;
    if json {
        print_json(&b)?;
    } else {
        out!("{}", crate::core::brief::render_text(&b))?;
    }
    Ok(ExitCode::SUCCESS)
}
