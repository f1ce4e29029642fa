//! The range every number in the config must fall in, checked once at load.
//!
//! A number the code cannot represent (a span of ten million days, a timeout that
//! overflows a clock) must be a clean error naming the key, never a panic in the middle
//! of a turn. The table is data: each key with its bounds and the unit its message uses.
//! This module must never change a value to bring it into range: a config that says
//! something impossible is refused, so the user learns what rapport really does.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use super::Config;

/// One numeric key and the values it accepts.
pub struct Limit {
    pub key: &'static str,
    pub min: u64,
    pub max: u64,
    /// What the number counts, for the message ("days", "seconds").
    pub unit: &'static str,
}

const fn limit(key: &'static str, min: u64, max: u64, unit: &'static str) -> Limit {
    Limit {
        key,
        min,
        max,
        unit,
    }
}

/// Every number of the config. The bounds are what rapport can honour: spans that a
/// date can carry (a hundred years of lookback at most), durations a clock can add, and
/// amounts a mailbox or a day can hold.
pub const LIMITS: &[Limit] = &[
    limit("smtp.port", 1, 65535, ""),
    limit("smtp.timeout_seconds", 1, 3600, "seconds"),
    limit("imap.port", 1, 65535, ""),
    limit("imap.timeout_seconds", 1, 3600, "seconds"),
    limit("imap.lookback_days", 1, 36_500, "days"),
    limit("imap.poll_seconds", 10, 86_400, "seconds"),
    limit("imap.max_body_bytes", 0, 256 * 1024 * 1024, "bytes"),
    limit("imap.save_sent_wait", 0, 7 * 86_400, "seconds"),
    limit("maildir.max_body_bytes", 0, 256 * 1024 * 1024, "bytes"),
    limit("policy.daily_send_cap", 0, 10_000, "emails"),
    limit("policy.nudge_after_days", 1, 3650, "days"),
    limit("policy.dormant_after_days", 1, 3650, "days"),
    limit("policy.thank_you_after_hours", 0, 8760, "hours"),
    limit("policy.meeting_minutes", 1, 480, "minutes"),
    limit("policy.retry_seconds", 1, 86_400, "seconds"),
    limit("policy.max_attempts", 1, 1000, "attempts"),
    limit("policy.share_min_days", 0, 3650, "days"),
    limit("tiers.close_months", 1, 60, "months"),
    limit("tiers.regular_months", 1, 60, "months"),
    limit("tiers.acquaintance_months", 1, 60, "months"),
    limit("goals.new_contacts_per_month", 0, 10_000, ""),
    limit("goals.conversations_per_week", 0, 10_000, ""),
    limit("goals.gives_per_month", 0, 10_000, ""),
];

/// The value of a numeric key in this config, if the config has it (an absent
/// `[imap]`, or a port left to its default, has none).
pub fn value(c: &Config, key: &str) -> Option<u64> {
    let imap = c.imap.as_ref();
    let p = &c.policy;
    let v: Option<u64> = match key {
        "smtp.port" => c.smtp.port.map(u64::from),
        "smtp.timeout_seconds" => Some(c.smtp.timeout_seconds),
        "imap.port" => imap.and_then(|i| i.port).map(u64::from),
        "imap.timeout_seconds" => imap.map(|i| i.timeout_seconds),
        "imap.lookback_days" => imap.map(|i| u64::from(i.lookback_days)),
        "imap.poll_seconds" => imap.map(|i| i.poll_seconds),
        "imap.max_body_bytes" => imap.map(|i| u64::from(i.max_body_bytes)),
        "imap.save_sent_wait" => imap.map(|i| i.save_sent_wait),
        "maildir.max_body_bytes" => c.maildir.as_ref().map(|m| u64::from(m.max_body_bytes)),
        "policy.daily_send_cap" => Some(p.daily_send_cap.into()),
        "policy.nudge_after_days" => Some(p.nudge_after_days.into()),
        "policy.dormant_after_days" => Some(p.dormant_after_days.into()),
        "policy.thank_you_after_hours" => Some(p.thank_you_after_hours.into()),
        "policy.meeting_minutes" => Some(p.meeting_minutes.into()),
        "policy.retry_seconds" => Some(p.retry_seconds),
        "policy.max_attempts" => Some(p.max_attempts.into()),
        "policy.share_min_days" => Some(p.share_min_days.into()),
        "tiers.close_months" => Some(c.tiers.close_months.into()),
        "tiers.regular_months" => Some(c.tiers.regular_months.into()),
        "tiers.acquaintance_months" => Some(c.tiers.acquaintance_months.into()),
        "goals.new_contacts_per_month" => Some(c.goals.new_contacts_per_month.into()),
        "goals.conversations_per_week" => Some(c.goals.conversations_per_week.into()),
        "goals.gives_per_month" => Some(c.goals.gives_per_month.into()),
        _ => None,
    };
    v
}

/// The first number out of its range, as (key, message with the accepted range).
pub fn check(c: &Config) -> Result<(), (&'static str, String)> {
    for l in LIMITS {
        let Some(v) = value(c, l.key) else {
            continue;
        };
        if v < l.min || v > l.max {
            let unit = if l.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", l.unit)
            };
            return Err((
                l.key,
                format!(
                    "{v} is out of range; use a number from {} to {}{unit}",
                    l.min, l.max
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
