//! The configuration file: one TOML file, read once, validated whole.
//!
//! Where it comes from: `--config PATH`, else `$RAPPORT_CONFIG`, else
//! `~/.config/rapport/config.toml`. Unknown keys are rejected, and every error names
//! the file, the key and its line, and says how to fix it.
//!
//! This module must never hold a secret: passwords come from `password_command` or
//! `password_env` at the moment a connection needs them (see [`crate::secrets`]), and a
//! literal `password` key is refused.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::fmt;
use std::path::PathBuf;

use jiff::civil::Time;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

mod accounts;
pub mod calendars;
pub mod limits;
mod load;
mod locate;
mod login;
mod paths;
mod sent;
mod validate;

pub use accounts::{Account, DEFAULT_ACCOUNT, valid_name as valid_account_name};
pub use calendars::{CalendarCfg, CalendarKind};
pub use login::{AuthMethod, Login};
pub use sent::SaveSent;

pub use load::{check_permissions, load, parse};
pub use locate::find_key_line;
pub use paths::{config_path, default_config_dir, default_data_dir, expand_tilde, home_dir};
pub use validate::{has_control, is_loopback_host};

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
    /// `[[calendars]]`: where meetings are read from besides mail.
    #[serde(default)]
    pub calendars: Vec<CalendarCfg>,
    /// Several accounts (`[[accounts]]`); empty for the single-account form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub name: String,
    /// The address you send from; with `[[accounts]]`, each account's `email` instead.
    #[serde(default)]
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
        .map(ToString::to_string)
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
    /// `rapport share` skips anyone you were in touch with in the last this many days.
    pub share_min_days: u32,
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
            share_min_days: 30,
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
    /// Gives (shares sent, introductions made) a month; 0 for no target.
    pub gives_per_month: u32,
}

impl Default for Goals {
    fn default() -> Self {
        Goals {
            new_contacts_per_month: 4,
            conversations_per_week: 1,
            gives_per_month: 0,
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
    /// The account this view is for ([`DEFAULT_ACCOUNT`] in a single-account config;
    /// the first account's name in the view `load` returns).
    pub account: String,
    /// Each `[[accounts]]` table's own send window, parsed (the top-level one when it
    /// has none), in the config's order.
    pub account_windows: Vec<Window>,
}

/// The send window, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub days: Vec<jiff::civil::Weekday>,
    pub start: Time,
    pub end: Time,
}

#[cfg(test)]
mod tests;
