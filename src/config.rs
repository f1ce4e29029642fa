//! The configuration file: one TOML file, read once, validated whole.
//!
//! Where it comes from: `--config PATH`, else `$RAPPORT_CONFIG`, else
//! `~/.config/rapport/config.toml`. Unknown keys are rejected, and every error names
//! the file, the key and its line, and says how to fix it.
//!
//! This module must never hold a secret: passwords come from `password_command` or
//! `password_env` at the moment a connection needs them (see [`crate::secrets`]), and a
//! literal `password` key is refused.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use jiff::civil::Time;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

pub mod limits;
mod login;
mod sent;

pub use login::{AuthMethod, Login};
pub use sent::SaveSent;

/// Environment variable naming the config file when `--config` is not given.
pub const CONFIG_ENV: &str = "RAPPORT_CONFIG";

/// A configuration problem, pointing at the file, the key and the line.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError {
    pub path: PathBuf,
    pub key: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The whole configuration, as written in the file (after defaults).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub identity: Identity,
    #[serde(default)]
    pub smtp: Smtp,
    #[serde(default)]
    pub imap: Option<Imap>,
    #[serde(default)]
    pub maildir: Option<Maildir>,
    #[serde(default)]
    pub store: Store,
    #[serde(default)]
    pub send_window: SendWindow,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub tiers: Tiers,
    #[serde(default)]
    pub goals: Goals,
    #[serde(default)]
    pub templates: Templates,
    #[serde(default)]
    pub digest: Digest,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub name: String,
    pub email: String,
    /// IANA time zone name, e.g. `Europe/Berlin`.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Other addresses that are also you (aliases), so their mail counts as yours.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The few facts you want the people you meet to know about you (`rapport brief`).
    #[serde(default)]
    pub facts: Vec<String>,
    /// The short narrative that connects those facts (`rapport brief`).
    #[serde(default)]
    pub narrative: String,
}

fn default_timezone() -> String {
    "UTC".to_string()
}

/// How the connection to a server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Implicit TLS from the first byte (IMAPS 993, SMTPS 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required: no upgrade, no login.
    Starttls,
    /// No TLS at all: only accepted for loopback hosts (local bridges).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// Send over SMTP.
    Smtp,
    /// Write `.eml` files into `file_dir` (the demo and tests).
    File,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    #[serde(default = "default_transport")]
    pub transport: Transport,
    #[serde(default)]
    pub host: String,
    /// Defaults to 465 for `tls`, 587 for `starttls`, 25 for `none`.
    pub port: Option<u16>,
    #[serde(default = "default_security")]
    pub security: Security,
    /// Username, auth method and where the secret comes from.
    #[serde(flatten)]
    pub login: Login,
    pub ca_file: Option<PathBuf>,
    /// Where `transport = "file"` writes `.eml` files.
    pub file_dir: Option<PathBuf>,
    /// Seconds before a silent server is given up on.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

impl Default for Smtp {
    fn default() -> Self {
        Smtp {
            transport: Transport::Smtp,
            host: String::new(),
            port: None,
            security: Security::Tls,
            login: Login::default(),
            ca_file: None,
            file_dir: None,
            timeout_seconds: default_timeout(),
        }
    }
}

