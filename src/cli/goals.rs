//! `rapport goals`: progress against `[goals]` — new people this month, conversations
//! this week, requests and their reply rate, a chart of the last weeks and a verdict.
//! Counted by `core::goals` from `store` rows; read-only. (`rapport status` keeps its
//! own one-line summary.)

use crate::cli::output::{out, outln, plural};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Ctx, print_json};
use crate::core::goals::{self, Targets};

/// Plain ASCII when `NO_COLOR` is set (to anything but "") or the terminal is dumb.
pub(crate) fn wants_ascii() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    no_color || dumb
}

pub fn run(ctx: &Ctx, weeks: u32, json: bool) -> Result<ExitCode> {
    let weeks = weeks.clamp(1, 104);
    let since = goals::period_start(ctx.now, &ctx.cfg.tz, weeks - 1)
        .context("The period to count is outside the calendar")?;
    let added = ctx.store.contacts_added_since(since)?;
    let events = ctx.store.goal_activity(since)?;
    let g = &ctx.cfg.config.goals;
    let targets = Targets {
        new_contacts_per_month: g.new_contacts_per_month,
        conversations_per_week: g.conversations_per_week,
        gives_per_month: g.gives_per_month,
    };
    let p = goals::progress(&added, &events, targets, weeks, ctx.now, &ctx.cfg.tz);
    if json {
        print_json(&p)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "New contacts this month:  {} (goal {})",
        p.new_contacts_this_month,
        p.new_contacts_goal
    )?;
    outln!(
        "Conversations this week:  {} (goal {}): {} {} held, {} {}",
        p.conversations_this_week,
        p.conversations_goal,
        p.meetings_held_this_week,
        plural(p.meetings_held_this_week as usize, "meeting", "meetings"),
        p.replies_this_week,
        plural(p.replies_this_week as usize, "reply", "replies")
    )?;
    outln!("Requests sent this week:  {}", p.requests_this_week)?;
    if p.gives_goal > 0 || p.gives_this_month > 0 {
        outln!(
            "Gives this month:         {} (goal {}): shares sent, introductions made",
            p.gives_this_month,
            p.gives_goal
        )?;
    }
    match p.reply_rate {
        Some(r) => outln!(
            "Reply rate:               {r}% ({} of {} {} in the last {weeks} {} answered)",
            p.answered_in_period,
            p.requests_in_period,
            plural(p.requests_in_period as usize, "request", "requests"),
            plural(weeks as usize, "week", "weeks")
        )?,
        None => outln!(
            "Reply rate:               no requests in the last {weeks} {}",
            plural(weeks as usize, "week", "weeks")
        )?,
    }
    outln!()?;
    out!("{}", goals::chart(&p, wants_ascii()))?;
    outln!()?;
    outln!("{}", p.verdict)?;
    Ok(ExitCode::SUCCESS)
}
