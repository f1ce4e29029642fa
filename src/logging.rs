//! Log output on stderr that both a person and journald can read.
//!
//! Colours only when stderr is a terminal; no timestamps of our own under systemd
//! (`JOURNAL_STREAM` set: the journal stamps every line); rapport's own lines at the
//! level asked for and other crates (rustls, async-imap) at warn, unless `RAPPORT_LOG`
//! says otherwise (e.g. `RAPPORT_LOG=info,rustls=debug`). This module must never log a
//! secret and never write to stdout, which carries data.
//!
//! The mail libraries' own wire traces never reach the log, whatever `RAPPORT_LOG` says:
//! async-imap traces every command it writes (`LOGIN "user" "password"`, the base64
//! XOAUTH2 string with the access token) through the `log` bridge at trace level, and
//! lettre's SMTP trace would carry `AUTH PLAIN`, and ureq's HTTP trace a calendar's secret
//! feed address and login. Their debug and trace lines are dropped
//! by a filter on the output itself, after the level filter, so no directive lets them
//! through.

use std::io::IsTerminal;

/// The filter for a verbosity (`-v` count) when `RAPPORT_LOG` is not set. The daemon
/// says at info what it does even without `-v`.
pub fn default_filter(verbose: u8, daemon: bool) -> &'static str {
    match (verbose, daemon) {
        (0, false) => "warn",
        (0, true) | (1, _) => "warn,rapport=info",
        _ => "warn,rapport=debug",
    }
}

/// Crates whose debug and trace output is their wire protocol, secrets included (ureq's
/// carries the request line and headers: a calendar feed's secret address, a CalDAV
/// login's Authorization header).
const WIRE_TRACERS: [&str; 5] = ["async_imap", "imap_proto", "lettre", "ureq", "ureq_proto"];

/// Whether a log line may carry what went over the wire (and so a password or token):
/// debug or trace from one of [`WIRE_TRACERS`].
pub fn carries_wire(target: &str, level: tracing::Level) -> bool {
    level > tracing::Level::INFO
        && WIRE_TRACERS.iter().any(|c| {
            target
                .strip_prefix(c)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}

/// Installs the subscriber (once; later calls do nothing).
pub fn init(verbose: u8, daemon: bool) {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAPPORT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter(verbose, daemon)));
    let ansi = std::io::stderr().is_terminal();
    let journal = std::env::var_os("JOURNAL_STREAM").is_some();
    let no_wire = tracing_subscriber::filter::filter_fn(|m| !carries_wire(m.target(), *m.level()));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false);
    let registry = tracing_subscriber::registry().with(filter);
    // A command's warning is read by the person who ran it, beside the command's own
    // words: a clock time in front of it says nothing (and is the real time even when
    // RAPPORT_NOW plays another), so only the daemon's lines carry one.
    let _ = if journal || !daemon {
        registry
            .with(layer.without_time().with_filter(no_wire))
            .try_init()
    } else {
        registry.with(layer.with_filter(no_wire)).try_init()
    };
}

#[cfg(test)]
mod tests;
