//! `rapport status`: is the daemon running, when each folder last synced, what waits in
//! the queue, and the goals at a glance.
//!
//! Read-only: it must never change the database beyond what `bring_current` already
//! did. When the database cannot be opened for writing (a read-only data directory),
//! it still shows what the database holds, read-only, after the error and its hint.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use super::{Ctx, print_json};
use crate::cli::output::{errln, outln};

/// `rapport status`: brought current when the database can be written, else shown as it
/// is.
pub fn run(config_flag: Option<&std::path::Path>, json_out: bool) -> Result<ExitCode> {
    let err = match Ctx::open_current(config_flag) {
        Ok(ctx) => return status(&ctx, json_out),
        Err(e) => e,
    };
    let path = crate::config::config_path(config_flag).map_err(anyhow::Error::msg)?;
    let Ok(cfg) = crate::config::load(&path) else {
        return Err(err);
    };
    let Ok(store) = crate::store::Store::open_read_only(&cfg.store_path) else {
        return Err(err);
    };
    errln!("warning: {err:#}");
    errln!(
        "Showing the database as it is (read-only): nothing is synced, planned or sent until it can be written."
    );
    let now = crate::clock::now()?;
    status(&Ctx { cfg, store, now }, json_out)
}
use crate::core::model::DraftStatus;
use crate::store::SyncState;

/// Everything `status` reports, gathered once for both outputs.
struct Status {
    running: Option<String>,
    /// A daemon holding the lock while working on a file that is no longer this
    /// database (replaced or deleted since it started): its pid.
    stale_daemon: Option<String>,
    last_turn: Option<String>,
    next_wakeup: Option<String>,
    folders: Vec<SyncState>,
    /// (error, when).
    last_error: Option<(String, String)>,
    /// (warning, when): the daemon is holding logins back.
    login_warning: Option<(String, String)>,
    /// The last sync read no Sent folder: the warning.
    sent_warning: Option<String>,
    /// Logins that do not work (a helper failing, a refused password or token).
    login_problems: Vec<crate::login_health::Problem>,
    /// Approved drafts held back until a login works.
    waiting_for_login: usize,
    /// Token helpers whose sign-in ends within a few days.
    login_expiring: Vec<String>,
    drafts: BTreeMap<String, usize>,
    /// Each account: its last read and error.
    accounts: Vec<crate::account_health::AccountState>,
    next_due: Option<String>,
    goals: serde_json::Value,
}

