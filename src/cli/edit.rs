//! Editing a draft's subject and body in $VISUAL / $EDITOR, for `queue edit` and
//! `review`. The user's words are never thrown away: until an edit is saved, the text
//! lives in a private file beside the database (`edits/draft-ID.txt`, mode 600), a
//! failed edit says where, a terminal user is offered to reopen it, and the next
//! `queue edit ID` starts from it. This module never approves or sends.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Ctx;
use crate::cli::output::{confirm, errln};
use crate::core::model::DraftStatus;
use crate::followup::draft as drafting;

/// What an edit came to.
pub enum Edited {
    Unchanged,
    /// Saved; it had been approved, so it needs approval again.
    Saved {
        was_approved: bool,
    },
}

fn editor() -> Result<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .context("set $VISUAL or $EDITOR to the editor to use, e.g. `export EDITOR=nano`")
}

/// Where the text of an unsaved edit of draft `id` is kept.
pub fn kept_path(ctx: &Ctx, id: i64) -> PathBuf {
    let dir = ctx
        .cfg
        .store_path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    dir.join("edits").join(format!("draft-{id}.txt"))
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("Creating {}", dir.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("Writing {}", path.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .with_context(|| format!("Writing {}", path.display()))
}

fn run_editor(editor: &str, path: &Path) -> Result<()> {
    // The editor shares stdout: what rapport wrote so far goes out first.
    super::output::flush()?;
    let status = crate::secrets::scrubbed(std::process::Command::new("sh"))
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("rapport-edit")
        .arg(path)
        .status()
        .with_context(|| format!("Starting the editor {editor:?}"))?;
    if !status.success() {
        bail!("the editor exited with {status}");
    }
    Ok(())
}

/// Opens draft `id` in the editor and saves what comes back, keeping the text on
/// any failure.
pub fn edit_draft(ctx: &Ctx, id: i64) -> Result<Edited> {
    let d = ctx.store.draft_or_err(id)?;
    if !d.status.is_open() {
        bail!("draft {id} is {}, so it cannot be edited", d.status);
    }
    let editor = editor()?;
    let original = format!("Subject: {}\n\n{}", d.subject, d.body);
    let path = kept_path(ctx, id);
    if path.exists() {
        errln!(
            "Starting from your unsaved edit in {} (delete it to start afresh).",
            path.display()
        );
    } else {
        write_private(&path, &original)?;
    }
    let keep = |e: anyhow::Error| {
        e.context(format!(
            "nothing changed in draft {id}; your text is kept in {} and `rapport queue edit {id}` reopens it",
            path.display()
        ))
    };
    loop {
        run_editor(&editor, &path).map_err(keep)?;
        let edited = std::fs::read_to_string(&path)
            .context("Reading the edited draft")
            .map_err(keep)?;
        if edited == original {
            let _ = std::fs::remove_file(&path);
            return Ok(Edited::Unchanged);
        }
        let parsed = crate::core::render::parse_edited(&edited)
            .map_err(|e| anyhow::anyhow!("the edited draft is not usable: {e}"))
            .and_then(|r| {
                let message = drafting::recompose(&ctx.cfg, &d, &r.subject, &r.body)
                    .context("the edited draft is not usable")?;
                Ok((r, message))
            });
        match parsed {
            Ok((r, message)) => {
                ctx.store.edit(id, &r.subject, &r.body, &message, ctx.now)?;
                let _ = std::fs::remove_file(&path);
                return Ok(Edited::Saved {
                    was_approved: d.status == DraftStatus::Approved,
                });
            }
            Err(e) if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
                errln!("{e:#}");
                if !confirm("Reopen it in the editor? [y/N] ")? {
                    return Err(keep(e));
                }
            }
            Err(e) => return Err(keep(e)),
        }
    }
}
