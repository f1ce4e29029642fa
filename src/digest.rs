//! The morning digest at the edges: gathers what waits from the store, asks
//! [`crate::core::digest::build`] for the text, and — on the configured days, from the
//! configured time, at most once a local day across restarts (recorded in the store) —
//! delivers it to the user's own address or runs their notify command.
//!
//! It must never address anyone but `identity.email`. The message carries
//! `X-Rapport-Digest` and `Auto-Submitted: auto-generated` so that reading the mailbox
//! can tell it apart from mail that matters.

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use jiff::civil::{Time, Weekday};

use crate::config::Loaded;
use crate::core::digest::{self, Digest, DigestInput, DraftItem, GoalItem, MeetingItem};
use crate::core::model::DraftStatus;
use crate::store::{Store, parse_ts};

/// The header that marks the digest.
pub const HEADER: &str = "X-Rapport-Digest";
const SENT_ON: &str = "digest.sent_on";

/// What the store holds for today's digest.
pub fn gather(store: &Store, cfg: &Loaded, now: Timestamp) -> Result<DigestInput> {
    let mut input = DigestInput::default();
    let mut drafts = store.drafts(false)?;
    drafts.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    for d in drafts.iter().filter(|d| d.status == DraftStatus::Pending) {
        input.drafts_waiting.push(DraftItem {
            id: d.id,
            kind: d.kind,
            to_name: if d.to_name.is_empty() {
                d.to_addr.clone()
            } else {
                d.to_name.clone()
            },
            why: d.reason.clone(),
        });
    }
    let local = now.to_zoned(cfg.tz.clone());
    let month_start = local.date().first_of_month();
    let mut new_people = 0;
    for c in store.contacts()? {
        if parse_ts(&c.created_at).is_ok_and(|t| t.to_zoned(cfg.tz.clone()).date() >= month_start) {
            new_people += 1;
        }
        for m in crate::planning::meetings_of(&c, &store.interactions(c.id)?) {
            if !m.cancelled {
                input.meetings.push(MeetingItem {
                    start: m.start,
                    all_day: m.all_day,
                    with: m.contact.clone(),
                });
            }
        }
    }
    input.goals.push(GoalItem {
        what: "new people this month".into(),
        done: new_people,
        goal: cfg.config.goals.new_contacts_per_month,
    });
    Ok(input)
}

/// The digest as it would read now (`rapport digest`).
pub fn preview(store: &Store, cfg: &Loaded, now: Timestamp) -> Result<Option<Digest>> {
    Ok(digest::build(&gather(store, cfg, now)?, now, &cfg.tz))
}

fn days_of(spec: &str) -> Result<Vec<Weekday>> {
    use Weekday::*;
    let s = spec.trim().to_lowercase();
    Ok(match s.as_str() {
        "workdays" | "weekdays" => vec![Monday, Tuesday, Wednesday, Thursday, Friday],
        "daily" | "every day" => vec![
            Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
        ],
        _ => {
            let mut out = Vec::new();
            for name in s.split(',').map(str::trim) {
                let day = match name.get(..3) {
                    Some("mon") => Monday,
                    Some("tue") => Tuesday,
                    Some("wed") => Wednesday,
                    Some("thu") => Thursday,
                    Some("fri") => Friday,
                    Some("sat") => Saturday,
                    Some("sun") => Sunday,
                    _ => bail!(
                        "digest.days = {spec:?}: {name:?} is not a day; write \"workdays\", \"daily\" or e.g. \"mon,wed,fri\""
                    ),
                };
                out.push(day);
            }
            out
        }
    })
}

/// Whether today's digest may go out now: enabled, a configured day, past `at`.
fn due_today(cfg: &Loaded, now: Timestamp) -> Result<bool> {
    let d = &cfg.config.digest;
    if !d.enabled {
        return Ok(false);
    }
    let at: Time =
        d.at.trim().parse().with_context(|| {
            format!("digest.at = {:?} is not a time; write e.g. \"08:00\"", d.at)
        })?;
    let local = now.to_zoned(cfg.tz.clone());
    Ok(days_of(&d.days)?.contains(&local.weekday()) && local.time() >= at)
}

