//! Where rapport's files are: the config file, the data and config folders, `~/`.
//!
//! It only computes paths from the environment; it must never create or read a file.

use std::path::{Path, PathBuf};

use super::CONFIG_ENV;

/// The user's home directory, or an error saying how to set it.
pub fn home_dir() -> Result<PathBuf, String> {
    match std::env::var_os("HOME") {
        Some(h) if !h.is_empty() => Ok(PathBuf::from(h)),
        _ => Err("HOME is not set; set it or pass --config".to_string()),
    }
}

/// Where the config file is: the flag, else `$RAPPORT_CONFIG`, else the default.
pub fn config_path(flag: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(default_config_dir()?.join("config.toml"))
}

fn xdg_dir(var: &str, fallback: &str) -> Result<PathBuf, String> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() && Path::new(&p).is_absolute() => Ok(PathBuf::from(p)),
        _ => Ok(home_dir()?.join(fallback)),
    }
}

/// `$XDG_CONFIG_HOME/rapport` or `~/.config/rapport`.
pub fn default_config_dir() -> Result<PathBuf, String> {
    Ok(xdg_dir("XDG_CONFIG_HOME", ".config")?.join("rapport"))
}

/// `$XDG_DATA_HOME/rapport` or `~/.local/share/rapport`.
pub fn default_data_dir() -> Result<PathBuf, String> {
    Ok(xdg_dir("XDG_DATA_HOME", ".local/share")?.join("rapport"))
}

/// Expands a leading `~/` to the home directory.
pub fn expand_tilde(p: &Path) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Ok(home) = home_dir()
    {
        return home.join(rest);
    }
    p.to_path_buf()
}
