//! Pointing an error at its place: the line and dotted key of a TOML error, and the
//! refusal of a literal password before anything else is read.
//!
//! Hand-written because the `toml` crate gives a byte span, not the `section.key` a
//! user looks for; this scans lines only and must never interpret values.

use std::path::Path;

use super::ConfigError;

pub(super) fn refuse_literal_passwords(path: &Path, text: &str) -> Result<(), ConfigError> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Ok(()); // the full parse below reports syntax errors with their position
    };
    for section in ["smtp", "imap"] {
        let has_password = table
            .get(section)
            .and_then(|v| v.as_table())
            .is_some_and(|t| t.contains_key("password"));
        if has_password {
            let key = format!("{section}.password");
            return Err(ConfigError {
                path: path.to_path_buf(),
                line: find_key_line(text, &key),
                key: Some(key),
                message: format!(
                    "passwords are never kept in the config file; remove this key and add password_command = \"pass show mail/{section}\" (a command whose first output line is the password) or password_env = \"RAPPORT_{}_PASSWORD\"",
                    section.to_uppercase()
                ),
            });
        }
    }
    Ok(())
}

pub(super) fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let line = e
        .span()
        .and_then(|span| text.get(..span.start))
        .map(|before| before.matches('\n').count() + 1);
    let msg = e.message().trim().to_string();
    let key = e
        .span()
        .and_then(|span| key_path_at(text, span.start))
        .filter(|k| !k.is_empty());
    let hint = if msg.contains("unknown field") {
        "; check the spelling against config.example.toml"
    } else if msg.contains("missing field") {
        "; add it (config.example.toml shows every key)"
    } else {
        ""
    };
    ConfigError {
        path: path.to_path_buf(),
        key,
        line,
        message: format!("{msg}{hint}"),
    }
}

/// The dotted key path (`section.key`) written at byte offset `pos`, found by scanning
/// the lines above it for the enclosing `[section]`.
fn key_path_at(text: &str, pos: usize) -> Option<String> {
    let pos = pos.min(text.len());
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next().unwrap_or("");
    let section = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        return Some(trimmed.trim_matches(|c| c == '[' || c == ']').to_string());
    }
    let key = trimmed.split('=').next().map_or("", str::trim);
    match (section, key.is_empty()) {
        (Some(s), false) => Some(format!("{s}.{key}")),
        (Some(s), true) => Some(s),
        (None, false) => Some(key.to_string()),
        (None, true) => None,
    }
}

/// The 1-based line where `section.key` is written, when it is written plainly.
pub fn find_key_line(text: &str, dotted: &str) -> Option<usize> {
    let (section, key) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let mut current = String::new();
    let mut section_line = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('[') {
            current = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            if current == section {
                section_line = Some(i + 1);
            }
            continue;
        }
        if current == section {
            let name = line.split('=').next().map_or("", str::trim);
            if name == key && line.contains('=') {
                return Some(i + 1);
            }
        }
    }
    section_line
}