fn default_transport() -> Transport {
    Transport::Smtp
}
fn default_security() -> Security {
    Security::Tls
}
fn default_timeout() -> u64 {
    30
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Imap {
    pub host: String,
    /// Defaults to 993 for `tls`, 143 otherwise.
    pub port: Option<u16>,
    #[serde(default = "default_security")]
    pub security: Security,
    /// Username, auth method and where the secret comes from.
    #[serde(flatten)]
    pub login: Login,
    pub ca_file: Option<PathBuf>,
    /// Folders to read; empty means the inbox and the folder marked \Sent.
    #[serde(default)]
    pub folders: Vec<String>,
    /// The folder holding sent mail, when the server does not mark one \Sent.
    pub sent_folder: Option<String>,
    #[serde(default = "default_lookback")]
    pub lookback_days: u32,
    #[serde(default = "default_poll")]
    pub poll_seconds: u64,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// Bodies larger than this are not fetched whole (headers only).
    #[serde(default = "default_max_body")]
    pub max_body_bytes: u32,
    /// Whether a copy of each sent email is filed in the Sent folder.
    #[serde(default)]
    pub save_sent: SaveSent,
    /// Seconds (`auto`) to wait for the server's own copy before appending one.
    #[serde(default = "sent::default_wait", deserialize_with = "sent::de_wait")]
    pub save_sent_wait: u64,
}

// `smtp.username`, `imap.password_command`, ...: the login keys read as if they were
// the section's own, as they are in the file (callers written before [`Login`] existed
// keep working).
impl std::ops::Deref for Smtp {
    type Target = Login;
    fn deref(&self) -> &Login {
        &self.login
    }
}

impl std::ops::Deref for Imap {
    type Target = Login;
    fn deref(&self) -> &Login {
        &self.login
    }
}

fn default_lookback() -> u32 {
    365
}
fn default_poll() -> u64 {
    300
}
fn default_max_body() -> u32 {
    2 * 1024 * 1024
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Maildir {
    /// The Maildir root; every Maildir++ subfolder except junk, trash and drafts is read
    /// (your own messages are told apart by their From address).
    pub path: PathBuf,
    /// At most this much of a message's body is read (its headers always are).
    #[serde(default = "default_max_body")]
    pub max_body_bytes: u32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    /// Defaults to `~/.local/share/rapport/rapport.db`.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SendWindow {
    #[serde(default = "default_days")]
    pub days: Vec<String>,
    #[serde(default = "default_start")]
    pub start: String,
    #[serde(default = "default_end")]
    pub end: String,
}

impl Default for SendWindow {
    fn default() -> Self {
        SendWindow {
            days: default_days(),
            start: default_start(),
            end: default_end(),
        }
    }
}

fn default_days() -> Vec<String> {
    ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| d.to_string())
        .collect()
}
fn default_start() -> String {
    "09:00".to_string()
}
fn default_end() -> String {
    "17:00".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// At most this many emails a day (in the identity's time zone).
    pub daily_send_cap: u32,
    /// A nudge is drafted this many days after an unanswered request.
    pub nudge_after_days: u32,
    /// After the nudge, this many days without a reply makes the contact dormant.
    pub dormant_after_days: u32,
    /// The thank-you is due this many hours after a meeting ends.
    pub thank_you_after_hours: u32,
    /// The length of meeting the request asks for, in minutes.
    pub meeting_minutes: u32,
    /// The window, in weeks, the request proposes ("in the next 2-3 weeks").
    pub request_weeks: String,
    /// Draft kinds sent without approval. Empty by default; be careful.
    pub auto_approve: Vec<String>,
    /// Seconds between SMTP retries after a temporary failure (doubles each time).
    pub retry_seconds: u64,
    /// Temporary failures tolerated before a draft is marked failed.
    pub max_attempts: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            daily_send_cap: 20,
            nudge_after_days: 7,
            dormant_after_days: 14,
            thank_you_after_hours: 2,
            meeting_minutes: 25,
            request_weeks: "2-3".to_string(),
            auto_approve: Vec::new(),
            retry_seconds: 60,
            max_attempts: 8,
        }
    }
}

/// Check-in cadence per tier, in months.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tiers {
    pub close_months: u32,
    pub regular_months: u32,
    pub acquaintance_months: u32,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers {
            close_months: 1,
            regular_months: 3,
            acquaintance_months: 6,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Goals {
    pub new_contacts_per_month: u32,
    pub conversations_per_week: u32,
}

impl Default for Goals {
    fn default() -> Self {
        Goals {
            new_contacts_per_month: 4,
            conversations_per_week: 1,
        }
    }
}

/// The morning digest: one email to yourself on the days set, when something waits.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Digest {
    pub enabled: bool,
    /// Local time from which the day's digest goes out, "HH:MM".
    pub at: String,
    /// "workdays" (Monday to Friday), "daily", or day names: "mon,wed,fri".
    pub days: String,
    /// A command run instead of the email (e.g. "notify-send rapport"): it gets the
    /// one-line summary as its last argument and the whole text on stdin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl Default for Digest {
    fn default() -> Self {
        Digest {
            enabled: false,
            at: "08:00".into(),
            days: "workdays".into(),
            command: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    /// Your own templates; a file here overrides the built-in one of the same name.
    /// Defaults to `~/.config/rapport/templates`.
    pub dir: Option<PathBuf>,
}

/// The config after validation, with everything derived once.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub config: Config,
    pub tz: TimeZone,
    pub window: Window,
    pub store_path: PathBuf,
    pub templates_dir: PathBuf,
}

/// The send window, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub days: Vec<jiff::civil::Weekday>,
    pub start: Time,
    pub end: Time,
}

