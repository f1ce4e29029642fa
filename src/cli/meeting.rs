//! `rapport meeting add|list|move|remove|confirm|ignore`: meetings agreed outside email,
//! the times replies proposed (`meeting_proposals`), and the corrections to any meeting on
//! a timeline.
//!
//! A meeting is never edited in place: moving or removing one appends a
//! `meeting-moved` / `meeting-cancelled` entry with the same UID, so the planner (which
//! folds a contact's calendar entries by UID) reschedules or withdraws its thank-you, and
//! the timeline keeps what happened. This module must never send mail or delete history.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::Ctx;
use crate::cli::output::outln;
use crate::core::model::InteractionKind;
use crate::followup::{Meeting, meetings_of};
use crate::store::{NewInteraction, fmt_ts};

#[derive(Subcommand, Debug)]
pub enum MeetingCmd {
    /// Record a meeting (a call, an event) with a contact.
    Add {
        /// The contact: an id, an email address, or part of a name.
        #[arg(add = super::completions::contacts())]
        contact: String,
        /// Local date and time, e.g. 2026-12-01T15:00 (a date alone needs --all-day).
        #[arg(long, value_name = "WHEN")]
        at: String,
        /// How long it lasts, in minutes.
        #[arg(long, default_value_t = 25, conflicts_with = "all_day")]
        minutes: u32,
        /// A day-long event (a conference): the thank-you waits for the evening.
        #[arg(long)]
        all_day: bool,
    },
    /// List meetings, soonest first (all contacts, or one).
    List {
        /// Only this contact's meetings: an id, an email address, or part of a name.
        #[arg(add = super::completions::contacts())]
        contact: Option<String>,
        /// Include cancelled and removed meetings.
        #[arg(long)]
        all: bool,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// Move a meeting to another time (its thank-you follows it).
    Move {
        /// The meeting id `rapport meeting list` prints.
        id: i64,
        /// The new local date and time, e.g. 2026-12-04T10:00.
        #[arg(long, value_name = "WHEN")]
        at: String,
        /// A new length in minutes (default: keep it).
        #[arg(long)]
        minutes: Option<u32>,
    },
    /// Remove a meeting recorded by mistake or called off (its thank-you is withdrawn).
    Remove {
        /// The meeting id `rapport meeting list` prints.
        id: i64,
    },
    /// Confirm a time a reply proposed: it becomes a meeting (and a thank-you follows it).
    Confirm {
        /// The proposal id `rapport meeting list` prints.
        id: i64,
        /// Another local date and time than the one proposed, e.g. 2026-12-08T16:00.
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// How long it lasts, in minutes (default 25).
        #[arg(long)]
        minutes: Option<u32>,
    },
    /// Set aside a time a reply proposed: rapport asks about it no more.
    Ignore {
        /// The proposal id `rapport meeting list` prints.
        id: i64,
    },
}

pub fn run(mut ctx: Ctx, cmd: MeetingCmd) -> Result<ExitCode> {
    match cmd {
        MeetingCmd::Add {
            contact,
            at,
            minutes,
            all_day,
        } => add(&ctx, &contact, &at, minutes, all_day),
        MeetingCmd::List { contact, all, json } => {
            ctx.bring_current()?;
            list(&ctx, contact.as_deref(), all, json)
        }
        MeetingCmd::Move { id, at, minutes } => move_to(&mut ctx, id, &at, minutes),
        MeetingCmd::Remove { id } => remove(&mut ctx, id),
        MeetingCmd::Confirm { id, at, minutes } => {
            super::meeting_proposals::confirm(&mut ctx, id, at.as_deref(), minutes)
        }
        MeetingCmd::Ignore { id } => super::meeting_proposals::ignore(&mut ctx, id),
    }
}

/// Parses a local date and time in the user's zone (`2026-12-01T15:00`,
/// `2026-12-01 15:00`) or an RFC 3339 instant. A date alone is refused: read as
/// midnight it once drafted a thank-you at 03:00 for a 15:00 meeting.
pub fn parse_local(s: &str, tz: &jiff::tz::TimeZone) -> Result<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    // jiff reads a date alone as midnight, and a date parser accepts a date-time too:
    // "no separator before a time" is what tells a bare date.
    if !s.contains(['T', 't', ' ']) && s.parse::<jiff::civil::Date>().is_ok() {
        bail!(
            "{s:?} has no time of day; write e.g. --at {s}T15:00 (or --all-day for a day-long event)"
        );
    }
    // The parser's own words ("failed to parse four digit integer as year") mean
    // nothing to a person: say which forms are read instead.
    let Ok(dt) = s.replacen(' ', "T", 1).parse::<jiff::civil::DateTime>() else {
        bail!(
            "{s:?} is not a date and time rapport reads; write 2026-12-01T15:00 or \"2026-12-01 15:00\" (in your time zone, {}) or 2026-12-01T14:00:00Z (UTC). Weekday names and \"3pm\" are not read",
            tz.iana_name().unwrap_or("from [identity] timezone")
        );
    };
    Ok(dt.to_zoned_datetime(tz.clone())?.timestamp())
}

