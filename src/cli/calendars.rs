//! The calendar parts of `sync`, `status` and `doctor`: read one or every
//! `[[calendars]]` entry now, list each with its last read and last error, and check
//! each (reach, login, parse). Never prints a calendar's address.

use anyhow::{Result, bail};
use serde::Serialize;
use serde_json::{Value, json};

use super::Ctx;
use super::doctor::Finding;
use crate::cli::output::outln;
use crate::config::{CalendarCfg, Loaded};
use crate::core::calendar::Window;
use crate::store::{CalendarTags, Store, fmt_ts};

/// One calendar's line of `rapport sync`.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarReport {
    /// The calendar's name.
    pub calendar: String,
    /// HTTP requests sent.
    pub requests: u32,
    /// The server said nothing changed.
    pub unchanged: bool,
    /// Occurrences in the window.
    pub occurrences: usize,
    /// Occurrences with a contact.
    pub meetings: usize,
    /// Timeline entries written.
    pub written: usize,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// Things read only in part.
    pub notes: Vec<String>,
}

/// The calendars `name` picks (all when `None`), or an error naming the choices.
fn chosen<'a>(ctx: &'a Ctx, name: Option<&str>) -> Result<Vec<&'a CalendarCfg>> {
    let all = &ctx.cfg.config.calendars;
    let Some(name) = name else {
        return Ok(all.iter().collect());
    };
    match all.iter().find(|c| c.name == name) {
        Some(c) => Ok(vec![c]),
        None if all.is_empty() => bail!(
            "no calendar named {name:?}: {} has no [[calendars]]; add one (see the README's \"Calendars\")",
            ctx.cfg.path.display()
        ),
        None => bail!(
            "no calendar named {name:?} in {}; the calendars are: {}",
            ctx.cfg.path.display(),
            all.iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Reads the calendars `name` picks (all when `None`) now, one report each.
pub fn sync(ctx: &mut Ctx, name: Option<&str>) -> Result<Vec<CalendarReport>> {
    let cals: Vec<CalendarCfg> = chosen(ctx, name)?.into_iter().cloned().collect();
    let mut out = Vec::new();
    for cal in &cals {
        let r = crate::calendar::read(&ctx.cfg, cal, &mut ctx.store, ctx.now);
        out.push(match r {
            Ok(o) => CalendarReport {
                calendar: cal.name.clone(),
                requests: o.requests,
                unchanged: o.unchanged,
                occurrences: o.occurrences,
                meetings: o.meetings,
                written: o.written,
                error: None,
                notes: o.notes,
            },
            Err(e) => CalendarReport {
                calendar: cal.name.clone(),
                requests: 0,
                unchanged: false,
                occurrences: 0,
                meetings: 0,
                written: 0,
                error: Some(format!("{e:#}")),
                notes: Vec::new(),
            },
        });
    }
    Ok(out)
}

/// One calendar's line of `rapport sync`.
pub fn print_report(r: &CalendarReport) -> Result<()> {
    let name = format!("calendar '{}'", r.calendar);
    if let Some(e) = &r.error {
        outln!("{name}: error: {e}")?;
    } else if r.unchanged {
        outln!("{name}: unchanged ({} request)", r.requests)?;
    } else {
        outln!(
            "{name}: {} events in the window, {} with contacts, {} timeline entries",
            r.occurrences,
            r.meetings,
            r.written
        )?;
    }
    for n in &r.notes {
        outln!("{name}: note: {n}")?;
    }
    Ok(())
}

/// Each calendar's state for `status --json`.
pub fn status_json(cals: &[CalendarCfg], store: &Store) -> Result<Value> {
    let mut out = Vec::new();
    for c in cals {
        let s = store.calendar_state(&c.name)?;
        out.push(json!({
            "name": c.name,
            "kind": c.kind.as_str(),
            "last_read": s.last_read.map(fmt_ts),
            "last_tried": s.last_tried.map(fmt_ts),
            "last_error": (!s.last_error.is_empty()).then_some(s.last_error),
            "meetings": s.events,
        }));
    }
    Ok(Value::Array(out))
}

/// Each calendar's line for `status`, times in `tz`.
pub fn status_lines(
    cals: &[CalendarCfg],
    store: &Store,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in cals {
        let s = store.calendar_state(&c.name)?;
        let read = s.last_read.map_or_else(
            || format!("never read (rapport sync --calendar {})", c.name),
            |t| format!("last read {}", super::status::local(&fmt_ts(t), tz)),
        );
        let err = if s.last_error.is_empty() {
            String::new()
        } else {
            format!("; last error: {}", s.last_error)
        };
        out.push(format!(
            "calendar '{}' ({}): {read}, {} meetings{err}",
            c.name,
            c.kind.as_str(),
            s.events
        ));
    }
    Ok(out)
}

/// `doctor`'s check of every calendar: reach, login and parse, with nothing written
/// (a FAIL names the calendar and says the server's words and the fix).
pub fn doctor(cfg: &Loaded) -> Result<Vec<Finding>> {
    let now = crate::clock::now()?;
    let window = crate::calendar::window(cfg, now);
    let mut out = Vec::new();
    for cal in &cfg.config.calendars {
        let what = format!("calendar '{}'", cal.name);
        out.push(match check(cfg, cal, window) {
            Ok(detail) => Finding::ok(&what, detail),
            // The line names the calendar already.
            Err(problem) => {
                let problem = problem
                    .strip_prefix(&format!("{what}: "))
                    .unwrap_or(&problem);
                Finding::fail(&what, problem)
            }
        });
    }
    Ok(out)
}

fn check(cfg: &Loaded, cal: &CalendarCfg, window: Window) -> Result<String, String> {
    let (fetched, requests) = crate::calendar::fetch(cal, &CalendarTags::default(), window)
        .map_err(|e| format!("{e:#}"))?;
    let crate::calendar::Fetched::Content { texts, .. } = fetched else {
        return Ok(format!("{} reachable, unchanged", cal.kind.as_str()));
    };
    if texts.iter().any(|t| !t.contains("BEGIN:VCALENDAR")) {
        return Err(format!(
            "calendar '{}': the answer holds no iCalendar data; check that its url names a calendar",
            cal.name
        ));
    }
    let occurrences: usize = texts
        .iter()
        .map(|t| {
            crate::core::calendar::read(t, &cfg.tz, window)
                .occurrences
                .len()
        })
        .sum();
    Ok(format!(
        "{} read ({requests} requests), {occurrences} events in the window",
        cal.kind.as_str()
    ))
}
