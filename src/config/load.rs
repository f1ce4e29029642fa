//! Reading the config file: its bytes, its permissions, then the TOML and every check.
//!
//! It must never accept a file others can read, nor one that holds a literal password.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use super::locate::{find_key_line, refuse_literal_passwords, toml_error};
use super::validate::{check_server, parse_window};
use super::*;
use crate::core::address::is_email;

/// Reads, parses and validates the config file at `path`.
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let err = |key: Option<&str>, line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        key: key.map(str::to_string),
        line,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            "; run `rapport init` to write one, or pass --config PATH"
        } else {
            ""
        };
        err(
            None,
            None,
            format!("cannot read the config file: {e}{hint}"),
        )
    })?;
    let text = utf8(&bytes).map_err(|(line, m)| err(None, Some(line), m))?;
    check_permissions(path, text).map_err(|m| err(None, None, m))?;
    let loaded = parse(path, text)?;
    // The variables holding passwords are kept from every command rapport starts.
    let smtp = loaded.config.smtp.login.password_env.iter();
    let imap = loaded.config.imap.iter();
    let calendars = loaded.config.calendars.iter();
    let calendars = calendars.filter_map(|c| c.password_env.as_ref());
    for var in smtp
        .chain(imap.filter_map(|i| i.login.password_env.as_ref()))
        .chain(calendars)
    {
        crate::secrets::keep_from_children(var);
    }
    for a in &loaded.config.accounts {
        let imap = a.imap.iter().filter_map(|i| i.login.password_env.as_ref());
        for var in a.smtp.login.password_env.iter().chain(imap) {
            crate::secrets::keep_from_children(var);
        }
    }
    Ok(loaded)
}

/// The file as text, or the line of the first byte that is not UTF-8.
fn utf8(bytes: &[u8]) -> Result<&str, (usize, String)> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + good.iter().rev().take_while(|&&b| b != b'\n').count();
        (
            line,
            format!(
                "column {column} is not valid UTF-8 (the file was saved in another encoding); save it as UTF-8"
            ),
        )
    })
}

/// Refuses a config file that group or others can change (they could make rapport run
/// any command as a password_command), and one that others can read when it holds a
/// secret (as msmtp and mbsync do). A 640 or 644 file without a secret is fine: literal
/// passwords are refused anyway, so it names commands and addresses only.
#[cfg(unix)]
pub fn check_permissions(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot stat the config file: {e}"))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(format!(
            "the config file can be changed by others (mode {mode:o}), who could make rapport run any command; run `chmod 600 {}`",
            path.display()
        ));
    }
    if mode & 0o044 != 0
        && let Some(what) = secret_in(text)
    {
        return Err(format!(
            "the config file is readable by others (mode {mode:o}) and holds a secret ({what}); run `chmod 600 {}`, or move the secret into a password_command",
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_permissions(_path: &Path, _text: &str) -> Result<(), String> {
    Ok(())
}

/// What in the text is a secret, if anything: a URL with a password in it, or a
/// command given a password or passphrase on its command line.
pub fn secret_in(text: &str) -> Option<&'static str> {
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let lower = line.to_lowercase();
        if let Some(at) = lower.find("://") {
            let rest = lower.get(at + 3..).unwrap_or("");
            let authority = rest.split(['/', '"', '\'', ' ']).next().unwrap_or("");
            if authority.contains('@')
                && authority.split('@').next().is_some_and(|u| u.contains(':'))
            {
                return Some("a URL with a password in it");
            }
        }
        if ["--passphrase", "--password", "-p "]
            .iter()
            .any(|flag| lower.contains(flag) && lower.contains("_command"))
        {
            return Some("a command given a password on its command line");
        }
    }
    None
}

/// A failed check: the dotted key and what to do about it.
type Problem = (String, String);

fn problem((key, message): (&str, String)) -> Problem {
    (key.to_string(), message)
}

/// Parses and validates config text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, ConfigError> {
    let err = |(key, message): Problem| ConfigError {
        path: path.to_path_buf(),
        line: find_key_line(text, &key),
        key: Some(key),
        message,
    };
    refuse_literal_passwords(path, text)?;
    let mut config: Config = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let account_windows = accounts::check(&mut config, text).map_err(err)?;
    let tz = check_identity(&config.identity).map_err(err)?;
    let window = parse_window(&config.send_window)
        .map_err(problem)
        .map_err(err)?;
    if config.accounts.is_empty() {
        check_smtp(&config.smtp).map_err(err)?;
    }
    if let Some(imap) = &mut config.imap {
        check_imap(imap).map_err(err)?;
        folder_names_as_text(imap);
    }
    for a in &mut config.accounts {
        let named = |(key, message): Problem| {
            (
                format!("accounts.{key}"),
                format!("account {:?}: {message}", a.name),
            )
        };
        check_smtp(&a.smtp).map_err(named).map_err(err)?;
        if let Some(imap) = &mut a.imap {
            check_imap(imap).map_err(named).map_err(err)?;
            folder_names_as_text(imap);
        }
    }
    check_policy(&config.policy).map_err(err)?;
    calendars::check(&config.calendars).map_err(err)?;
    check_digest_at(&config.digest.at).map_err(err)?;
    limits::check(&config).map_err(problem).map_err(err)?;
    let (store_path, templates_dir) = data_paths(&config).map_err(err)?;
    let account = config
        .accounts
        .first()
        .map_or_else(|| DEFAULT_ACCOUNT.to_string(), |a| a.name.clone());
    let account_windows = account_windows
        .into_iter()
        .map(|w| w.unwrap_or_else(|| window.clone()))
        .collect();
    let loaded = Loaded {
        path: path.to_path_buf(),
        config,
        tz,
        window,
        store_path,
        templates_dir,
        account,
        account_windows,
    };
    // The view `load` returns is the first account's; each account's numbers are
    // checked in its own view.
    for view in loaded.account_views() {
        if !loaded.config.accounts.is_empty() {
            limits::check(&view.config)
                .map_err(|(key, m)| {
                    (
                        format!("accounts.{key}"),
                        format!("account {:?}: {m}", view.account),
                    )
                })
                .map_err(err)?;
        }
    }
    let first = loaded.account.clone();
    Ok(loaded.for_account(&first).unwrap_or(loaded))
}