pub fn status(ctx: &Ctx, json_out: bool) -> Result<ExitCode> {
    let s = gather(ctx)?;
    if json_out {
        let (wakeup_at, wakeup_reason) = split_wakeup(s.next_wakeup.as_deref());
        let mut out = json!({
            "daemon": {
                "running": s.running.is_some(),
                "pid": s.running.as_deref().and_then(|p| p.trim().parse::<i64>().ok()),
                "on_replaced_database": s.stale_daemon.as_deref().and_then(|p| p.trim().parse::<i64>().ok()),
                "last_turn": s.last_turn,
                "next_wakeup": wakeup_at,
                "next_wakeup_reason": wakeup_reason,
            },
            "folders": s.folders,
            "accounts": s.accounts,
            "last_error": s.last_error.as_ref().map(|(e, at)| json!({ "error": e, "at": at })),
            "login_warning": s.login_warning.as_ref().map(|(w, at)| json!({ "warning": w, "at": at })),
            "sent_folder_warning": s.sent_warning,
            "login_problems": s.login_problems,
            "waiting_for_login": s.waiting_for_login,
            "login_expiring": s.login_expiring,
            "drafts": s.drafts,
            "next_due": s.next_due,
            "messages": ctx.store.message_count()?,
            "goals": s.goals,
        });
        out["calendars"] = super::calendars::status_json(&ctx.cfg.config.calendars, &ctx.store)?;
        print_json(&out)?;
    } else {
        print_text(&s, &ctx.cfg.tz)?;
        for line in
            super::calendars::status_lines(&ctx.cfg.config.calendars, &ctx.store, &ctx.cfg.tz)?
        {
            outln!("{line}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The daemon records its next wake-up as "TIMESTAMP (why)": the instant and the reason,
/// apart, for `--json` (a timestamp field holds only a timestamp).
pub(super) fn split_wakeup(recorded: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(text) = recorded.map(str::trim).filter(|t| !t.is_empty()) else {
        return (None, None);
    };
    match text.split_once(" (") {
        Some((at, why)) => (
            Some(at.trim().to_string()),
            Some(why.strip_suffix(')').unwrap_or(why).trim().to_string()),
        ),
        None => (Some(text.to_string()), None),
    }
}

fn gather(ctx: &Ctx) -> Result<Status> {
    let daemon = crate::daemon::running_daemon(&ctx.cfg.store_path)?;
    let stale_daemon = daemon.clone().filter(|d| !d.same_file).map(|d| d.pid);
    let running = daemon.filter(|d| d.same_file).map(|d| d.pid);
    // Only meaningful while a daemon runs: it rewrites it before every wait.
    let next_wakeup = match running {
        Some(_) => ctx.store.state(crate::daemon::NEXT_WAKEUP)?.map(|(w, _)| w),
        None => None,
    };
    Ok(Status {
        running,
        stale_daemon,
        last_turn: ctx.store.state("last_turn")?.map(|(t, _)| t),
        next_wakeup,
        folders: ctx.store.sync_states()?,
        accounts: crate::account_health::states(&ctx.store, &ctx.cfg)?,
        last_error: ctx.store.state("last_error")?,
        login_warning: ctx
            .store
            .state(crate::daemon::LOGIN_WARNING)?
            .filter(|(w, _)| !w.is_empty()),
        sent_warning: crate::digest::no_sent_folder(&ctx.store, &ctx.cfg)?,
        login_problems: crate::login_health::problems_of(&ctx.store, &ctx.cfg)?,
        waiting_for_login: crate::login_health::waiting_drafts(&ctx.store, ctx.now)?,
        login_expiring: crate::login_health::expiry_warnings(
            &ctx.store,
            &[],
            ctx.now,
            &ctx.cfg.tz,
        )?,
        drafts: ctx.store.draft_counts()?,
        next_due: next_due(ctx)?,
        goals: goals(ctx)?,
    })
}

/// When the earliest draft still in the queue (not sent, rejected, superseded) is due.
fn next_due(ctx: &Ctx) -> Result<Option<String>> {
    Ok(ctx
        .store
        .drafts(false)?
        .iter()
        .filter(|d| {
            matches!(
                d.status,
                DraftStatus::Approved | DraftStatus::Pending | DraftStatus::Snoozed
            )
        })
        .map(|d| d.effective_due().to_string())
        .min())
}

/// A stored UTC instant as the user reads it: "Mon 2026-11-23 11:29 CET" in their zone;
/// text that is not an instant is shown as it is.
pub(super) fn local(stamp: &str, tz: &jiff::tz::TimeZone) -> String {
    match stamp.trim().parse::<jiff::Timestamp>() {
        Ok(t) => t
            .to_zoned_datetime(tz.clone())
            .strftime("%a %Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => stamp.to_string(),
    }
}

fn print_text(s: &Status, tz: &jiff::tz::TimeZone) -> Result<()> {
    match &s.running {
        Some(pid) => outln!("Daemon: running (pid {pid})")?,
        None => outln!("Daemon: not running (systemctl --user start rapport)")?,
    }
    if let Some(pid) = &s.stale_daemon {
        outln!(
            "Warning: a daemon (pid {pid}) still runs on the file this database replaced; it stops at its next turn (restart it: systemctl --user restart rapport)"
        )?;
    }
    if let Some(t) = &s.last_turn {
        outln!("Last turn: {}", local(t, tz))?;
    }
    if let (Some(at), why) = split_wakeup(s.next_wakeup.as_deref()) {
        match why {
            Some(why) => outln!("Next wake-up: {} ({why})", local(&at, tz))?,
            None => outln!("Next wake-up: {}", local(&at, tz))?,
        }
    }
    if s.accounts.len() > 1 {
        for a in &s.accounts {
            let read = a
                .last_read
                .as_deref()
                .map_or("never".into(), |t| local(t, tz));
            outln!(
                "Account {} <{}>: last read {read}, {} messages",
                a.name,
                a.email,
                a.messages
            )?;
            if let (Some(e), Some(at)) = (&a.error, &a.error_at) {
                outln!("  ERROR ({}): {e}", local(at, tz))?;
            }
        }
    }
    print_folders(&s.folders, tz)?;
    if let Some((e, at)) = &s.last_error {
        outln!("Last error ({}): {e}", local(at, tz))?;
    }
    if let Some((w, at)) = &s.login_warning {
        outln!("Warning ({at}): {w}")?;
    }
    if let Some(w) = &s.sent_warning {
        outln!("WARNING: {w}")?;
    }
    for p in &s.login_problems {
        outln!("LOGIN FAILING: {}", p.describe(tz))?;
    }
    for w in &s.login_expiring {
        outln!("Warning: {w}")?;
    }
    if s.waiting_for_login > 0 {
        outln!(
            "Approved, {}: {} (they go once a login works; `rapport queue` lists them)",
            crate::send::WAITING_FOR_LOGIN,
            s.waiting_for_login
        )?;
    }
    let states: Vec<String> = s.drafts.iter().map(|(st, n)| format!("{st} {n}")).collect();
    if states.is_empty() {
        outln!("Drafts: none")?;
    } else {
        outln!("Drafts: {}", states.join(", "))?;
    }
    if let Some(n) = &s.next_due {
        outln!("Next due: {}", local(n, tz))?;
    }
    let g = &s.goals;
    outln!(
        "Goals: {} new contacts this month (goal {}), {} conversations this week (goal {})",
        g["new_contacts_this_month"],
        g["new_contacts_goal"],
        g["conversations_this_week"],
        g["conversations_goal"]
    )?;
    Ok(())
}

fn print_folders(folders: &[SyncState], tz: &jiff::tz::TimeZone) -> Result<()> {
    if folders.is_empty() {
        outln!("Mailbox: never synced (rapport sync)")?;
    }
    for f in folders {
        let at = f
            .last_sync_at
            .as_deref()
            .map_or_else(|| "never".to_string(), |t| local(t, tz));
        if f.last_error.is_empty() {
            outln!("Folder {} ({}): last synced {at}", f.folder, f.account)?;
        } else {
            outln!(
                "Folder {} ({}): last synced {at}; error: {}",
                f.folder,
                f.account,
                f.last_error
            )?;
        }
    }
    Ok(())
}

/// New contacts this calendar month and meetings starting this week (Monday first), in
/// the user's time zone, beside their goals.
fn goals(ctx: &Ctx) -> Result<serde_json::Value> {
    let local = ctx.now.to_zoned_datetime(ctx.cfg.tz.clone());
    let month_start = local.first_of_month()?.start_of_day()?.timestamp();
    let back = i64::from(local.weekday().to_monday_zero_offset());
    let week_start = local
        .start_of_day()?
        .checked_sub(jiff::Span::new().days(back))?
        .timestamp();
    let week_end = week_start.checked_add(jiff::SignedDuration::from_hours(24 * 7))?;
    Ok(json!({
        "new_contacts_this_month": ctx.store.count_contacts_added_since(month_start)?,
        "new_contacts_goal": ctx.cfg.config.goals.new_contacts_per_month,
        "conversations_this_week": ctx.store.count_meetings_starting(week_start, week_end)?,
        "conversations_goal": ctx.cfg.config.goals.conversations_per_week,
    }))
}
