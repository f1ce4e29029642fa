//! `rapport doctor`: checks the setup end to end and prints one line per finding, `ok`
//! or `FAIL` with the fix, then a verdict (exit 1 when anything failed).
//!
//! One function per check, each returning what it found; `doctor` only runs them in
//! order and prints. It must never send mail, change the user's mailbox, or print a
//! secret, and it runs each password or token command once.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::output::outln;
use crate::config::{self, Loaded};
use crate::mail::imap::{Folder, ImapError};

/// One line of doctor's report.
pub struct Finding {
    pub ok: bool,
    pub what: String,
    pub detail: String,
}

impl Finding {
    pub fn ok(what: &str, detail: impl Into<String>) -> Finding {
        Finding::new(true, what, detail)
    }

    pub fn fail(what: &str, detail: impl Into<String>) -> Finding {
        Finding::new(false, what, detail)
    }

    pub fn new(ok: bool, what: &str, detail: impl Into<String>) -> Finding {
        Finding {
            ok,
            what: what.to_string(),
            detail: detail.into(),
        }
    }

    /// Prints the line; true when it is `ok`.
    fn print(&self) -> Result<bool> {
        let (what, detail) = (&self.what, &self.detail);
        match (self.ok, detail.is_empty()) {
            (true, true) => outln!("ok    {what}")?,
            (true, false) => outln!("ok    {what}: {detail}")?,
            (false, _) => outln!("FAIL  {what}: {detail}")?,
        }
        Ok(self.ok)
    }
}

pub fn doctor(config_flag: Option<&Path>) -> Result<ExitCode> {
    let path = config::config_path(config_flag).map_err(anyhow::Error::msg)?;
    let cfg = match config::load(&path) {
        Ok(c) => c,
        Err(e) => {
            Finding::fail("config", e.to_string()).print()?;
            return Ok(ExitCode::FAILURE);
        }
    };
    Finding::ok("config", path.display().to_string()).print()?;
    let mut all = true;
    for found in [
        database_permissions(&cfg),
        Some(database(&cfg)),
        data_directory(&cfg),
        service_paths(&cfg),
    ]
    .into_iter()
    .flatten()
    {
        all &= found.print()?;
    }
    for found in templates(&cfg)? {
        all &= found.print()?;
    }
    // Each account's servers and mailbox, under its name when there are several.
    for view in cfg.account_views() {
        if cfg.several_accounts() {
            outln!("account {} <{}>:", view.account, view.config.identity.email)?;
        }
        for check in [smtp, imap, mail_source, unknown_checkable] {
            for found in check(&view)? {
                all &= found.print()?;
            }
        }
    }
    for check in [super::doctor_logins::check, super::calendars::doctor] {
        for found in check(&cfg)? {
            all &= found.print()?;
        }
    }
    if all {
        outln!("Everything looks right.")?;
        Ok(ExitCode::SUCCESS)
    } else {
        outln!("Fix the FAIL lines above, then run `rapport doctor` again.")?;
        Ok(ExitCode::FAILURE)
    }
}

/// Makes a database others can read private, and says so.
fn database_permissions(cfg: &Loaded) -> Option<Finding> {
    const WHAT: &str = "database permissions";
    match crate::store::make_private(&cfg.store_path) {
        Ok(Some(old)) => Some(Finding::ok(
            WHAT,
            format!(
                "{} was readable by others (mode {old:o}); made it 600",
                cfg.store_path.display()
            ),
        )),
        Ok(None) => None,
        Err(e) => Some(Finding::fail(WHAT, format!("{e:#}"))),
    }
}

fn database(cfg: &Loaded) -> Finding {
    match crate::store::Store::open(&cfg.store_path) {
        Ok(_) => Finding::ok("database", cfg.store_path.display().to_string()),
        Err(e) => Finding::fail(
            "database",
            format!(
                "{e:#}; check that {} is yours and writable, or set [store] path",
                cfg.store_path.display()
            ),
        ),
    }
}

/// The systemd unit lets the daemon write only `~/.local/share/rapport`: a database
/// elsewhere (`$XDG_DATA_HOME`, `[store] path`) needs the unit told, or the daemon fails
/// with "read-only file system". Says the one line to add.
fn service_paths(cfg: &Loaded) -> Option<Finding> {
    let dir = cfg.store_path.parent()?;
    let unit_dir = config::home_dir().ok()?.join(".local/share/rapport");
    if dir == unit_dir {
        return None;
    }
    Some(Finding::ok(
        "systemd unit",
        format!(
            "your data directory {} is not the unit's ReadWritePaths; if you run the daemon with systemd, `systemctl --user edit rapport` and add: [Service] ReadWritePaths={}",
            dir.display(),
            dir.display()
        ),
    ))
}

