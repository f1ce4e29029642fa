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
use crate::core::brief::Brief;
use crate::core::digest::{
    self, Digest, DigestInput, DraftItem, GoalItem, MeetingItem, PersonItem,
};
use crate::core::goals;
use crate::core::model::DraftStatus;
use crate::store::{AttentionKind, Store, parse_ts};

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
    gather_attention(store, cfg, &mut input)?;
    for p in crate::login_health::problems_of(store, cfg)? {
        input.logins_failing.push(p.describe(&cfg.tz));
    }
    if cfg.several_accounts() {
        input
            .logins_failing
            .extend(crate::account_health::failing(store, cfg)?);
    }
    input
        .logins_failing
        .extend(crate::login_health::expiry_warnings(
            store,
            &[],
            now,
            &cfg.tz,
        )?);
    let today = now.to_zoned_datetime(cfg.tz.clone()).date();
    for t in crate::core::todo::order_open(&store.open_todos()?, today) {
        if t.due.is_some_and(|d| d <= today) {
            input.action_items_due.push(PersonItem {
                who: t.contact.clone(),
                what: format!("{} ({})", t.text, t.due_label(today)),
            });
        }
    }
    for v in crate::followup::proposals::open_proposals(store, now)? {
        input.times_proposed.push(PersonItem {
            who: v.contact.clone(),
            what: format!(
                "proposed {} (\"{}\"): `rapport meeting confirm {}`",
                crate::followup::proposals::when(v.proposal.start, &cfg.tz),
                v.proposal.text,
                v.proposal.id
            ),
        });
    }
    gather_meetings(store, cfg, now, &mut input)?;
    gather_goals(store, cfg, now, &mut input)?;
    gather_give(store, cfg, now, &mut input)?;
    if let Some(w) = no_sent_folder(store, cfg)? {
        input.setup_warnings.push(w);
    }
    Ok(input)
}

/// On suggestion days, one or two people the user has only ever asked of, with the
/// commands that give instead (`rapport share`, `rapport intro`).
fn gather_give(store: &Store, cfg: &Loaded, now: Timestamp, input: &mut DigestInput) -> Result<()> {
    use crate::core::balance::{Balance, suggestion_day, suggestions};
    if !suggestion_day(now, &cfg.tz) {
        return Ok(());
    }
    let mut only_asked = Vec::new();
    for c in store.contacts()? {
        if c.do_not_contact || c.sendable_address().is_none() {
            continue;
        }
        let b = Balance::of(store.interactions(c.id)?.iter().map(|i| i.kind));
        if b.only_asked() {
            only_asked.push(c);
        }
    }
    for c in suggestions(&only_asked, now, &cfg.tz) {
        let who = c.display_name();
        let to = c.sendable_address().unwrap_or_default();
        input.give.push(PersonItem {
            what: format!(
                "share something useful (`rapport share URL --to {to}`) or introduce them to someone (`rapport intro {to} OTHER`)"
            ),
            who,
        });
    }
    Ok(())
}

/// The warning when the last IMAP sync read no Sent folder
/// ([`crate::mail::sent_folder::STATE_KEY`] recorded empty).
pub fn no_sent_folder(store: &Store, cfg: &Loaded) -> Result<Option<String>> {
    let Some(imap) = &cfg.config.imap else {
        return Ok(None);
    };
    let read = store.state(crate::mail::sent_folder::STATE_KEY)?;
    Ok(read
        .filter(|(name, _)| name.is_empty())
        .map(|_| crate::mail::sent_folder::none_warning(&imap.host)))
}

/// Unsure readings to confirm and meeting requests from others to answer.
fn gather_attention(store: &Store, cfg: &Loaded, input: &mut DigestInput) -> Result<()> {
    for a in store.attention()? {
        let day = parse_ts(&a.at)
            .map(|t| t.to_zoned_datetime(cfg.tz.clone()).date().to_string())
            .unwrap_or_default();
        let item = PersonItem {
            who: a.contact.clone(),
            what: format!("{} ({day})", a.summary),
        };
        match a.kind {
            AttentionKind::ToConfirm => input.replies_to_confirm.push(item),
            AttentionKind::ToAnswer => input.requests_to_answer.push(item),
        }
    }
    Ok(())
}

/// Every meeting on a timeline; those tomorrow carry the brief's one-line summary.
fn gather_meetings(
    store: &Store,
    cfg: &Loaded,
    now: Timestamp,
    input: &mut DigestInput,
) -> Result<()> {
    let briefs = crate::briefing::tomorrow(store, cfg, now)?;
    for m in crate::followup::all_meetings(store)? {
        if m.cancelled {
            continue;
        }
        let brief = briefs.iter().find(|b| b.contact_id == m.contact_id);
        let tomorrow = brief
            .and_then(|b| b.next_meeting.as_ref())
            .is_some_and(|n| n.start == m.start);
        input.meetings.push(MeetingItem {
            start: m.start,
            end: m.end,
            all_day: m.all_day,
            with: match brief {
                Some(b) if tomorrow => brief_line(b),
                _ => m.contact.clone(),
            },
        });
    }
    Ok(())
}