fn check_minutes(minutes: u32) -> Result<SignedDuration> {
    if minutes == 0 || minutes > 24 * 60 {
        bail!("--minutes must be between 1 and 1440");
    }
    Ok(SignedDuration::from_mins(i64::from(minutes)))
}

/// An all-day event runs from the send window's start to 18:00 local, so its
/// thank-you is drafted in the evening at the earliest.
fn all_day_span(ctx: &Ctx, at: &str) -> Result<(Timestamp, Timestamp)> {
    let date: jiff::civil::Date = at.trim().parse().with_context(|| {
        format!("{at:?} is not a date; with --all-day write e.g. --at 2026-12-03")
    })?;
    let start = date
        .to_datetime(ctx.cfg.window.start)
        .to_zoned_datetime(ctx.cfg.tz.clone())?;
    let end = date
        .to_datetime(jiff::civil::time(18, 0, 0, 0))
        .to_zoned_datetime(ctx.cfg.tz.clone())?;
    Ok((start.timestamp(), end.timestamp().max(start.timestamp())))
}

fn add(ctx: &Ctx, contact: &str, at: &str, minutes: u32, all_day: bool) -> Result<ExitCode> {
    let c = ctx.one_contact(contact)?;
    let (start, end) = if all_day {
        all_day_span(ctx, at)?
    } else {
        let start = parse_local(at, &ctx.cfg.tz)?;
        (start, start.checked_add(check_minutes(minutes)?)?)
    };
    let key = format!("manual-meeting:{}", fmt_ts(start));
    let local = start.to_zoned_datetime(ctx.cfg.tz.clone());
    let summary = if all_day {
        format!(
            "all-day meeting on {} (recorded by you)",
            local.strftime("%Y-%m-%d")
        )
    } else {
        format!(
            "meeting scheduled for {} ({minutes} min, recorded by you)",
            local.strftime("%Y-%m-%d %H:%M %Z")
        )
    };
    let added = ctx.store.add_interaction(&NewInteraction {
        contact_id: c.id,
        at: ctx.now,
        kind: InteractionKind::MeetingScheduled,
        summary: &summary,
        message_key: &key,
        draft_id: None,
        detail: json!({
            "uid": key,
            "start": fmt_ts(start),
            "end": fmt_ts(end),
            "all_day": all_day,
        }),
        source: "user",
    })?;
    if added {
        outln!("Recorded: {} with {}.", summary, c.display_name())?;
    } else {
        outln!(
            "That meeting with {} is already recorded.",
            c.display_name()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Every meeting of every contact (or of one), soonest first.
fn all_meetings(ctx: &Ctx, contact: Option<&str>) -> Result<Vec<Meeting>> {
    let Some(q) = contact else {
        return crate::followup::all_meetings(&ctx.store);
    };
    let c = ctx.one_contact(q)?;
    let mut out = meetings_of(&c, &ctx.store.interactions(c.id)?);
    out.sort_by_key(|m| (m.start, m.id));
    Ok(out)
}

fn state(ctx: &Ctx, m: &Meeting) -> &'static str {
    if m.cancelled {
        "cancelled"
    } else if m.end <= ctx.now {
        "held"
    } else {
        "upcoming"
    }
}

fn list(ctx: &Ctx, contact: Option<&str>, all: bool, json: bool) -> Result<ExitCode> {
    let mut meetings = all_meetings(ctx, contact)?;
    if !all {
        meetings.retain(|m| !m.cancelled);
    }
    let contact_id = contact
        .map(|q| ctx.one_contact(q).map(|c| c.id))
        .transpose()?;
    let proposals = super::meeting_proposals::listed(ctx, contact_id, all)?;
    if json {
        let mut items: Vec<serde_json::Value> = Vec::new();
        for m in &meetings {
            let mut v = serde_json::to_value(m)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("status".into(), json!(state(ctx, m)));
            }
            items.push(v);
        }
        items.extend(proposals.iter().map(super::meeting_proposals::json_of));
        super::print_json(&json!({ "meetings": items }))?;
        return Ok(ExitCode::SUCCESS);
    }
    super::meeting_proposals::print(ctx, &proposals)?;
    if meetings.is_empty() {
        outln!(
            "No meetings. `rapport meeting add CONTACT --at {}` records one.",
            super::next_step::example_at(ctx.now, &ctx.cfg.tz)
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{:>4}  {:<22} {:<8} {:<24} STATE",
        "ID",
        "WHEN",
        "LENGTH",
        "WITH"
    )?;
    for m in &meetings {
        let local = m.start.to_zoned_datetime(ctx.cfg.tz.clone());
        let (when, length) = if m.all_day {
            (
                local.strftime("%a %Y-%m-%d").to_string(),
                "all day".to_string(),
            )
        } else {
            let mins = m.end.duration_since(m.start).as_mins();
            (
                local.strftime("%a %Y-%m-%d %H:%M").to_string(),
                // A booking read from words alone may name no end: unknown, not 0.
                if mins > 0 {
                    format!("{mins} min")
                } else {
                    "-".to_string()
                },
            )
        };
        let state = state(ctx, m);
        outln!(
            "{:>4}  {:<22} {:<8} {:<24} {state}",
            m.id,
            when,
            length,
            super::cell(&m.contact, 24)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn find(ctx: &Ctx, id: i64) -> Result<Meeting> {
    all_meetings(ctx, None)?
        .into_iter()
        .find(|m| m.id == id)
        .with_context(|| format!("no meeting {id}; `rapport meeting list --all` shows the ids"))
}

fn move_to(ctx: &mut Ctx, id: i64, at: &str, minutes: Option<u32>) -> Result<ExitCode> {
    let m = find(ctx, id)?;
    if m.cancelled {
        bail!("meeting {id} was cancelled; record it again with `rapport meeting add`");
    }
    let start = parse_local(at, &ctx.cfg.tz)?;
    let length = match minutes {
        Some(n) => check_minutes(n)?,
        None => m.end.duration_since(m.start),
    };
    let end = start.checked_add(length)?;
    let local = start.to_zoned_datetime(ctx.cfg.tz.clone());
    let summary = format!(
        "meeting moved to {} (by you)",
        local.strftime("%Y-%m-%d %H:%M %Z")
    );
    ctx.store.add_interaction(&NewInteraction {
        contact_id: m.contact_id,
        at: ctx.now,
        kind: InteractionKind::MeetingMoved,
        summary: &summary,
        message_key: "",
        draft_id: None,
        detail: json!({ "uid": m.uid, "start": fmt_ts(start), "end": fmt_ts(end) }),
        source: "user",
    })?;
    ctx.bring_current()?;
    outln!("Moved meeting {id} with {}: {summary}.", m.contact)?;
    Ok(ExitCode::SUCCESS)
}

fn remove(ctx: &mut Ctx, id: i64) -> Result<ExitCode> {
    let m = find(ctx, id)?;
    if m.cancelled {
        outln!("Meeting {id} with {} is already cancelled.", m.contact)?;
        return Ok(ExitCode::SUCCESS);
    }
    ctx.store.add_interaction(&NewInteraction {
        contact_id: m.contact_id,
        at: ctx.now,
        kind: InteractionKind::MeetingCancelled,
        summary: "meeting removed by you",
        message_key: "",
        draft_id: None,
        detail: json!({ "uid": m.uid }),
        source: "user",
    })?;
    ctx.bring_current()?;
    outln!(
        "Removed meeting {id} with {}; no thank-you will be drafted for it.",
        m.contact
    )?;
    Ok(ExitCode::SUCCESS)
}