/// The user's home directory, or an error saying how to set it.
pub fn home_dir() -> Result<PathBuf, String> {
    match std::env::var_os("HOME") {
        Some(h) if !h.is_empty() => Ok(PathBuf::from(h)),
        _ => Err("HOME is not set; set it or pass --config".to_string()),
    }
}

/// Where the config file is: the flag, else `$RAPPORT_CONFIG`, else the default.
pub fn config_path(flag: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(default_config_dir()?.join("config.toml"))
}

fn xdg_dir(var: &str, fallback: &str) -> Result<PathBuf, String> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() && Path::new(&p).is_absolute() => Ok(PathBuf::from(p)),
        _ => Ok(home_dir()?.join(fallback)),
    }
}

/// `$XDG_CONFIG_HOME/rapport` or `~/.config/rapport`.
pub fn default_config_dir() -> Result<PathBuf, String> {
    Ok(xdg_dir("XDG_CONFIG_HOME", ".config")?.join("rapport"))
}

/// `$XDG_DATA_HOME/rapport` or `~/.local/share/rapport`.
pub fn default_data_dir() -> Result<PathBuf, String> {
    Ok(xdg_dir("XDG_DATA_HOME", ".local/share")?.join("rapport"))
}

/// Expands a leading `~/` to the home directory.
pub fn expand_tilde(p: &Path) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Ok(home) = home_dir()
    {
        return home.join(rest);
    }
    p.to_path_buf()
}

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
    check_permissions(path).map_err(|m| err(None, None, m))?;
    let text = utf8(&bytes).map_err(|(line, m)| err(None, Some(line), m))?;
    parse(path, text)
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

