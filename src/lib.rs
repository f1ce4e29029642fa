//! rapport: a local-first daemon and command line for professional-networking follow-up.
//!
//! The pure core (`core`: classify, plan, render) decides; the edges (`config`, `store`,
//! `send`, `mail`) do I/O; `cli` and `daemon` drive them. See `docs/ARCHITECTURE.md` for the picture.

pub mod account_health;
pub mod briefing;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod core;
pub mod daemon;
pub mod demo;
pub mod digest;
pub mod followup;
pub mod link_title;
pub mod logging;
pub mod login_health;
pub mod mail;
pub mod secrets;
pub mod send;
pub mod store;
pub mod user_command;