/// The daemon's one call each turn: [`try_send`], with a failure logged (the daemon
/// goes on; the next turn tries again).
pub fn maybe_send(store: &Store, cfg: &Loaded, now: Timestamp) -> Option<String> {
    try_send(store, cfg, now)
        .inspect_err(|e| tracing::warn!(error = %format!("{e:#}"), "morning digest"))
        .ok()
        .flatten()
}

/// Sends today's digest if it is due, has something to say and has not gone out yet
/// today. Returns the summary when it sent one.
pub fn try_send(store: &Store, cfg: &Loaded, now: Timestamp) -> Result<Option<String>> {
    if !due_today(cfg, now)? {
        return Ok(None);
    }
    let today = now.to_zoned(cfg.tz.clone()).date().to_string();
    let before = store.state(SENT_ON)?.map(|(v, _)| v);
    if before.as_deref() == Some(today.as_str()) {
        return Ok(None);
    }
    let Some(d) = preview(store, cfg, now)? else {
        return Ok(None);
    };
    // Claimed before delivering: a crash mid-send costs a digest, never doubles one.
    store.set_state(SENT_ON, &today, now)?;
    if let Err(e) = deliver(cfg, &d, now) {
        store.set_state(SENT_ON, before.as_deref().unwrap_or(""), now)?;
        return Err(e.context("Sending the morning digest (it is tried again next turn)"));
    }
    tracing::info!(summary = %d.summary, "sent the morning digest");
    Ok(Some(d.summary))
}

fn deliver(cfg: &Loaded, d: &Digest, now: Timestamp) -> Result<()> {
    if let Some(command) = &cfg.config.digest.command {
        return notify(command, d);
    }
    let me = &cfg.config.identity;
    let message_id = crate::drafting::new_message_id(cfg, now);
    let envelope = crate::core::render::Envelope {
        from_name: "rapport",
        from_addr: &me.email,
        to_name: &me.name,
        to_addr: &me.email,
        message_id: &message_id,
        in_reply_to: "",
        references: &[],
    };
    let rendered = crate::core::render::Rendered {
        subject: d.subject.clone(),
        body: d.body.clone(),
    };
    let mut bytes = format!("{HEADER}: 1\r\nAuto-Submitted: auto-generated\r\n").into_bytes();
    bytes.extend(crate::core::render::compose(&envelope, &rendered)?);
    let bytes = crate::core::render::stamp_date(&bytes, now, &cfg.tz);
    match cfg.config.smtp.transport {
        crate::config::Transport::File => {
            let dir = cfg
                .config
                .smtp
                .file_dir
                .as_deref()
                .context("[smtp] transport = \"file\" needs file_dir")?;
            let dir = crate::config::expand_tilde(dir);
            std::fs::create_dir_all(&dir)?;
            let name = format!("digest-{}.eml", now.to_zoned(cfg.tz.clone()).date());
            let tmp = dir.join(format!(".{name}.tmp"));
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, dir.join(name))?;
            Ok(())
        }
        crate::config::Transport::Smtp => {
            let username = cfg
                .config
                .smtp
                .username
                .clone()
                .unwrap_or_else(|| me.email.clone());
            let hello = me.email.rsplit('@').next().unwrap_or("localhost");
            let mut s = crate::send::smtp::Session::connect(&cfg.config.smtp, &username, hello)?;
            s.deliver(&crate::send::Delivery {
                from: &me.email,
                to: &me.email,
                message: &bytes,
            })?;
            s.quit();
            Ok(())
        }
    }
}

fn notify(command: &str, d: &Digest) -> Result<()> {
    use std::io::Write;
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("rapport-digest")
        .arg(&d.summary)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("Starting digest.command {command:?}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(d.body.as_bytes());
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("digest.command {command:?} exited with {status}");
    }
    Ok(())
}
