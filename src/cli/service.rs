//! `rapport daemon`, `rapport status` and `rapport doctor`.

use crate::cli::output::outln;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::json;

use super::{Ctx, print_json};
use crate::config;
use crate::core::model::DraftStatus;

pub fn daemon(config_flag: Option<&Path>) -> Result<ExitCode> {
    let path = config::config_path(config_flag).map_err(anyhow::Error::msg)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("Starting the async runtime")?;
    let result = rt.block_on(async move {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("Installing the SIGTERM handler")?;
        tokio::spawn(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            tracing::info!("stopping");
            let _ = tx.send(true);
        });
        crate::daemon::run(path, rx).await
    });
    // Every wait on a server is bounded; nothing left needs finishing.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    result.map(|_| ExitCode::SUCCESS)
}

pub fn status(ctx: &Ctx, json_out: bool) -> Result<ExitCode> {
    let running = crate::daemon::running(&ctx.cfg.store_path)?;
    let folders = ctx.store.sync_states()?;
    let by_state = ctx.store.draft_counts()?;
    // Only drafts still in the queue (not sent, rejected, superseded) can be due.
    let next_due = ctx
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
        .min();
    let last_error = ctx.store.state("last_error")?;
    let last_turn = ctx.store.state("last_turn")?;
    // Only meaningful while a daemon runs: it rewrites it before every wait.
    let next_wakeup = match running {
        Some(_) => ctx.store.state(crate::daemon::NEXT_WAKEUP)?.map(|(w, _)| w),
        None => None,
    };
    let goals = goals(ctx)?;
    if json_out {
        print_json(&json!({
            "daemon": { "running": running.is_some(), "pid": running, "last_turn": last_turn.as_ref().map(|t| t.0.clone()), "next_wakeup": next_wakeup },
            "folders": folders,
            "last_error": last_error.as_ref().map(|(e, at)| json!({ "error": e, "at": at })),
            "drafts": by_state,
            "next_due": next_due,
            "messages": ctx.store.message_count()?,
            "goals": goals,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    match &running {
        Some(pid) => outln!("Daemon: running (pid {pid})")?,
        None => outln!("Daemon: not running (systemctl --user start rapport)")?,
    }
    if let Some((t, _)) = &last_turn {
        outln!("Last turn: {t}")?;
    }
    if let Some(w) = &next_wakeup {
        outln!("Next wake-up: {w}")?;
    }
    if folders.is_empty() {
        outln!("Mailbox: never synced (rapport sync)")?;
    }
    for f in &folders {
        let at = f.last_sync_at.as_deref().unwrap_or("never");
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
    if let Some((e, at)) = &last_error {
        outln!("Last error ({at}): {e}")?;
    }
    let states: Vec<String> = by_state.iter().map(|(s, n)| format!("{s} {n}")).collect();
    outln!(
        "Drafts: {}",
        if states.is_empty() {
            "none".into()
        } else {
            states.join(", ")
        }
    )?;
    if let Some(n) = next_due {
        outln!("Next due: {n}")?;
    }
    outln!(
        "Goals: {} new contacts this month (goal {}), {} conversations this week (goal {})",
        goals["new_contacts_this_month"],
        goals["new_contacts_goal"],
        goals["conversations_this_week"],
        goals["conversations_goal"]
    )?;
    Ok(ExitCode::SUCCESS)
}

fn goals(ctx: &Ctx) -> Result<serde_json::Value> {
    let local = ctx.now.to_zoned_datetime(ctx.cfg.tz.clone());
    let month_start = local.first_of_month()?.start_of_day()?.timestamp();
    let week_start = {
        let back = i64::from(local.weekday().to_monday_zero_offset());
        local
            .start_of_day()?
            .checked_sub(jiff::Span::new().days(back))?
            .timestamp()
    };
    let new_contacts: i64 = ctx.store.conn().query_row(
        "SELECT COUNT(*) FROM contacts WHERE created_at >= ?1",
        [crate::store::fmt_ts(month_start)],
        |r| r.get(0),
    )?;
    let conversations: i64 = ctx.store.conn().query_row(
        "SELECT COUNT(DISTINCT contact_id || ':' || json_extract(detail, '$.uid')) FROM interactions
         WHERE kind = 'meeting-scheduled' AND json_extract(detail, '$.start') >= ?1 AND json_extract(detail, '$.start') < ?2",
        [
            crate::store::fmt_ts(week_start),
            crate::store::fmt_ts(week_start.checked_add(jiff::SignedDuration::from_hours(24 * 7))?),
        ],
        |r| r.get(0),
    )?;
    Ok(json!({
        "new_contacts_this_month": new_contacts,
        "new_contacts_goal": ctx.cfg.config.goals.new_contacts_per_month,
        "conversations_this_week": conversations,
        "conversations_goal": ctx.cfg.config.goals.conversations_per_week,
    }))
}

type Probe = (
    bool,
    Result<Vec<crate::mail::imap::Folder>, crate::mail::imap::ImapError>,
);

/// Logs in and lists the folders: (IDLE offered, the folders).
fn imap_probe(imap: &config::Imap, username: &str) -> Result<Probe, anyhow::Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("Starting the async runtime")?;
    rt.block_on(async {
        let mut s = crate::mail::imap::Session::connect(imap, username).await?;
        let folders = s.folders().await;
        let idle = s.idle_supported;
        s.logout().await;
        Ok((idle, folders))
    })
}

/// Doctor's `imap auth` line: which logins the server offers, and whether the configured
/// one is among them; true when it is.
fn imap_auth_line(imap: &config::Imap) -> bool {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let offered = match rt {
        Ok(rt) => rt.block_on(crate::mail::imap::Session::offered_auth(imap)),
        Err(e) => {
            return report(
                false,
                "imap server",
                &format!("starting the async runtime: {e}"),
            );
        }
    };
    let offered = match offered {
        Ok(o) => o,
        Err(e) => return report(false, "imap server", &e.to_string()),
    };
    match crate::secrets::sasl::check_offered("imap", imap.login.auth, &offered) {
        Ok(line) => report(true, "imap auth", &line),
        Err(line) => report(false, "imap auth", &line),
    }
}

fn report_folders(imap: &config::Imap, folders: &[crate::mail::imap::Folder]) -> bool {
    let names: Vec<String> = folders
        .iter()
        .map(|f| match f.special {
            Some(sp) => format!(
                "{} [{}]",
                f.name,
                serde_json::to_value(sp)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            None => f.name.clone(),
        })
        .collect();
    report(true, "imap folders", &names.join(", "));
    let chosen = crate::mail::sync::choose_folders(imap, folders);
    let has_sent = chosen.len() > 1 || !imap.folders.is_empty();
    report(
        has_sent,
        "sent folder",
        &if has_sent {
            format!("reading {}", chosen.join(", "))
        } else {
            "no folder is marked \\Sent; set [imap] sent_folder = \"NAME\" to one of the folders above".into()
        },
    )
}

/// One doctor finding. A failed write is not lost: stdout stays failed, so the last line
/// `doctor` prints (with `?`) reports it.
fn report(ok: bool, what: &str, detail: &str) -> bool {
    if ok {
        let _ = outln!(
            "ok    {what}{}",
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            }
        );
    } else {
        let _ = outln!("FAIL  {what}: {detail}");
    }
    ok
}

pub fn doctor(config_flag: Option<&Path>) -> Result<ExitCode> {
    let mut all = true;
    let path = config::config_path(config_flag).map_err(anyhow::Error::msg)?;
    let cfg = match config::load(&path) {
        Ok(c) => {
            report(true, "config", &path.display().to_string());
            c
        }
        Err(e) => {
            report(false, "config", &e.to_string());
            return Ok(ExitCode::FAILURE);
        }
    };
    match crate::store::make_private(&cfg.store_path) {
        Ok(Some(old)) => {
            report(
                true,
                "database permissions",
                &format!(
                    "{} was readable by others (mode {old:o}); made it 600",
                    cfg.store_path.display()
                ),
            );
        }
        Ok(None) => {}
        Err(e) => all &= report(false, "database permissions", &format!("{e:#}")),
    }
    all &= match crate::store::Store::open(&cfg.store_path) {
        Ok(_) => report(true, "database", &cfg.store_path.display().to_string()),
        Err(e) => report(false, "database", &format!("{e:#}")),
    };
    #[cfg(unix)]
    if let Some(dir) = cfg.store_path.parent() {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(dir) {
            let mode = m.permissions().mode() & 0o777;
            all &= report(
                mode & 0o077 == 0,
                "data directory permissions",
                &if mode & 0o077 == 0 {
                    format!("{mode:o}")
                } else {
                    format!(
                        "{} is mode {mode:o}; run `chmod 700 {}`",
                        dir.display(),
                        dir.display()
                    )
                },
            );
        }
    }
    let templates = crate::drafting::load_templates(&cfg.templates_dir)?;
    let sample = crate::core::render::sample_data();
    for name in templates.names() {
        all &= match templates.render(name, &sample) {
            Ok(_) => report(true, &format!("template {name}"), ""),
            Err(e) => report(false, &format!("template {name}"), &e.to_string()),
        };
    }
    let smtp = &cfg.config.smtp;
    match smtp.transport {
        config::Transport::File => {
            report(
                true,
                "smtp",
                &format!(
                    "file transport into {}",
                    smtp.file_dir.as_deref().unwrap_or(Path::new("?")).display()
                ),
            );
        }
        config::Transport::Smtp => all &= super::doctor_smtp::check(&cfg, &report),
    }
    if let Some(imap) = &cfg.config.imap {
        let secret = if imap_auth_line(imap) {
            let secret = crate::secrets::fetch_for("imap", &imap.login);
            let what = if imap.login.auth.is_oauth2() {
                "imap token"
            } else {
                "imap password"
            };
            let found = secret.as_ref().err().map(|e| e.to_string());
            all &= report(found.is_none(), what, found.as_deref().unwrap_or("found"));
            secret.is_ok()
        } else {
            all = false;
            false
        };
        if secret {
            let username = imap
                .login
                .username
                .clone()
                .unwrap_or_else(|| cfg.config.identity.email.clone());
            match imap_probe(imap, &username) {
                Ok((idle, folders)) => {
                    report(
                        true,
                        "imap login",
                        &format!(
                            "{username} at {}{}",
                            imap.host,
                            if idle {
                                " (IDLE)"
                            } else {
                                " (no IDLE: polling)"
                            }
                        ),
                    );
                    match folders {
                        Ok(folders) => all &= report_folders(imap, &folders),
                        Err(e) => all &= report(false, "imap folders", &e.to_string()),
                    }
                }
                Err(e) => all &= report(false, "imap login", &e.to_string()),
            }
        }
    } else if cfg.config.maildir.is_none() {
        all &= report(
            false,
            "mail source",
            "no [imap] or [maildir] section: rapport cannot see replies",
        );
    }
    if let Some(m) = &cfg.config.maildir {
        let p = config::expand_tilde(&m.path);
        all &= report(
            p.join("cur").is_dir(),
            "maildir",
            &if p.join("cur").is_dir() {
                p.display().to_string()
            } else {
                format!("{} is not a Maildir (no cur/ inside)", p.display())
            },
        );
    }
    if all {
        outln!("Everything looks right.")?;
        Ok(ExitCode::SUCCESS)
    } else {
        outln!("Fix the FAIL lines above, then run `rapport doctor` again.")?;
        Ok(ExitCode::FAILURE)
    }
}
