//! Reads .eml files the way the golden tests do and prints each reading, for a
//! developer checking how rapport reads mail it has not seen:
//!
//! ```sh
//! cargo run --example read_mail -- [--now 2027-03-01T12:00:00Z] FILE.eml...
//! ```
//!
//! The context is the golden sets': the user is `sam.rivera@example.com`, every
//! Message-ID ending in `@rapport.example.com` is one the user sent, the default
//! zone is Europe/Berlin, and the shipped learned reader is beside the rules. One
//! line per file: label, intent, later date, auto-reply return date, certainty,
//! then the evidence, `|`-separated.
#![allow(
    clippy::print_stdout,
    reason = "a developer tool that prints its readings"
)]

use anyhow::{Context as _, Result};
use rapport::core::classify::model::Reader;
use rapport::core::classify::{Context, classify};

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut now = "2027-03-01T12:00:00Z".to_string();
    if let Some(i) = args.iter().position(|a| a == "--now") {
        now = args
            .get(i + 1)
            .cloned()
            .context("--now needs a timestamp")?;
        args.drain(i..=i + 1);
    }
    let users = vec!["sam.rivera@example.com".to_string()];
    let sent = |id: &str| id.ends_with("@rapport.example.com");
    let reader = Reader::shipped().map_err(anyhow::Error::msg)?;
    let ctx = Context {
        now: now.parse().context("--now is not an RFC 3339 timestamp")?,
        user_addresses: &users,
        sent_message_ids: &sent,
        default_tz: jiff::tz::TimeZone::get("Europe/Berlin")?,
        reader: Some(&reader),
    };
    for path in &args {
        let raw = std::fs::read(path).with_context(|| format!("reading {path}"))?;
        let c = classify(&raw, &ctx);
        let evidence: Vec<&str> = c.evidence.iter().map(|e| e.detail.as_str()).collect();
        println!(
            "{path}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.label.as_str(),
            c.intent.map_or("", |i| i.as_str()),
            c.later_until.map(|d| d.to_string()).unwrap_or_default(),
            c.auto_reply_until
                .map(|d| d.to_string())
                .unwrap_or_default(),
            c.certainty.as_str(),
            evidence.join(" | ")
        );
    }
    Ok(())
}
