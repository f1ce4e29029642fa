//! `rapport mark`: the user corrects or confirms a message's reading; the timeline is
//! re-derived and later syncs keep it, and the learned reader is taught the words (or,
//! with `--forget`, unlearns them). It never drafts or sends anything itself; the daemon
//! is told and plans from the corrected timeline.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::Ctx;
use crate::cli::output::outln;
use crate::core::classify::model::Class;
use crate::core::classify::{Certainty, Classification, Intent, Label};
use crate::store::StoredMessage;

#[derive(Args, Debug)]
pub struct MarkArgs {
    /// A Message-ID or the message id the timeline prints.
    message: String,
    /// meeting_invite, human_reply, thank_you, auto_reply, bounce, bulk, other, ...
    #[arg(required_unless_present = "forget")]
    label: Option<String>,
    /// For human_reply: yes, no, later or other.
    #[arg(long)]
    intent: Option<String>,
    /// For intent later: the date to come back (2027-01-15).
    #[arg(long)]
    until: Option<String>,
    /// Unteach the learned reader what marking MESSAGE taught it (the message keeps
    /// the reading you gave it; mark it again to change that).
    #[arg(long, conflicts_with_all = ["label", "intent", "until"])]
    forget: bool,
}

/// `rapport mark MESSAGE LABEL [--intent …] [--until …]`, or `--forget`.
pub fn run(config_flag: Option<&Path>, args: MarkArgs) -> Result<ExitCode> {
    let ctx = Ctx::open(config_flag)?;
    match args.label {
        Some(label) if !args.forget => mark(
            ctx,
            &args.message,
            &label,
            args.intent.as_deref(),
            args.until.as_deref(),
        ),
        _ => forget(ctx, &args.message),
    }
}

fn mark(
    mut ctx: Ctx,
    key: &str,
    label: &str,
    intent: Option<&str>,
    until: Option<&str>,
) -> Result<ExitCode> {
    let Some(label) = Label::from_name(label) else {
        let names: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
        bail!("{label:?} is not a label; use one of: {}", names.join(", "));
    };
    let intent = match intent {
        Some(i) => Some(
            Intent::from_name(i)
                .with_context(|| format!("--intent {i:?}: use yes, no, later or other"))?,
        ),
        None => None,
    };
    let until = match until {
        Some(u) => Some(
            u.parse::<jiff::civil::Date>()
                .with_context(|| format!("--until {u:?} is not a date like 2027-01-15"))?,
        ),
        None => None,
    };
    if until.is_some() && intent.is_some_and(|i| i != Intent::Later) {
        bail!("--until goes with --intent later only");
    }
    let m = super::why::find_message(&ctx, key)?;
    let (changes, n) = apply_mark(&mut ctx, &m, label, intent, until)?;
    outln!(
        "Marked message {}: {}; {n} timeline entr{} re-derived. Later syncs keep your reading.",
        m.id,
        changes.join(", "),
        if n == 1 { "y" } else { "ies" }
    )?;
    super::kick_daemon(&ctx);
    Ok(ExitCode::SUCCESS)
}

/// `rapport mark --forget MESSAGE`: the learned reader forgets what marking the message
/// taught it, from the next sync on.
fn forget(mut ctx: Ctx, key: &str) -> Result<ExitCode> {
    let m = super::why::find_message(&ctx, key)?;
    if ctx.store.forget_reader_example(&m.message_id)? {
        outln!(
            "The learned reader forgot message {} (its reading stays as you marked it); later syncs read such words as before.",
            m.id
        )?;
    } else {
        outln!(
            "Message {} taught the learned reader nothing to forget: it was never marked, or was forgotten already.",
            m.id
        )?;
    }
    super::kick_daemon(&ctx);
    Ok(ExitCode::SUCCESS)
}

/// The one way a reading is corrected or confirmed (`rapport mark`, `rapport review`):
/// the label overridden, stale fields cleared, the timeline re-derived. Returns what
/// changed and how many timeline entries were re-derived.
pub(crate) fn apply_mark(
    ctx: &mut Ctx,
    m: &StoredMessage,
    label: Label,
    intent: Option<Intent>,
    until: Option<jiff::civil::Date>,
) -> Result<(Vec<String>, usize)> {
    let now = ctx.now;
    let mut class = m.classification.clone();
    let changes = correct(&mut class, m.label, label, intent, until);
    let tx = ctx.store.batch()?;
    tx.set_label_override(m.id, label, &class)?;
    // The words the user just read for rapport teach the learned reader (DESIGN §4).
    if let Some(taught) = Class::of_reading(label, class.intent)
        && !m.snippet.trim().is_empty()
    {
        tx.keep_reader_example(&m.message_id, &m.snippet, taught, now)?;
    }
    let updated = tx
        .message_by_message_id(&m.message_id)?
        .context("message vanished")?;
    let n = crate::mail::timeline::derive(&tx, &updated, now)?;
    tx.commit()?;
    Ok((changes, n))
}

/// Applies a correction to a stored classification and says what changed. Fields that
/// no longer apply go: the intent when the label is not a reply or thank-you, the
/// until-date when the intent is not "later". A mark also confirms the reading.
fn correct(
    class: &mut Classification,
    old_label: Label,
    label: Label,
    intent: Option<Intent>,
    until: Option<jiff::civil::Date>,
) -> Vec<String> {
    let mut changes = Vec::new();
    if old_label == label {
        changes.push(format!("label {} (confirmed)", label.as_str()));
    } else {
        changes.push(format!("label {} → {}", old_label.as_str(), label.as_str()));
    }
    let old_intent = class.intent;
    let keeps_intent = matches!(label, Label::HumanReply | Label::ThankYou);
    let new_intent = match intent {
        Some(i) => Some(i),
        None if keeps_intent => old_intent,
        None => None,
    };
    if new_intent != old_intent {
        let shown = |i: Option<Intent>| i.map_or("none", Intent::as_str);
        changes.push(format!(
            "intent {} → {}",
            shown(old_intent),
            shown(new_intent)
        ));
    }
    class.intent = new_intent;
    let old_until = class.later_until;
    let new_until = match until {
        Some(u) => Some(u),
        None if new_intent == Some(Intent::Later) => old_until,
        None => None,
    };
    if new_until != old_until {
        match (new_until, old_until) {
            (Some(new), _) => changes.push(format!("until {new}")),
            (None, Some(old)) => changes.push(format!("until {old} cleared")),
            (None, None) => {}
        }
    }
    class.later_until = new_until;
    class.certainty = Certainty::Sure;
    changes
}