/// Refuses a config file that group or others can read (it may name password commands
/// and account details), with the `chmod` that fixes it.
#[cfg(unix)]
pub fn check_permissions(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot stat the config file: {e}"))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "the config file is readable by others (mode {mode:o}); run `chmod 600 {}`",
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_permissions(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// Parses and validates config text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, ConfigError> {
    let err = |key: &str, message: String| ConfigError {
        path: path.to_path_buf(),
        line: find_key_line(text, key),
        key: Some(key.to_string()),
        message,
    };
    refuse_literal_passwords(path, text)?;
    let config: Config = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;

    let tz = TimeZone::get(&config.identity.timezone).map_err(|_| {
        err(
            "identity.timezone",
            format!(
                "{:?} is not an IANA time zone name; use a name such as \"Europe/Berlin\" or \"America/New_York\"",
                config.identity.timezone
            ),
        )
    })?;
    if !looks_like_address(&config.identity.email) {
        return Err(err(
            "identity.email",
            format!(
                "{:?} is not an email address; write the address you send from, e.g. \"you@example.com\"",
                config.identity.email
            ),
        ));
    }
    for (i, alias) in config.identity.aliases.iter().enumerate() {
        if !looks_like_address(alias) {
            return Err(err(
                "identity.aliases",
                format!("alias {} ({alias:?}) is not an email address", i + 1),
            ));
        }
    }
    if has_control(&config.identity.name) {
        return Err(err(
            "identity.name",
            "contains a line break or control character; write the name on one line".into(),
        ));
    }
    let window = parse_window(&config.send_window).map_err(|(k, m)| err(k, m))?;

    // SMTP
    let smtp = &config.smtp;
    match smtp.transport {
        Transport::File => {
            if smtp.file_dir.is_none() {
                return Err(err(
                    "smtp.file_dir",
                    "transport = \"file\" needs file_dir, the folder the .eml files go to".into(),
                ));
            }
        }
        Transport::Smtp => {
            if smtp.host.trim().is_empty() {
                return Err(err(
                    "smtp.host",
                    "is missing; write your provider's SMTP server, e.g. host = \"smtp.example.com\" (or transport = \"file\" to write .eml files)".into(),
                ));
            }
            check_server(
                "smtp",
                &smtp.host,
                smtp.security,
                &smtp.login,
                smtp.ca_file.as_deref(),
            )
            .map_err(|(k, m)| err(&k, m))?;
        }
    }
    if let Some(imap) = &config.imap {
        check_server(
            "imap",
            &imap.host,
            imap.security,
            &imap.login,
            imap.ca_file.as_deref(),
        )
        .map_err(|(k, m)| err(&k, m))?;
        if imap.poll_seconds < 10 {
            return Err(err(
                "imap.poll_seconds",
                "must be at least 10; polling faster only burdens the server".into(),
            ));
        }
    }

    // Policy
    let p = &config.policy;
    for kind in &p.auto_approve {
        if !crate::core::model::DraftKind::ALL
            .iter()
            .any(|k| k.as_str() == kind)
        {
            return Err(err(
                "policy.auto_approve",
                format!(
                    "{kind:?} is not a draft kind; use some of \"meeting-request\", \"nudge\", \"thank-you\", \"check-in\""
                ),
            ));
        }
    }
    limits::check(&config).map_err(|(k, m)| err(k, m))?;

    let store_path = match &config.store.path {
        Some(p) => expand_tilde(p),
        None => default_data_dir()
            .map_err(|m| err("store.path", m))?
            .join("rapport.db"),
    };
    let templates_dir = match &config.templates.dir {
        Some(p) => expand_tilde(p),
        None => default_config_dir()
            .map_err(|m| err("templates.dir", m))?
            .join("templates"),
    };
    Ok(Loaded {
        path: path.to_path_buf(),
        config,
        tz,
        window,
        store_path,
        templates_dir,
    })
}

fn check_server(
    section: &str,
    host: &str,
    security: Security,
    login: &Login,
    ca_file: Option<&Path>,
) -> Result<(), (String, String)> {
    if host.trim().is_empty() {
        return Err((
            format!("{section}.host"),
            "is empty; write the server's host name".into(),
        ));
    }
    if security == Security::None && !is_loopback_host(host) {
        return Err((
            format!("{section}.security"),
            format!(
                "\"none\" sends your password in the clear and is only allowed for a loopback host (127.0.0.1, ::1, localhost), not {host:?}; use security = \"tls\" or \"starttls\""
            ),
        ));
    }
    login::check(section, login)?;
    if let Some(ca) = ca_file {
        let ca = expand_tilde(ca);
        if !ca.is_file() {
            return Err((
                format!("{section}.ca_file"),
                format!(
                    "{} does not exist or is not a file; give the PEM file of your server's CA",
                    ca.display()
                ),
            ));
        }
    }
    Ok(())
}

/// True for `localhost` and addresses in 127.0.0.0/8 or `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

fn parse_window(w: &SendWindow) -> Result<Window, (&'static str, String)> {
    use jiff::civil::Weekday;
    let mut days = Vec::new();
    for d in &w.days {
        let day = match d.to_ascii_lowercase().as_str() {
            "mon" => Weekday::Monday,
            "tue" => Weekday::Tuesday,
            "wed" => Weekday::Wednesday,
            "thu" => Weekday::Thursday,
            "fri" => Weekday::Friday,
            "sat" => Weekday::Saturday,
            "sun" => Weekday::Sunday,
            _ => {
                return Err((
                    "send_window.days",
                    format!(
                        "{d:?} is not a day; use three-letter English names: \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\""
                    ),
                ));
            }
        };
        if !days.contains(&day) {
            days.push(day);
        }
    }
    if days.is_empty() {
        return Err((
            "send_window.days",
            "is empty, so nothing could ever be sent; list at least one day".into(),
        ));
    }
    let time = |key: &'static str, s: &str| -> Result<Time, (&'static str, String)> {
        let bad = || {
            (
                key,
                format!("{s:?} is not a time; write \"HH:MM\", e.g. \"09:00\""),
            )
        };
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: i8 = h.parse().map_err(|_| bad())?;
        let m: i8 = m.parse().map_err(|_| bad())?;
        Time::new(h, m, 0, 0).map_err(|_| bad())
    };
    let start = time("send_window.start", &w.start)?;
    let end = time("send_window.end", &w.end)?;
    if end <= start {
        return Err((
            "send_window.end",
            format!(
                "{} is not after start {}; the window must end later the same day",
                w.end, w.start
            ),
        ));
    }
    Ok(Window { days, start, end })
}