/// "Jessica Lee — CTO at Acme; last: replied (yes) — `rapport brief 3`".
fn brief_line(b: &Brief) -> String {
    let mut line = b.name.clone();
    match (b.role.is_empty(), b.company.is_empty()) {
        (false, false) => line.push_str(&format!(" — {} at {}", b.role, b.company)),
        (true, false) => line.push_str(&format!(" — {}", b.company)),
        (false, true) => line.push_str(&format!(" — {}", b.role)),
        (true, true) => {}
    }
    if let Some(last) = b.thread.last() {
        line.push_str(&format!("; last: {}", last.text));
    }
    line.push_str(&format!(" — brief: `rapport brief {}`", b.contact_id));
    line.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// New people this month and conversations this week, against `[goals]`.
fn gather_goals(
    store: &Store,
    cfg: &Loaded,
    now: Timestamp,
    input: &mut DigestInput,
) -> Result<()> {
    let Some(since) = goals::period_start(now, &cfg.tz, 0) else {
        return Ok(());
    };
    let g = &cfg.config.goals;
    let targets = goals::Targets {
        new_contacts_per_month: g.new_contacts_per_month,
        conversations_per_week: g.conversations_per_week,
        gives_per_month: g.gives_per_month,
    };
    let added = store.contacts_added_since(since)?;
    let events = store.goal_activity(since)?;
    let p = goals::progress(&added, &events, targets, 1, now, &cfg.tz);
    input.goals.push(GoalItem {
        what: "new people this month".into(),
        done: p.new_contacts_this_month,
        goal: p.new_contacts_goal,
    });
    input.goals.push(GoalItem {
        what: "conversations this week".into(),
        done: p.conversations_this_week,
        goal: p.conversations_goal,
    });
    if p.gives_goal > 0 {
        input.goals.push(GoalItem {
            what: "gives this month".into(),
            done: p.gives_this_month,
            goal: p.gives_goal,
        });
    }
    Ok(())
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
    let local = now.to_zoned_datetime(cfg.tz.clone());
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
    let today = now.to_zoned_datetime(cfg.tz.clone()).date().to_string();
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
    let message_id = crate::followup::draft::new_message_id(cfg, now);
    let envelope = crate::core::render::Envelope {
        from_name: "rapport",
        from_addr: &me.email,
        to_name: &me.name,
        to_addr: &me.email,
        cc: None,
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
            let name = format!(
                "digest-{}.eml",
                now.to_zoned_datetime(cfg.tz.clone()).date()
            );
            let tmp = dir.join(format!(".{name}.tmp"));
            crate::send::write_private(&tmp, &bytes)?;
            std::fs::rename(&tmp, dir.join(name))?;
            Ok(())
        }
        crate::config::Transport::Smtp => {
            let mut s = crate::send::open_session(cfg)?;
            s.deliver(&crate::send::Delivery {
                from: &me.email,
                to: &me.email,
                cc: None,
                message: &bytes,
            })?;
            s.quit();
            Ok(())
        }
    }
}

/// How long the digest's notifier may run before it is stopped (it runs inside a daemon
/// turn; a hung notifier must not stall the loop until the watchdog kills it).
const NOTIFY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

fn notify(command: &str, d: &Digest) -> Result<()> {
    use crate::user_command::{RunError, UserCommand};
    // The command shares stdout: the CLI flushes what it wrote before calling (the
    // daemon writes nothing there), so this glue module needs nothing of the CLI.
    let shell = format!("{command} \"$1\"");
    let ran = crate::user_command::run(&UserCommand {
        shell: &shell,
        args: &[&d.summary],
        stdin: Some(d.body.as_bytes()),
        capture: false,
        env_remove: &[],
        timeout: NOTIFY_TIMEOUT,
    });
    match ran {
        Ok(_) => Ok(()),
        Err(RunError::NotStarted(reason)) => {
            bail!(
                "digest.command {command:?} could not be started ({reason}); check [digest] command"
            )
        }
        Err(RunError::TimedOut) => bail!(
            "digest.command {command:?} ran past {} s and was stopped; make it return sooner (run it in the background with `&` if it must wait)",
            NOTIFY_TIMEOUT.as_secs()
        ),
        Err(RunError::Failed { status, .. }) => {
            bail!("digest.command {command:?} exited with {status}; run it by hand to see why")
        }
    }
}
