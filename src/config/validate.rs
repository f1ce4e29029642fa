//! The checks on values serde cannot make: servers, the send window, text on one line.
//!
//! Each returns the dotted key and a message that says how to fix it; it must never
//! read a file other than checking that a `ca_file` exists.

use std::net::IpAddr;
use std::path::Path;

use jiff::civil::Time;

use super::{Login, Security, SendWindow, Window, expand_tilde, login};

pub(super) fn check_server(
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
    h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub(super) fn parse_window(w: &SendWindow) -> Result<Window, (&'static str, String)> {
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

/// True when the text holds CR, LF or another control character (tabs included).
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}