/// The folder holding the database must be the user's alone.
#[cfg(unix)]
fn data_directory(cfg: &Loaded) -> Option<Finding> {
    use std::os::unix::fs::PermissionsExt;
    let dir = cfg.store_path.parent()?;
    let mode = std::fs::metadata(dir).ok()?.permissions().mode() & 0o777;
    let private = mode & 0o077 == 0;
    Some(Finding::new(
        private,
        "data directory permissions",
        if private {
            format!("{mode:o}")
        } else {
            format!(
                "{} is mode {mode:o}; run `chmod 700 {}`",
                dir.display(),
                dir.display()
            )
        },
    ))
}

#[cfg(not(unix))]
fn data_directory(_cfg: &Loaded) -> Option<Finding> {
    None
}

/// Every template renders with sample data.
fn templates(cfg: &Loaded) -> Result<Vec<Finding>> {
    let templates = crate::followup::draft::load_templates(&cfg.templates_dir)?;
    let sample = crate::core::render::sample_data();
    Ok(templates
        .names()
        .map(|name| {
            let what = format!("template {name}");
            match templates.render(name, &sample) {
                Ok(_) => Finding::ok(&what, ""),
                Err(e) => Finding::fail(
                    &what,
                    crate::followup::draft::template_error(&cfg.templates_dir, &e).to_string(),
                ),
            }
        })
        .collect())
}

fn smtp(cfg: &Loaded) -> Result<Vec<Finding>> {
    let smtp = &cfg.config.smtp;
    Ok(match smtp.transport {
        config::Transport::File => vec![Finding::ok(
            "smtp",
            format!(
                "file transport into {}",
                smtp.file_dir.as_deref().unwrap_or(Path::new("?")).display()
            ),
        )],
        config::Transport::Smtp => super::doctor_smtp::check(cfg),
    })
}

/// The IMAP logins offered, the secret, a real login and the folders; each step only
/// when the one before passed.
fn imap(cfg: &Loaded) -> Result<Vec<Finding>> {
    let Some(imap) = &cfg.config.imap else {
        return Ok(Vec::new());
    };
    let auth = imap_auth(imap);
    if !auth.ok {
        return Ok(vec![auth]);
    }
    let what = if imap.login.auth.is_oauth2() {
        "imap token"
    } else {
        "imap password"
    };
    let secret = match crate::secrets::fetch_for("imap", &imap.login) {
        Ok(s) => s,
        Err(e) => return Ok(vec![auth, Finding::fail(what, e.to_string())]),
    };
    let mut found = vec![auth, Finding::ok(what, "found")];
    let username = imap
        .login
        .username
        .clone()
        .unwrap_or_else(|| cfg.config.identity.email.clone());
    match imap_probe(imap, &username, secret) {
        Ok((idle, folders)) => {
            let idle = if idle {
                " (IDLE)"
            } else {
                " (no IDLE: polling)"
            };
            found.push(Finding::ok(
                "imap login",
                format!("{username} at {}{idle}", imap.host),
            ));
            match folders {
                Ok(folders) => found.extend(imap_folders(imap, &folders)),
                Err(e) => found.push(Finding::fail("imap folders", e.to_string())),
            }
        }
        Err(e) => found.push(Finding::fail("imap login", e.to_string())),
    }
    Ok(found)
}

/// Which logins the server offers, and whether the configured one is among them.
fn imap_auth(imap: &config::Imap) -> Finding {
    let offered = match runtime() {
        Ok(rt) => rt.block_on(crate::mail::imap::Session::offered_auth(imap)),
        Err(e) => return Finding::fail("imap server", format!("{e:#}")),
    };
    let offered = match offered {
        Ok(o) => o,
        Err(e) => return Finding::fail("imap server", e.to_string()),
    };
    match crate::secrets::sasl::check_imap_offered(imap.login.auth, &offered) {
        Ok(line) => Finding::ok("imap auth", line),
        Err(line) => Finding::fail("imap auth", line),
    }
}

/// What a login found: (IDLE offered, the folders).
type Probe = (bool, Result<Vec<Folder>, ImapError>);

