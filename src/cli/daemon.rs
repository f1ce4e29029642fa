//! `rapport daemon`: the long-running process systemd starts, with its signals.
//!
//! This file only builds the runtime and turns SIGTERM or Ctrl-C into a stop request;
//! the work is `crate::daemon`. It must never print to stdout (systemd keeps the log).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::config;

pub fn daemon(config_flag: Option<&Path>) -> Result<ExitCode> {
    let path = config::config_path(config_flag).map_err(anyhow::Error::msg)?;
    // Before any thread of the runtime allocates.
    crate::daemon::memory::limit_arenas();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("Starting the async runtime")?;
    let result = rt.block_on(async move {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("Installing the SIGTERM handler")?;
        tokio::spawn(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            tracing::info!("stopping");
            let _ = tx.send(true);
        });
        crate::daemon::run(path, rx).await
    });
    // Every wait on a server is bounded; nothing left needs finishing.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    result.map(|_| ExitCode::SUCCESS)
}
