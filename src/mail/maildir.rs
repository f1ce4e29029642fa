//! A local Maildir (with Maildir++ subfolders) as a mail source, through the same
//! pipeline as IMAP: for people who already sync with mbsync or offlineimap, and for
//! the demo. Read-only: files are never moved, renamed or flagged.
//!
//! Maildir has no UIDs; a message's "UID" is a stable hash of its unique file name (the
//! part before `:2,`), so flag changes that rename a file do not make it new.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jiff::Timestamp;

use super::sync::{Classifier, FolderReport, record};
use crate::config::Loaded;
use crate::store::{Cursor, Store};

/// Folders never read: they hold nobody's conversation.
const SKIP: &[&str] = &[".Junk", ".Spam", ".Trash", ".Drafts", ".Deleted Messages"];

/// The folders of a Maildir++ tree: `INBOX` (the root) and every `.Sub` folder.
pub fn folders(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = vec![("INBOX".to_string(), root.to_path_buf())];
    let entries = std::fs::read_dir(root)
        .with_context(|| format!("Reading the Maildir {}", root.display()))?;
    let mut subs = Vec::new();
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            && name != "."
            && name != ".."
            && !SKIP.iter().any(|s| s.eq_ignore_ascii_case(&name))
            && e.path().join("cur").is_dir()
        {
            subs.push((name, e.path()));
        }
    }
    subs.sort();
    out.extend(subs);
    Ok(out)
}

/// A stable 31-bit id for a Maildir file name (its part before the flags).
pub fn file_uid(file_name: &str) -> u32 {
    let unique = file_name.split(":2,").next().unwrap_or(file_name);
    // FNV-1a, folded to 31 bits so it fits IMAP's UID range and SQLite's integers.
    let mut h: u32 = 0x811c_9dc5;
    for b in unique.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & 0x7fff_ffff).max(1)
}

/// Syncs every folder of the configured Maildir once.
pub fn sync_maildir(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<Vec<FolderReport>> {
    let Some(mcfg) = &cfg.config.maildir else {
        anyhow::bail!("no [maildir] section in {}", cfg.path.display());
    };
    let root = crate::config::expand_tilde(&mcfg.path);
    let account = format!("maildir:{}", root.display());
    let classifier = Classifier::new(store, cfg, now)?;
    let mut reports = Vec::new();
    for (folder, dir) in folders(&root)? {
        let mut report = FolderReport {
            account: account.clone(),
            folder: folder.clone(),
            ..FolderReport::default()
        };
        let mut files = Vec::new();
        for sub in ["cur", "new"] {
            let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') && e.path().is_file() {
                    files.push((name, e.path()));
                }
            }
        }
        files.sort();
        let tx = store.transaction()?;
        for (name, path) in files {
            let uid = file_uid(&name);
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM message_locations WHERE account = ?1 AND folder = ?2 AND uid = ?3)",
                rusqlite::params![account, folder, uid],
                |r| r.get(0),
            )?;
            if known {
                continue;
            }
            let raw = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(file = %path.display(), error = %e, "unreadable, skipped");
                    continue;
                }
            };
            let mtime = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| Timestamp::try_from(t).ok());
            let m = classifier.prepare(&raw, mtime);
            report.bodies += 1;
            let (new, n) = record(&tx, &account, &folder, 1, uid, &m, now)?;
            report.read += 1;
            if new {
                report.new += 1;
                *report.labels.entry(m.label.clone()).or_default() += 1;
            }
            report.interactions += n;
        }
        crate::store::set_cursor(
            &tx,
            &account,
            &folder,
            Cursor {
                uidvalidity: 1,
                next_uid: 0,
            },
            now,
        )?;
        tx.commit()?;
        reports.push(report);
    }
    super::sync::confirm_unknown(store, now)?;
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_ignores_flags_and_is_stable() {
        let a = file_uid("1700000000.M1P2.host,S=100:2,S");
        let b = file_uid("1700000000.M1P2.host,S=100:2,RS");
        assert_eq!(a, b);
        assert_ne!(a, file_uid("1700000001.M1P2.host,S=100:2,S"));
        assert!(a > 0 && a <= 0x7fff_ffff);
    }
}
