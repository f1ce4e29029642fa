//! `rapport queue ...`: the approval queue, listed, shown, edited, approved, rejected,
//! snoozed and resolved. It never sends (`rapport send` does).

use crate::cli::output::{errln, out, outln};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::{Ctx, cell, print_json};
use crate::core::model::DraftStatus;
use crate::store::{Draft, fmt_ts};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct QueueArgs {
    #[command(subcommand)]
    cmd: Option<QueueCmd>,
    /// Print JSON; the fields are in the README.
    #[arg(long)]
    json: bool,
    /// Include sent, rejected and superseded drafts.
    #[arg(long)]
    all: bool,
}

#[derive(Subcommand, Debug)]
enum QueueCmd {
    /// Print the whole email as it will be sent.
    Show {
        /// The draft id `rapport queue` prints.
        #[arg(add = super::completions::drafts())]
        id: i64,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
        /// The exact bytes: as approved (the Date header is added when it is sent), or,
        /// once sent, as they went out.
        #[arg(long, conflicts_with = "json")]
        raw: bool,
    },
    /// Edit a draft's subject and body in $VISUAL or $EDITOR.
    Edit {
        /// The draft id `rapport queue` prints.
        #[arg(add = super::completions::drafts())]
        id: i64,
    },
    /// Approve drafts: they go out when due, inside the send window.
    Approve {
        /// The draft ids `rapport queue` prints.
        #[arg(required_unless_present = "all")]
        #[arg(add = super::completions::drafts())]
        ids: Vec<i64>,
        /// Approve the pending drafts you were shown: on a terminal, the list is shown
        /// and you confirm it; otherwise those the last `rapport queue` listed.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Send them right away, even outside the send window (the daily cap holds).
        #[arg(long)]
        now: bool,
    },
    /// Reject drafts: they will not be sent, nor drafted again for the same reason.
    Reject {
        /// The draft ids `rapport queue` prints.
        #[arg(required = true)]
        #[arg(add = super::completions::drafts())]
        ids: Vec<i64>,
        /// Why, for the record (default: "rejected by you").
        #[arg(long)]
        reason: Option<String>,
    },
    /// Put a draft off; it comes back as pending.
    Snooze {
        /// The draft id `rapport queue` prints.
        #[arg(add = super::completions::drafts())]
        id: i64,
        /// A date (2026-12-01) or time (2026-12-01T09:00).
        #[arg(long, conflicts_with = "for_", required_unless_present = "for_")]
        until: Option<String>,
        /// A duration: 3d, 2w, 1mo.
        #[arg(long = "for", value_name = "DURATION")]
        for_: Option<String>,
    },
    /// Settle a draft whose sending was interrupted (`unknown`) or that failed.
    Resolve {
        /// The draft id `rapport queue` prints.
        #[arg(add = super::completions::drafts())]
        id: i64,
        /// What happened to it.
        #[arg(value_enum)]
        outcome: Outcome,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Outcome {
    /// It did go out (you found it in your Sent folder): record it as sent. If it did
    /// not in fact arrive, the contact never gets it and the next follow-up assumes they
    /// did.
    Sent,
    /// It did not go out: back to pending, to approve again. If it did arrive after all,
    /// approving sends it a second time.
    NotSent,
}

/// "now", "today 17:00", "tomorrow 09:00" or the date, in the user's zone.
pub(crate) fn due_label(due: &str, now: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let Ok(t) = due.parse::<Timestamp>() else {
        return due.to_string();
    };
    if t <= now {
        return "now".into();
    }
    let local = t.to_zoned_datetime(tz.clone());
    let today = now.to_zoned_datetime(tz.clone()).date();
    let time = local.strftime("%H:%M");
    if local.date() == today {
        format!("today {time}")
    } else if today.tomorrow().ok() == Some(local.date()) {
        format!("tomorrow {time}")
    } else {
        local.date().to_string()
    }
}

/// What the user can do with draft `d` now, in commands they can paste (its id and, for
/// an address that does not exist, that address filled in).
pub(super) fn what_to_do(d: &Draft) -> String {
    let (id, to) = (d.id, &d.to_addr);
    match d.status {
        DraftStatus::Pending => "approve, edit, reject or snooze".into(),
        DraftStatus::Approved => "goes out when due".into(),
        DraftStatus::Snoozed => "snoozed".into(),
        DraftStatus::Sending => "being sent".into(),
        DraftStatus::Unknown => format!(
            "interrupted while sending: check your Sent folder, then `rapport queue resolve {id} sent|not-sent`"
        ),
        DraftStatus::Failed if crate::send::recipient_unknown(&d.last_error) => format!(
            "the address does not exist (the server said so, see `queue show {id}`): correct it with `rapport contacts edit {to} --email NEW --remove-email {to}`, then `rapport request {to}` for a new draft; `queue reject {id}` clears this one"
        ),
        DraftStatus::Failed if d.last_error.starts_with("gave up after") => format!(
            "never got through (see `queue show {id}`): fix what the error names, then `queue resolve {id} not-sent` and approve it again"
        ),
        DraftStatus::Failed => format!(
            "refused by the server (its words: `queue show {id}`): `queue resolve {id} not-sent`, then `queue edit {id}` and approve it again, or `queue reject {id}`"
        ),
        DraftStatus::Sent | DraftStatus::Rejected | DraftStatus::Superseded => String::new(),
    }
}

pub fn run(mut ctx: Ctx, args: QueueArgs) -> Result<ExitCode> {
    ctx.store.wake_snoozed(ctx.now)?;
    ctx.bring_current()?;
    let Some(cmd) = args.cmd else {
        return list(&ctx, args.json, args.all);
    };
    match cmd {
        QueueCmd::Show { id, json, raw } => show(&ctx, id, json, raw),
        QueueCmd::Edit { id } => {
            let code = edit(&ctx, id)?;
            super::kick_daemon(&ctx);
            Ok(code)
        }
        QueueCmd::Approve { ids, all, now } => super::approve::run(&mut ctx, ids, all, now),
        QueueCmd::Reject { ids, reason } => {
            let reason = reason.unwrap_or_else(|| "rejected by you".into());
            Ok(each(&ids, |id| {
                ctx.store.reject(id, &reason, ctx.now)?;
                outln!("Rejected {id}.")?;
                Ok(())
            }))
        }
        QueueCmd::Snooze { id, until, for_ } => {
            let until = snooze_until(ctx.now, &ctx.cfg, until.as_deref(), for_.as_deref())?;
            if until <= ctx.now {
                bail!("{} is not in the future", fmt_ts(until));
            }
            ctx.store.snooze(id, until, ctx.now)?;
            outln!(
                "Snoozed {id} until {}; it will need approval again.",
                until
                    .to_zoned_datetime(ctx.cfg.tz.clone())
                    .strftime("%Y-%m-%d %H:%M %Z")
            )?;
            Ok(ExitCode::SUCCESS)
        }
        QueueCmd::Resolve { id, outcome } => {
            let sent = matches!(outcome, Outcome::Sent);
            let was = ctx.store.draft_or_err(id)?.status;
            ctx.store.resolve(id, sent, ctx.now)?;
            resolved(id, sent, was)
        }
    }
}

/// What `queue resolve` did, and the risk it leaves: only the mailbox can tell whether an
/// interrupted send arrived.
fn resolved(id: i64, sent: bool, was: DraftStatus) -> Result<ExitCode> {
    if sent {
        outln!(
            "Recorded draft {id} as sent. If it never reached them, they will not get it again and the next follow-up assumes they did."
        )?;
    } else if was == DraftStatus::Unknown {
        outln!(
            "Draft {id} is pending again; approve it to send it. Careful: the server may have delivered it before the connection broke — if it did, approving sends it a second time. Look for it in your Sent folder (or ask the recipient) first; `rapport doctor` says whether rapport can check that for you."
        )?;
    } else {
        outln!("Draft {id} is pending again; approve it to send it.")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// When a running daemon will send an approved draft, in words.
pub(super) fn daemon_when(ctx: &Ctx, d: &Draft) -> String {
    let label = due_label(d.effective_due(), ctx.now, &ctx.cfg.tz);
    if label != "now" {
        return label;
    }
    match crate::send::window_check(&ctx.cfg.window, &ctx.cfg.tz, ctx.now) {
        Ok(()) => "now (inside the window)".into(),
        Err(open) => format!(
            "when the window opens {}",
            open.strftime("%a %Y-%m-%d %H:%M %Z")
        ),
    }
}

/// Runs `f` for every id, reporting each failure and going on; fails if any did.
pub(super) fn each(ids: &[i64], mut f: impl FnMut(i64) -> Result<()>) -> ExitCode {
    let mut failed = false;
    for &id in ids {
        if let Err(e) = f(id) {
            if crate::cli::output::stdout_error(&e)
                .is_some_and(super::output::StdoutError::is_closed_pipe)
            {
                // The reader went away; the action itself was done. Go on quietly.
                continue;
            }
            failed = true;
            errln!("error: {e:#}");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn snooze_until(
    now: Timestamp,
    cfg: &crate::config::Loaded,
    until: Option<&str>,
    dur: Option<&str>,
) -> Result<Timestamp> {
    let local = now.to_zoned_datetime(cfg.tz.clone());
    if let Some(d) = dur {
        let span: jiff::Span = d.trim().parse().with_context(|| {
            format!("--for {d:?} is not a duration; write e.g. 3d, 2w, 1mo or \"2 weeks\"")
        })?;
        return Ok(local
            .checked_add(span)
            .with_context(|| format!("--for {d:?} is out of range"))?
            .timestamp());
    }
    let Some(u) = until else {
        bail!("give --until DATE or --for DURATION");
    };
    let u = u.trim();
    if let Ok(t) = u.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(dt) = u.parse::<jiff::civil::DateTime>() {
        return Ok(dt.to_zoned_datetime(cfg.tz.clone())?.timestamp());
    }
    if let Ok(date) = u.parse::<jiff::civil::Date>() {
        return Ok(date
            .to_datetime(cfg.window.start)
            .to_zoned_datetime(cfg.tz.clone())?
            .timestamp());
    }
    bail!("--until {u:?} is not a date; write 2026-12-01 or 2026-12-01T09:00")
}

/// The DUE cell of a listing: when an open draft goes out; for one that is done (sent,
/// rejected, withdrawn) there is nothing due, so no "now" for mail sent long ago.
fn list_due(ctx: &Ctx, d: &Draft) -> String {
    if d.status.is_open() || matches!(d.status, DraftStatus::Sending) {
        return due_label(d.effective_due(), ctx.now, &ctx.cfg.tz);
    }
    "-".to_string()
}

fn list(ctx: &Ctx, json: bool, all: bool) -> Result<ExitCode> {
    let drafts = ctx.store.drafts(all)?;
    super::approve::record_listing(ctx, &drafts)?;
    let waiting = ctx.store.attention()?;
    let proposed = crate::followup::proposals::open_proposals(&ctx.store, ctx.now)?;
    if json {
        let items: Vec<serde_json::Value> =
            drafts.iter().map(|d| draft_json(ctx, d, false)).collect();
        let proposed: Vec<_> = proposed
            .iter()
            .map(super::meeting_proposals::json_of)
            .collect();
        print_json(
            &serde_json::json!({ "drafts": items, "waiting_for_you": waiting, "proposed": proposed }),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    print_attention(&waiting)?;
    super::meeting_proposals::print(ctx, &proposed)?;
    if drafts.is_empty() {
        outln!("The queue is empty.")?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{:>4}  {:<12} {:<15} {:<10} {:<20} {:<28} WHY",
        "ID",
        "DUE",
        "KIND",
        "STATUS",
        "TO",
        "SUBJECT"
    )?;
    for d in &drafts {
        let to = if d.to_name.is_empty() {
            &d.to_addr
        } else {
            &d.to_name
        };
        outln!(
            "{:>4}  {:<12} {:<15} {:<10} {:<20} {:<28} {}",
            d.id,
            list_due(ctx, d),
            d.kind,
            d.status,
            cell(to, 20),
            cell(&d.subject, 28),
            match crate::followup::account::from_line(&ctx.cfg, &d.account) {
                Some(from) => format!("[{from}] {}", d.reason),
                None => d.reason.clone(),
            }
        )?;
        let todo = what_to_do(d);
        if matches!(d.status, DraftStatus::Unknown | DraftStatus::Failed) {
            outln!("      ! {todo}")?;
            if !d.last_error.is_empty() {
                outln!("      ! {}", cell(&d.last_error, 100))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The "to answer" and "to confirm" sections: mail that waits for the user, not a draft.
fn print_attention(items: &[crate::store::Attention]) -> Result<()> {
    use crate::store::AttentionKind;
    for (kind, title, hint) in [
        (
            AttentionKind::ToAnswer,
            "To answer (they asked you for a meeting; nothing is drafted):",
            "",
        ),
        (
            AttentionKind::ToConfirm,
            "To confirm (rapport is unsure of its reading; no nudge meanwhile):",
            "  confirm or correct with `rapport mark MESSAGE-ID LABEL [--intent …]`; `rapport why MESSAGE-ID` shows the evidence",
        ),
    ] {
        let rows: Vec<_> = items.iter().filter(|i| i.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        outln!("{title}")?;
        for i in rows {
            outln!(
                "  {:<10} {:<20} {}  <{}>",
                i.at.split('T').next().unwrap_or(""),
                cell(&i.contact, 20),
                cell(&i.summary, 60),
                i.message_id
            )?;
            if let Some((name, address)) = &i.introduced {
                let cmd = crate::core::attribution::add_contact_command(name, address, &i.contact);
                outln!(
                    "      {} introduced {}: {}",
                    cell(&i.contact, 20),
                    cell(address, 40),
                    cell(&cmd, 160)
                )?;
            }
        }
        if !hint.is_empty() {
            outln!("{hint}")?;
        }
        outln!()?;
    }
    Ok(())
}

/// D in the README: the fields every `--json` output uses for a draft.
pub(crate) fn draft_json(ctx: &Ctx, d: &Draft, with_message: bool) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": d.id,
        "contact_id": d.contact_id,
        "kind": d.kind,
        "status": d.status,
        "due": d.effective_due(),
        "due_label": due_label(d.effective_due(), ctx.now, &ctx.cfg.tz),
        "to": d.to_addr,
        "to_name": d.to_name,
        "cc": d.cc_addr,
        "cc_name": d.cc_name,
        "subject": d.subject,
        "why": d.reason,
        "message_id": d.message_id,
        "in_reply_to": d.in_reply_to,
        "created_at": d.created_at,
        "approved_at": d.approved_at,
        "sent_at": d.sent_at,
        "attempts": d.attempts,
        "last_error": d.last_error,
        "note": d.status_note,
        "todo": what_to_do(d),
        "account": ctx.cfg.for_account_or_first(&d.account).account,
        "from": ctx.cfg.for_account_or_first(&d.account).config.identity.email,
    });
    if with_message && let Some(obj) = v.as_object_mut() {
        obj.insert("body".into(), d.body.clone().into());
        obj.insert(
            "message".into(),
            String::from_utf8_lossy(&d.message).into_owned().into(),
        );
        if let Some(sent) = &d.sent_message {
            obj.insert(
                "sent_message".into(),
                String::from_utf8_lossy(sent).into_owned().into(),
            );
        }
    }
    v
}

fn show(ctx: &Ctx, id: i64, json: bool, raw: bool) -> Result<ExitCode> {
    let d = ctx.store.draft_or_err(id)?;
    if json {
        print_json(&draft_json(ctx, &d, true))?;
        return Ok(ExitCode::SUCCESS);
    }
    if raw {
        super::output::write_bytes(d.outgoing())?;
        return Ok(ExitCode::SUCCESS);
    }
    // A readable view, decoded from the very bytes that will be sent.
    let parsed = mail_parser::MessageParser::default().parse(&d.message);
    let subject = parsed
        .as_ref()
        .and_then(|m| m.subject())
        .unwrap_or(&d.subject)
        .to_string();
    let body = parsed
        .as_ref()
        .and_then(|m| m.body_text(0))
        .map_or_else(|| d.body.clone(), std::borrow::Cow::into_owned);
    outln!(
        "Draft {} · {} · {} · due {}",
        d.id,
        d.kind,
        d.status,
        due_label(d.effective_due(), ctx.now, &ctx.cfg.tz)
    )?;
    outln!("Why: {}", d.reason)?;
    if !d.status_note.is_empty() {
        outln!("Note: {}", d.status_note)?;
    }
    if !d.last_error.is_empty() {
        outln!("Last error: {}", d.last_error)?;
    }
    outln!()?;
    super::review::from_lines(ctx, &d)?;
    if d.to_name.is_empty() {
        outln!("To: {}", d.to_addr)?;
    } else {
        outln!("To: {} <{}>", d.to_name, d.to_addr)?;
    }
    outln!("Subject: {subject}")?;
    outln!("Message-ID: <{}>", d.message_id)?;
    if !d.in_reply_to.is_empty() {
        outln!("In-Reply-To: <{}>", d.in_reply_to)?;
    }
    outln!()?;
    out!("{}", body.replace("\r\n", "\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn edit(ctx: &Ctx, id: i64) -> Result<ExitCode> {
    match super::edit::edit_draft(ctx, id)? {
        super::edit::Edited::Unchanged => outln!("No change to draft {id}.")?,
        super::edit::Edited::Saved { was_approved } => {
            let again = if was_approved {
                " It was approved before; approve it again to send the new text."
            } else {
                ""
            };
            outln!("Saved draft {id}.{again}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
