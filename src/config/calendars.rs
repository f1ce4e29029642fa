//! `[[calendars]]`: the calendars rapport reads meetings from, each read-only — an
//! iCalendar feed (an `https://…`/`http://…` URL, a `file:///…` path, or a URL from
//! `url_command`) or a CalDAV collection (URL, username, `password_command` or
//! `token_command`).
//!
//! A feed URL is a secret (Google's and Outlook's carry a private token in it): this
//! module must never put a URL into a message; messages say "calendar 'NAME'". Nor does
//! it hold a password: it names where one comes from, as `[imap]` does.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{AuthMethod, Login, expand_tilde, has_control, is_loopback_host};

/// What kind of calendar a `[[calendars]]` entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarKind {
    /// An iCalendar feed (one `.ics` document) by URL or file path.
    Ics,
    /// A CalDAV calendar collection.
    Caldav,
}

impl CalendarKind {
    /// The value as written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarKind::Ics => "ics",
            CalendarKind::Caldav => "caldav",
        }
    }
}

/// One `[[calendars]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarCfg {
    /// The name messages, `status` and `sync --calendar` use.
    pub name: String,
    /// `ics` or `caldav`.
    pub kind: CalendarKind,
    /// The feed or collection address; a secret for a feed, never logged.
    pub url: Option<String>,
    /// A command whose first output line is the URL (for a secret feed address).
    pub url_command: Option<String>,
    /// The CalDAV username.
    pub username: Option<String>,
    /// A command whose first output line is the CalDAV password.
    pub password_command: Option<String>,
    /// An environment variable holding the CalDAV password.
    pub password_env: Option<String>,
    /// A command whose first output line is an OAuth2 access token (sent as Bearer).
    pub token_command: Option<String>,
    /// A PEM file of the CA that signed the server's certificate.
    pub ca_file: Option<PathBuf>,
    /// Minutes between two reads by the daemon.
    #[serde(default = "default_poll_minutes")]
    pub poll_minutes: u32,
}

fn default_poll_minutes() -> u32 {
    15
}

impl CalendarCfg {
    /// The section name secrets' messages use: `calendars "work"`.
    pub fn section(&self) -> String {
        format!("calendars \"{}\"", self.name)
    }

    /// The login the secrets module reads the CalDAV password or token through.
    pub fn login(&self) -> Login {
        Login {
            username: self.username.clone(),
            auth: if self.token_command.is_some() {
                AuthMethod::Oauthbearer
            } else {
                AuthMethod::Password
            },
            password_command: self.password_command.clone(),
            password_env: self.password_env.clone(),
            token_command: self.token_command.clone(),
            ..Login::default()
        }
    }
}

/// Checks every calendar; `Err((dotted key, message))`.
pub fn check(calendars: &[CalendarCfg]) -> Result<(), (String, String)> {
    for (i, c) in calendars.iter().enumerate() {
        check_one(c)?;
        if calendars.iter().take(i).any(|o| o.name == c.name) {
            return Err((
                "calendars.name".into(),
                format!(
                    "two calendars are named {:?}; give each [[calendars]] its own name",
                    c.name
                ),
            ));
        }
    }
    Ok(())
}

fn check_one(c: &CalendarCfg) -> Result<(), (String, String)> {
    let key = |k: &str, m: String| (format!("calendars.{k}"), m);
    let good_name = !c.name.is_empty()
        && c.name.len() <= 40
        && c.name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
    if !good_name {
        return Err(key(
            "name",
            format!(
                "{:?} is not a calendar name; use letters, digits, - and _ (at most 40), e.g. name = \"work\"",
                c.name
            ),
        ));
    }
    let who = format!("calendar '{}'", c.name);
    if !(1..=1440).contains(&c.poll_minutes) {
        return Err(key(
            "poll_minutes",
            format!("{who}: poll_minutes must be between 1 and 1440 (default 15)"),
        ));
    }
    match (&c.url, &c.url_command) {
        (Some(_), Some(_)) => {
            return Err(key(
                "url_command",
                format!("{who} has both url and url_command; keep one"),
            ));
        }
        (None, None) => {
            return Err(key(
                "url",
                format!(
                    "{who} has no url; write url = \"https://…\" (or url_command = \"pass show calendar-feed\" for a secret feed address)"
                ),
            ));
        }
        (Some(u), None) => check_url(&who, c.kind, u).map_err(|m| key("url", m))?,
        (None, Some(_)) => {}
    }
    if let Some(ca) = &c.ca_file
        && !expand_tilde(ca).is_file()
    {
        return Err(key(
            "ca_file",
            format!(
                "{who}: {} does not exist or is not a file; give the PEM file of the server's CA",
                ca.display()
            ),
        ));
    }
    match c.kind {
        CalendarKind::Ics => check_feed_login(c, &who),
        CalendarKind::Caldav => check_caldav_login(c, &who),
    }
}

fn check_feed_login(c: &CalendarCfg, who: &str) -> Result<(), (String, String)> {
    let extra = [
        ("username", c.username.is_some()),
        ("password_command", c.password_command.is_some()),
        ("password_env", c.password_env.is_some()),
        ("token_command", c.token_command.is_some()),
    ];
    if let Some((k, _)) = extra.iter().find(|(_, set)| *set) {
        return Err((
            format!("calendars.{k}"),
            format!(
                "{who} is a feed (kind = \"ics\"), which is read without a login; remove {k} (a secret feed address goes in url_command)"
            ),
        ));
    }
    Ok(())
}

fn check_caldav_login(c: &CalendarCfg, who: &str) -> Result<(), (String, String)> {
    if c.username.as_deref().is_none_or(|u| u.trim().is_empty()) {
        return Err((
            "calendars.username".into(),
            format!(
                "{who} (kind = \"caldav\") needs username, the name you log in to the server with"
            ),
        ));
    }
    if c.token_command.is_some() && (c.password_command.is_some() || c.password_env.is_some()) {
        return Err((
            "calendars.token_command".into(),
            format!(
                "{who}: set either a password (password_command or password_env) or token_command, not both"
            ),
        ));
    }
    super::login::check(&c.section(), &c.login()).map_err(|(_, m)| {
        (
            "calendars.password_command".to_string(),
            format!("{who}: {m}"),
        )
    })
}

/// Checks a calendar address without ever quoting it (it may hold a secret).
pub fn check_url(who: &str, kind: CalendarKind, url: &str) -> Result<(), String> {
    let url = url.trim();
    if has_control(url) || url.contains(char::is_whitespace) {
        return Err(format!(
            "{who}: the address contains a space or control character; copy it again"
        ));
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("file://") {
        if kind == CalendarKind::Caldav {
            return Err(format!(
                "{who}: a CalDAV calendar is read over https://, not from a file; use kind = \"ics\" for a file"
            ));
        }
        return Ok(());
    }
    if lower.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let authority = rest.split('/').next().unwrap_or("");
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host.rsplit_once(':') {
            Some((h, port)) if port.chars().all(|d| d.is_ascii_digit()) => h,
            _ => host,
        };
        if is_loopback_host(host) {
            return Ok(());
        }
        return Err(format!(
            "{who}: plain http:// is only allowed for a loopback host (it would send the address and any login in the clear); use https://"
        ));
    }
    if lower.starts_with("webcal://") {
        return Err(format!(
            "{who}: webcal:// is a link for calendar apps; write the same address with https:// instead"
        ));
    }
    Err(format!(
        "{who}: the address must start with https:// (or file:/// for a file)"
    ))
}

#[cfg(test)]
mod tests;
