//! Log output on stderr that both a person and journald can read.
//!
//! Colours only when stderr is a terminal; no timestamps of our own under systemd
//! (`JOURNAL_STREAM` set: the journal stamps every line); rapport's own lines at the
//! level asked for and other crates (rustls, async-imap) at warn, unless `RAPPORT_LOG`
//! says otherwise (e.g. `RAPPORT_LOG=info,rustls=debug`). This module must never log a
//! secret and never write to stdout, which carries data.

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

/// Installs the subscriber (once; later calls do nothing).
pub fn init(verbose: u8, daemon: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAPPORT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter(verbose, daemon)));
    let ansi = std::io::stderr().is_terminal();
    let journal = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false);
    // A command's warning is read by the person who ran it, beside the command's own
    // words: a clock time in front of it says nothing (and is the real time even when
    // RAPPORT_NOW plays another), so only the daemon's lines carry one.
    let _ = if journal || !daemon {
        builder.without_time().try_init()
    } else {
        builder.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daemon_speaks_at_info_and_other_crates_stay_at_warn() {
        assert_eq!(default_filter(0, false), "warn");
        assert_eq!(default_filter(0, true), "warn,rapport=info");
        assert_eq!(default_filter(2, false), "warn,rapport=debug");
        for v in 0..4 {
            for d in [false, true] {
                assert!(default_filter(v, d).starts_with("warn"), "{v} {d}");
            }
        }
    }
}
