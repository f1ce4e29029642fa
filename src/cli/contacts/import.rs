//! `rapport contacts import FILE`: reads an export, merges it into the contacts (or, with
//! `--dry-run`, only says what would change) and reports line by line.
//!
//! The parsing is `contacts::import`, the merging `contacts::merge`; this file must never
//! write a contact itself.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::output::outln;
use crate::cli::{Ctx, print_json};

/// Reads the file, but never more than [`crate::contacts::import::MAX_IMPORT_BYTES`] and
/// one byte: a huge file or an endless one (`/dev/zero`) ends with a clear error, not
/// with all the memory.
fn read_bounded(file: &std::path::Path) -> Result<Vec<u8>> {
    use crate::contacts::import::{ImportError, MAX_IMPORT_BYTES};
    use std::io::Read;
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot read {}: {e}", file.display());
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .map_err(cannot)?
        .take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_IMPORT_BYTES {
        anyhow::bail!("{}: {}", file.display(), ImportError::TooLarge);
    }
    Ok(bytes)
}

pub(super) fn import(
    ctx: &mut Ctx,
    file: &std::path::Path,
    json: bool,
    dry_run: bool,
    batch: &crate::contacts::merge::Batch,
) -> Result<ExitCode> {
    let bytes = read_bounded(file)?;
    let parsed = crate::contacts::import::parse_import(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let report = if dry_run {
        crate::contacts::merge::dry_run_with(&mut ctx.store, &parsed, batch, ctx.now)?
    } else {
        crate::contacts::merge::merge_with(&mut ctx.store, &parsed, batch, ctx.now)?
    };
    let linked = if dry_run {
        0
    } else {
        crate::mail::timeline::link_history(&mut ctx.store, &report.added_ids, ctx.now)?
    };
    if json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (verb, would) = if dry_run {
        ("dry run, nothing written", "would be ")
    } else {
        ("", "")
    };
    outln!(
        "{} ({}){}{verb}: {would}added {}, merged {}, unchanged {}, skipped {}.",
        file.display(),
        parsed.format,
        if dry_run { ", " } else { "" },
        report.added,
        report.merged,
        report.unchanged,
        report.skipped.len()
    )?;
    if report.without_email > 0 {
        outln!(
            "{} of the {} contacts {} no email address yet (`-` in `rapport contacts list`); add one with `rapport contacts edit CONTACT --email ADDRESS`.",
            report.without_email,
            if dry_run { "new" } else { "added" },
            if dry_run { "would have" } else { "have" }
        )?;
    }
    if linked > 0 {
        outln!(
            "Linked {linked} earlier {} from your mail.",
            crate::cli::output::plural(linked, "interaction", "interactions")
        )?;
    }
    print_lines(&report, dry_run)
}

/// One line for each contact added (in a dry run), each field changed, each record
/// skipped and each problem.
fn print_lines(report: &crate::contacts::merge::MergeReport, dry_run: bool) -> Result<ExitCode> {
    if dry_run {
        for a in &report.additions {
            let name = if a.name.is_empty() {
                "(no name)"
            } else {
                &a.name
            };
            let email = if a.email.is_empty() {
                "no email yet".to_string()
            } else {
                a.email.clone()
            };
            outln!("  line {}: would add {name} ({email})", a.line)?;
        }
    }
    for c in &report.changes {
        let from = if c.from.is_empty() {
            "(empty)"
        } else {
            &c.from
        };
        outln!(
            "  line {}: {}contact #{} {}: {from} -> {}",
            c.line,
            if dry_run { "would change " } else { "" },
            c.contact_id,
            c.field,
            c.to
        )?;
    }
    for p in &report.skipped {
        outln!("  skipped line {}: {}", p.line, p.message)?;
    }
    for p in &report.problems {
        outln!("  line {}: {}", p.line, p.message)?;
    }
    Ok(ExitCode::SUCCESS)
}