/// A cheap check that a string is shaped like `local@domain.tld`.
pub fn looks_like_address(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

/// True when the text holds CR, LF or another control character (tabs included).
pub fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

fn refuse_literal_passwords(path: &Path, text: &str) -> Result<(), ConfigError> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Ok(()); // the full parse below reports syntax errors with their position
    };
    for section in ["smtp", "imap"] {
        let has_password = table
            .get(section)
            .and_then(|v| v.as_table())
            .is_some_and(|t| t.contains_key("password"));
        if has_password {
            let key = format!("{section}.password");
            return Err(ConfigError {
                path: path.to_path_buf(),
                line: find_key_line(text, &key),
                key: Some(key),
                message: format!(
                    "passwords are never kept in the config file; remove this key and add password_command = \"pass show mail/{section}\" (a command whose first output line is the password) or password_env = \"RAPPORT_{}_PASSWORD\"",
                    section.to_uppercase()
                ),
            });
        }
    }
    Ok(())
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .and_then(|span| text.get(..span.start))
        .map(|before| before.matches('\n').count() + 1);
    let msg = e.message().trim().to_string();
    let key = e
        .span()
        .and_then(|span| key_path_at(text, span.start))
        .filter(|k| !k.is_empty());
    let hint = if msg.contains("unknown field") {
        "; check the spelling against config.example.toml"
    } else if msg.contains("missing field") {
        "; add it (config.example.toml shows every key)"
    } else {
        ""
    };
    ConfigError {
        path: path.to_path_buf(),
        key,
        line,
        message: format!("{msg}{hint}"),
    }
}

/// The dotted key path (`section.key`) written at byte offset `pos`, found by scanning
/// the lines above it for the enclosing `[section]`.
fn key_path_at(text: &str, pos: usize) -> Option<String> {
    let pos = pos.min(text.len());
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text.get(line_start..)?.lines().next().unwrap_or("");
    let section = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        return Some(trimmed.trim_matches(|c| c == '[' || c == ']').to_string());
    }
    let key = trimmed.split('=').next().map(str::trim).unwrap_or("");
    match (section, key.is_empty()) {
        (Some(s), false) => Some(format!("{s}.{key}")),
        (Some(s), true) => Some(s),
        (None, false) => Some(key.to_string()),
        (None, true) => None,
    }
}

/// The 1-based line where `section.key` is written, when it is written plainly.
pub fn find_key_line(text: &str, dotted: &str) -> Option<usize> {
    let (section, key) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let mut current = String::new();
    let mut section_line = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            current = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            if current == section {
                section_line = Some(i + 1);
            }
            continue;
        }
        if current == section {
            let name = line.split('=').next().map(str::trim).unwrap_or("");
            if name == key && line.contains('=') {
                return Some(i + 1);
            }
        }
    }
    section_line
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[identity]
name = "Ada Lovelace"
email = "ada@example.com"
timezone = "Europe/London"

