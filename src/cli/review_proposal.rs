//! `rapport review`'s proposal item: a reply named a meeting time ("Bob proposed Tue
//! 2026-12-08 15:00") and the user confirms it, moves it to another time, or ignores
//! it. Confirming goes through the code of `rapport meeting confirm`; this never
//! sends anything.

use anyhow::Result;

use super::Ctx;
use super::review::{Tally, read_key, read_line};
use crate::cli::output::{flush, out, outln};
use crate::followup::proposals::{self, DEFAULT_MINUTES, ProposalView};

/// A proposed time; `false` when the user quit.
pub(super) fn proposal(
    ctx: &Ctx,
    v: &ProposalView,
    n: usize,
    total: usize,
    t: &mut Tally,
) -> Result<bool> {
    outln!()?;
    outln!(
        "[{n}/{total}] {} — [c]onfirm / [m]ove / [i]gnore",
        super::meeting_proposals::sentence(ctx, v)
    )?;
    outln!(
        "They wrote {} on {}.",
        super::meeting_proposals::words(ctx, v),
        proposals::when(v.proposal.at, &ctx.cfg.tz)
    )?;
    loop {
        out!("[c]onfirm  [m]ove  [i]gnore  s[k]ip  [q]uit > ")?;
        flush()?;
        let Some(k) = read_key()? else {
            return Ok(false);
        };
        let start = match k {
            'c' => None,
            'm' => {
                out!("New time (e.g. 2026-12-08T16:00), empty to go back: ")?;
                let Some(line) = read_line()? else {
                    return Ok(false);
                };
                if line.is_empty() {
                    continue;
                }
                match super::meeting::parse_local(&line, &ctx.cfg.tz) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        outln!("{e:#}")?;
                        continue;
                    }
                }
            }
            'i' => {
                proposals::ignore(&ctx.store, v.proposal.id, ctx.now)?;
                outln!("Ignored the time {} proposed.", v.contact)?;
                t.proposals_ignored += 1;
                return Ok(true);
            }
            'k' | ' ' => {
                outln!("Skipped the time {} proposed.", v.contact)?;
                t.skipped += 1;
                return Ok(true);
            }
            'q' => return Ok(false),
            _ => continue,
        };
        let summary =
            proposals::confirm(&ctx.store, v, start, DEFAULT_MINUTES, &ctx.cfg.tz, ctx.now)?;
        outln!("Confirmed: {summary}.")?;
        t.proposals_confirmed += 1;
        return Ok(true);
    }
}
