//! `rapport map`: the network as one self-contained HTML page (or a static SVG), written
//! to `--out` or to stdout. The facts come from `store` and the planner's stage; the
//! picture from `core::netmap`. Read-only, and the page never fetches anything.

use crate::cli::output::outln;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use jiff::SignedDuration;

use super::Ctx;
use crate::core::model::InteractionKind;
use crate::core::netmap::{self, Person};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A page with a legend, hover details and a tier/tag filter.
    Html,
    /// A static picture.
    Svg,
}

#[derive(Args, Debug)]
pub struct MapArgs {
    /// Where to write it; `-` or nothing writes to stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// `html`: an interactive page with hover details and filters; `svg`: a static picture.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    format: Format,
}

/// Counts as being in touch: people, not machines or your own bookkeeping.
fn is_touch(kind: InteractionKind) -> bool {
    !matches!(
        kind,
        InteractionKind::AutoReply
            | InteractionKind::Bounce
            | InteractionKind::Note
            | InteractionKind::NextContactAgreed
    )
}

fn people(ctx: &Ctx) -> Result<Vec<Person>> {
    let year_ago = ctx.now.checked_sub(SignedDuration::from_hours(24 * 365))?;
    let mut out = Vec::new();
    for c in ctx.store.contacts()? {
        let plan = crate::followup::plan_contact(&ctx.store, &ctx.cfg, &c, ctx.now)?;
        let mut last = None;
        let mut touches = 0u32;
        for i in ctx.store.interactions(c.id)? {
            let (kind, at) = (i.kind, i.at);
            if !is_touch(kind) || at > ctx.now {
                continue;
            }
            last = last.max(Some(at));
            if at >= year_ago {
                touches = touches.saturating_add(1);
            }
        }
        out.push(Person {
            id: c.id,
            name: c.display_name(),
            company: c.company.clone(),
            role: c.role.clone(),
            tier: c.tier,
            tags: c.tags.clone(),
            stage: plan.stage,
            last_touch: last,
            touches_year: touches,
            next: plan.next,
        });
    }
    Ok(out)
}

/// Writes the page readable by its owner only, as the database is: it names people,
/// their companies and where you stand with them. An existing file is narrowed too.
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut f = std::fs::File::options()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(bytes)
}

pub fn run(ctx: &Ctx, args: MapArgs) -> Result<ExitCode> {
    let people = people(ctx)?;
    let today = ctx.now.to_zoned_datetime(ctx.cfg.tz.clone()).date();
    let layout = netmap::layout(&people, ctx.now, today);
    let text = match args.format {
        Format::Html => netmap::html(&layout),
        Format::Svg => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
            netmap::svg(&layout, true)
        ),
    };
    match args.out.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            write_private(&path, text.as_bytes()).with_context(|| {
                format!(
                    "Writing the map to {}; choose a folder you can write with --out",
                    path.display()
                )
            })?;
            outln!(
                "Wrote a map of {} {} to {} (readable by you only: it names people).",
                people.len(),
                super::output::plural(people.len(), "contact", "contacts"),
                path.display()
            )?;
        }
        None => {
            super::output::write_bytes(text.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