/// Folder names are text (`INBOX.Éléments envoyés`); one written in IMAP's wire form,
/// the only way such a folder could be named before, is read as the text it stands for.
fn folder_names_as_text(imap: &mut Imap) {
    use crate::mail::imap::mutf7::from_config;
    imap.sent_folder = imap.sent_folder.as_deref().map(from_config);
    for f in &mut imap.folders {
        *f = from_config(f);
    }
}

/// `digest.at` is a time of day, as the digest reads it ("25:00" is refused here, not
/// on the first morning it should have gone out).
fn check_digest_at(at: &str) -> Result<(), Problem> {
    at.trim().parse::<Time>().map(|_| ()).map_err(|_| {
        (
            "digest.at".to_string(),
            format!(
                "{at:?} is not a time of day; write one from \"00:00\" to \"23:59\", e.g. \"08:00\""
            ),
        )
    })
}

/// The identity's time zone, once its addresses and name are checked.
fn check_identity(identity: &Identity) -> Result<TimeZone, Problem> {
    let key = |k: &str, message: String| (format!("identity.{k}"), message);
    let tz = TimeZone::get(&identity.timezone).map_err(|_| {
        key(
            "timezone",
            format!(
                "{:?} is not an IANA time zone name; use a name such as \"Europe/Berlin\" or \"America/New_York\"",
                identity.timezone
            ),
        )
    })?;
    if !is_email(identity.email.trim()) {
        return Err(key(
            "email",
            format!(
                "{:?} is not an email address; write the address you send from, e.g. \"you@example.com\"",
                identity.email
            ),
        ));
    }
    for (i, alias) in identity.aliases.iter().enumerate() {
        if !is_email(alias.trim()) {
            return Err(key(
                "aliases",
                format!("alias {} ({alias:?}) is not an email address", i + 1),
            ));
        }
    }
    if has_control(&identity.name) {
        return Err(key(
            "name",
            "contains a line break or control character; write the name on one line".into(),
        ));
    }
    Ok(tz)
}

fn check_smtp(smtp: &Smtp) -> Result<(), Problem> {
    match smtp.transport {
        Transport::File if smtp.file_dir.is_none() => Err(problem((
            "smtp.file_dir",
            "transport = \"file\" needs file_dir, the folder the .eml files go to".into(),
        ))),
        Transport::File => Ok(()),
        Transport::Smtp if smtp.host.trim().is_empty() => Err(problem((
            "smtp.host",
            "is missing; write your provider's SMTP server, e.g. host = \"smtp.example.com\" (or transport = \"file\" to write .eml files)".into(),
        ))),
        Transport::Smtp => check_server(
            "smtp",
            &smtp.host,
            smtp.security,
            &smtp.login,
            smtp.ca_file.as_deref(),
        ),
    }
}

fn check_imap(imap: &Imap) -> Result<(), Problem> {
    check_server(
        "imap",
        &imap.host,
        imap.security,
        &imap.login,
        imap.ca_file.as_deref(),
    )?;
    if imap.poll_seconds < 10 {
        return Err(problem((
            "imap.poll_seconds",
            "must be at least 10; polling faster only burdens the server".into(),
        )));
    }
    Ok(())
}

fn check_policy(policy: &Policy) -> Result<(), Problem> {
    for kind in &policy.auto_approve {
        if kind.parse::<crate::core::model::DraftKind>().is_err() {
            return Err(problem((
                "policy.auto_approve",
                format!(
                    "{kind:?} is not a draft kind; use some of \"meeting-request\", \"nudge\", \"thank-you\", \"check-in\""
                ),
            )));
        }
    }
    Ok(())
}

/// The database file and the templates folder, defaults filled in.
fn data_paths(config: &Config) -> Result<(PathBuf, PathBuf), Problem> {
    let store_path = match &config.store.path {
        Some(p) => expand_tilde(p),
        None => default_data_dir()
            .map_err(|m| problem(("store.path", m)))?
            .join("rapport.db"),
    };
    let templates_dir = match &config.templates.dir {
        Some(p) => expand_tilde(p),
        None => default_config_dir()
            .map_err(|m| problem(("templates.dir", m)))?
            .join("templates"),
    };
    Ok((store_path, templates_dir))
}