/// Logs in with `secret` and lists the folders.
fn imap_probe(
    imap: &config::Imap,
    username: &str,
    secret: crate::secrets::Secret,
) -> Result<Probe> {
    runtime()?.block_on(async {
        let mut s = crate::mail::imap::Session::connect_with(imap, username, secret).await?;
        let folders = s.folders().await;
        let idle = s.idle_supported;
        s.logout().await;
        Ok((idle, folders))
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The folders with their special use; every configured folder that is not there (a
/// FAIL naming those that are: sync would fail it every time); and which Sent folder is
/// read, and how it was found (a FAIL when none is).
fn imap_folders(imap: &config::Imap, folders: &[Folder]) -> Vec<Finding> {
    let names: Vec<String> = folders
        .iter()
        .map(|f| match f.special {
            Some(sp) => format!("{} [{}]", f.name, special_name(sp)),
            None => f.name.clone(),
        })
        .collect();
    let mut found = vec![Finding::ok("imap folders", names.join(", "))];
    let configured = imap
        .sent_folder
        .iter()
        .map(|n| ("sent_folder", n))
        .chain(imap.folders.iter().map(|n| ("folders", n)));
    for (key, name) in configured {
        // A pattern (`Clients/*`) is matched, not opened: only plain names must exist.
        if name.contains(['*', '%']) || exists(folders, name) {
            continue;
        }
        found.push(Finding::fail(
            "imap folder",
            format!(
                "[imap] {key} names \"{}\", which is not a folder rapport can open on {}; sync would fail it every time. Set it to one of: {}",
                crate::mail::imap::escape_words(name),
                imap.host,
                openable(folders)
            ),
        ));
    }
    let chosen = crate::mail::sync::choose_folders(imap, folders);
    let sent = crate::mail::sent_folder::find(imap, folders);
    // Patterns are matched by the sync that knows them; a Sent folder is taken as read.
    let patterns = imap.folders.iter().any(|n| n.contains(['*', '%']));
    let read = sent
        .as_ref()
        .filter(|s| patterns || chosen.contains(&s.name));
    found.push(match (read, &sent) {
        (Some(s), _) => Finding::ok(
            "sent folder",
            format!("{}; reading {}", s.describe(), chosen.join(", ")),
        ),
        (None, Some(s)) => Finding::fail(
            "sent folder",
            format!(
                "{} is not among [imap] folders ({}): rapport would never see your own requests; add it to folders",
                s.describe(),
                chosen.join(", ")
            ),
        ),
        (None, None) => Finding::fail(
            "sent folder",
            format!(
                "none found (no folder is marked \\Sent and none has a usual name): rapport would read only {} and never see your own requests; set [imap] sent_folder = \"NAME\" to one of: {}",
                chosen.join(", "),
                openable(folders)
            ),
        ),
    });
    found
}

/// Whether `name` is a folder that can be opened (INBOX in any case, as IMAP has it).
fn exists(folders: &[Folder], name: &str) -> bool {
    folders.iter().any(|f| {
        f.selectable
            && (f.name == name
                || (f.name.eq_ignore_ascii_case("INBOX") && name.eq_ignore_ascii_case("INBOX")))
    })
}

/// The folders that can be opened, quoted, for a FAIL's fix.
fn openable(folders: &[Folder]) -> String {
    folders
        .iter()
        .filter(|f| f.selectable)
        .map(|f| format!("\"{}\"", crate::mail::imap::escape_words(&f.name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A special use as its JSON name (`sent`, `drafts`, ...).
fn special_name(special: impl serde::Serialize) -> String {
    serde_json::to_value(special)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Whether an `unknown` draft (the connection broke while the server took it) can be
/// checked against a copy in the mailbox. With `save_sent = "never"` only the provider's
/// own copy can tell; when it has filed none of what rapport sent, nothing can.
fn unknown_checkable(cfg: &Loaded) -> Result<Vec<Finding>> {
    const WHAT: &str = "checking interrupted sends";
    let Some(imap) = &cfg.config.imap else {
        return Ok(Vec::new());
    };
    if imap.save_sent != config::SaveSent::Never {
        return Ok(Vec::new());
    }
    let (sent, seen) = match crate::store::Store::open(&cfg.store_path) {
        Ok(store) => store.sent_drafts_seen()?,
        Err(_) => return Ok(Vec::new()),
    };
    Ok(vec![if sent > 0 && seen == 0 {
        Finding::fail(
            WHAT,
            format!(
                "no copy of the {sent} email(s) rapport sent is in the folders it reads (your provider files none, or rapport does not read your Sent folder), and [imap] save_sent = \"never\": a draft whose sending was interrupted (`unknown`) cannot be checked, and `queue resolve ID not-sent` may send it twice; set save_sent = \"auto\" so rapport files its own copy"
            ),
        )
    } else if sent == 0 {
        Finding::ok(
            WHAT,
            "save_sent = \"never\": if your provider files no copy of what rapport sends, an interrupted (`unknown`) draft cannot be checked; `save_sent = \"auto\"` makes sure there is one",
        )
    } else {
        Finding::ok(
            WHAT,
            format!("the provider filed copies of {seen} of {sent} sent email(s)"),
        )
    }])
}

/// Without a mail source rapport cannot see replies; a Maildir must be one.
fn mail_source(cfg: &Loaded) -> Result<Vec<Finding>> {
    let mut found = Vec::new();
    if cfg.config.imap.is_none() && cfg.config.maildir.is_none() {
        found.push(Finding::fail(
            "mail source",
            "no [imap] or [maildir] section: rapport cannot see replies",
        ));
    }
    if let Some(m) = &cfg.config.maildir {
        let p = config::expand_tilde(&m.path);
        let is_maildir = p.join("cur").is_dir();
        found.push(Finding::new(
            is_maildir,
            "maildir",
            if is_maildir {
                p.display().to_string()
            } else {
                format!("{} is not a Maildir (no cur/ inside)", p.display())
            },
        ));
    }
    Ok(found)
}
