//! rapport's integration tests, in one binary so that the shared harness (`support`: real
//! Dovecot and SMTP servers on loopback; `util`: the `rapport` binary run in a private
//! HOME) is compiled once, not once per test file.
//!
//! One `mod` line per file below. Run one file's tests with a filter:
//! `cargo test --test it golden::`; the ignored long runs (soak, fault trials, fuzz) are
//! named in their modules' docs and in the README's "Tests" section.
//!
//! All tests share one process: none may change process-wide state (environment
//! variables, the current directory, signal handlers) or the panic hook without restoring
//! it for other threads, and each server or HOME lives in its own temporary directory on
//! ports the kernel hands out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    unsafe_code,
    reason = "test code: a failing helper should stop the test loudly"
)]

/// The scriptable hostile IMAP server (declared here, not in `support`, which the benches
/// include).
#[path = "support/hostile.rs"]
mod hostile_server;
mod support;
mod util;

mod accounts;
mod accounts_calendar_soak;
mod approve_cli;
mod calendar_caldav;
mod calendar_daemon;
mod calendar_feed;
mod cli_daemon_walk;
mod cli_loop;
mod cli_output;
mod cli_queue;
mod compat;
mod completions;
mod conversation_order;
mod daemon_idle;
mod demo_and_service;
mod doctor;
mod e2e_story;
mod faults;
mod first_week;
mod fuzz;
mod golden;
mod hostile_imap;
mod house;
mod imap_oauth;
mod imap_sync;
mod intros;
mod log_secrets;
mod login_waits;
mod mail_standard;
mod meetings;
mod outgoing;
mod plan_agreed;
mod plan_props;
mod plan_table;
mod prepare_cli;
mod provider_gmail;
mod provider_rules;
mod provider_throttle;
mod reader_learns;
mod safety;
mod sent_copy;
mod servers_smoke;
mod servers_up;
mod share;
mod smtp_send;
mod stored_forms;
mod sync_bodies;
mod sync_writer;
mod terminal_escapes;
