//! `rapport share (URL | --note TEXT) (--to CONTACT… | --tag TAG | --tier TIER)`: one
//! personal draft per person, each waiting for approval; never one email to many, never
//! Bcc. It prints who was skipped and why. It never sends anything itself, and reads
//! the linked page only when asked to with `--fetch-title` ([`crate::link_title`]).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use super::{Ctx, kick_daemon};
use crate::cli::output::outln;
use crate::core::model::Tier;
use crate::core::render::ShareData;
use crate::followup::share;

/// `rapport share`'s arguments.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["url", "note"])))]
#[command(group(clap::ArgGroup::new("who").required(true).args(["to", "tag", "tier"])))]
pub struct ShareArgs {
    /// The link to share (http:// or https://).
    url: Option<String>,
    /// Share a few words instead of a link.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// The people, each an id, an email address, or part of a name.
    #[arg(long, value_name = "CONTACT", num_args = 1.., add = super::completions::contacts())]
    to: Vec<String>,
    /// Everyone with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Everyone of this tier: close, regular or acquaintance.
    #[arg(long, value_name = "TIER", value_parser = super::contacts::tier_parser())]
    tier: Option<Tier>,
    /// Your line on why it made you think of them, in every email.
    #[arg(long, value_name = "TEXT", default_value = "")]
    why: String,
    /// The link's title, used as the subject.
    #[arg(long, value_name = "TITLE", default_value = "")]
    title: String,
    /// Read the title from the page itself (one request, 10 seconds at most); without
    /// it rapport never fetches the link.
    #[arg(long, conflicts_with_all = ["title", "note"], requires = "url")]
    fetch_title: bool,
}

/// Drafts the shares, prints the summary, wakes a running daemon.
pub fn run(config_flag: Option<&Path>, args: &ShareArgs) -> Result<ExitCode> {
    let mut ctx = Ctx::open(config_flag)?;
    ctx.bring_current()?;
    // The people first: a page is fetched (--fetch-title) only when someone will get it.
    let people = people(&ctx, args)?;
    if people.is_empty() {
        bail!("nobody matches; `rapport contacts list` shows your contacts, their tags and tiers");
    }
    let what = what(args)?;
    let out = share::share(&ctx.store, &ctx.cfg, &people, &what, ctx.now)?;
    outln!(
        "Drafted {} personal {} ({}); each waits for approval in `rapport queue`.",
        out.drafted.len(),
        if out.drafted.len() == 1 {
            "email"
        } else {
            "emails"
        },
        share::label(&what)
    )?;
    for (id, _, name) in &out.drafted {
        outln!("  draft {id:>4}  {name}")?;
    }
    if !out.skipped.is_empty() {
        outln!("Skipped {}:", out.skipped.len())?;
        for (_, name, why) in &out.skipped {
            outln!("  {name}: {why}")?;
        }
    }
    if !out.drafted.is_empty() {
        kick_daemon(&ctx);
    }
    Ok(ExitCode::SUCCESS)
}

fn what(args: &ShareArgs) -> Result<ShareData> {
    let clean = |name: &str, v: &str| -> Result<String> {
        if v.chars().any(char::is_control) {
            bail!("--{name} has a line break or control character; give it on one line");
        }
        Ok(v.trim().to_string())
    };
    let url = match &args.url {
        Some(u) => {
            let u = u.trim();
            let ok = (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() > 8
                && !u.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                bail!(
                    "{u:?} is not a link rapport can share; give an http:// or https:// URL, or use --note TEXT"
                );
            }
            u.to_string()
        }
        None => String::new(),
    };
    let note = args.note.as_deref().unwrap_or("").trim().to_string();
    let title = if args.fetch_title {
        crate::link_title::fetch(&url)?
    } else {
        clean("title", &args.title)?
    };
    if args.url.is_none() && note.is_empty() {
        bail!("--note is empty; write what you want to share");
    }
    Ok(ShareData {
        url,
        title,
        note,
        why: clean("why", &args.why)?.trim_end_matches('.').to_string(),
    })
}

fn people(ctx: &Ctx, args: &ShareArgs) -> Result<Vec<crate::store::Contact>> {
    if !args.to.is_empty() {
        return args.to.iter().map(|q| ctx.one_contact(q)).collect();
    }
    let all = ctx.store.contacts()?;
    Ok(all
        .into_iter()
        .filter(|c| match (&args.tag, args.tier) {
            (Some(tag), _) => c.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            (None, Some(tier)) => c.tier == tier,
            (None, None) => false,
        })
        .collect())
}