[smtp]
transport = "file"
file_dir = "/tmp/out"
"#;

    fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
        parse(Path::new("/home/ada/.config/rapport/config.toml"), text)
    }

    #[test]
    fn minimal_config_gets_the_documented_defaults() {
        let c = parse_str(MINIMAL).unwrap();
        assert_eq!(c.config.policy.daily_send_cap, 20);
        assert_eq!(c.window.days.len(), 5);
        assert_eq!(c.window.start, Time::new(9, 0, 0, 0).unwrap());
        assert_eq!(c.window.end, Time::new(17, 0, 0, 0).unwrap());
        assert_eq!(c.config.tiers.regular_months, 3);
        assert_eq!(c.tz.iana_name(), Some("Europe/London"));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = format!("{MINIMAL}\n[policy]\ndaily_send_cop = 3\n");
        let e = parse_str(&text).unwrap_err();
        let s = e.to_string();
        assert_eq!(e.line, Some(12), "{s}");
        assert_eq!(e.key.as_deref(), Some("policy.daily_send_cop"), "{s}");
        assert!(s.contains("config.toml:12"), "{s}");
        assert!(s.contains("unknown field"), "{s}");
    }

    #[test]
    fn literal_password_is_refused_with_the_fix() {
        let text = r#"
[identity]
name = "A"
email = "a@example.com"

[smtp]
host = "smtp.example.com"
password = "hunter2"
"#;
        let e = parse_str(text).unwrap_err();
        let s = e.to_string();
        assert_eq!(e.line, Some(8));
        assert!(s.contains("password_command"), "{s}");
        assert!(!s.contains("hunter2"), "the secret must not be echoed: {s}");
    }

    #[test]
    fn plaintext_is_refused_for_remote_hosts_only() {
        let remote = r#"
[identity]
name = "A"
email = "a@example.com"
[smtp]
host = "smtp.example.com"
security = "none"
password_env = "P"
"#;
        let e = parse_str(remote).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("smtp.security"));
        assert_eq!(e.line, Some(7));
        let local = remote.replace("smtp.example.com", "127.0.0.1");
        assert!(parse_str(&local).is_ok());
        let ip6 = remote.replace("smtp.example.com", "::1");
        assert!(parse_str(&ip6).is_ok());
        let lan = remote.replace("smtp.example.com", "192.168.1.5");
        assert!(parse_str(&lan).is_err());
    }

    #[test]
    fn bad_timezone_and_window_name_the_key() {
        let tz = MINIMAL.replace("Europe/London", "Mars/Olympus");
        let e = parse_str(&tz).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("identity.timezone"));
        assert_eq!(e.line, Some(5));

        let w = format!("{MINIMAL}[send_window]\ndays = [\"mon\", \"funday\"]\n");
        let e = parse_str(&w).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("send_window.days"));
        assert!(e.to_string().contains("funday"));

        let w = format!("{MINIMAL}[send_window]\nstart = \"18:00\"\nend = \"09:00\"\n");
        assert_eq!(
            parse_str(&w).unwrap_err().key.as_deref(),
            Some("send_window.end")
        );
        let w = format!("{MINIMAL}[send_window]\nstart = \"9am\"\n");
        assert_eq!(
            parse_str(&w).unwrap_err().key.as_deref(),
            Some("send_window.start")
        );
    }

    #[test]
    fn smtp_needs_a_password_source() {
        let text = r#"
[identity]
name = "A"
email = "a@example.com"
[smtp]
host = "smtp.example.com"
"#;
        let e = parse_str(text).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("smtp.password_command"));
        assert!(e.to_string().contains("password_env"));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let e = parse_str("[identity\nname = 1").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["10.0.0.1", "example.com", "", "127.0.0.1.example.com"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn addresses() {
        assert!(looks_like_address("a.b@example.co.uk"));
        for bad in ["a", "a@b", "@b.c", "a@.c", "a b@c.d", "a@b.c\r\nBcc: x@y.z"] {
            assert!(!looks_like_address(bad), "{bad}");
        }
    }

    /// The example with every commented-out `key = value` line switched on.
    fn example_with_everything_on() -> String {
        include_str!("../config.example.toml")
            .lines()
            .map(|l| {
                let t = l.trim_start_matches("# ");
                let is_setting = t.starts_with('[')
                    || t.split_once(" = ").is_some_and(|(k, _)| {
                        !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    });
                if l.starts_with("# ") && is_setting {
                    t
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_example_documents_exactly_the_keys_that_exist() {
        // Every key it shows exists (unknown keys would be refused) ...
        let text = example_with_everything_on();
        let config: Config = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        // ... and every key that exists with a value (all but unset optional ones) is shown.
        let table = toml::Table::try_from(&config).unwrap();
        for (section, value) in &table {
            let Some(keys) = value.as_table() else {
                continue;
            };
            assert!(
                text.contains(&format!("[{section}]")),
                "section [{section}] undocumented"
            );
            for key in keys.keys() {
                assert!(
                    text.lines()
                        .any(|l| l.trim_start().starts_with(&format!("{key} ="))),
                    "{section}.{key} is not in config.example.toml"
                );
            }
        }
        // The plain example (as `rapport init` writes it) is valid as it stands.
        parse(
            Path::new("example.toml"),
            include_str!("../config.example.toml"),
        )
        .unwrap();
    }
}
