//! `rapport review`'s items that are not drafts: a reply whose reading is unsure
//! (confirm it, or correct its intent) and a meeting request from someone else (mark it
//! answered, or skip). A confirmation or correction goes through
//! [`super::mark::apply_mark`], the code of `rapport mark`; this must never write a
//! reading of its own, and never sends anything.

use anyhow::Result;

use super::Ctx;
use super::review::{Tally, read_key, read_line};
use crate::cli::output::{flush, out, outln};
use crate::core::classify::{Intent, Label};
use crate::core::model::InteractionKind;
use crate::store::{Attention, NewInteraction, StoredMessage};

fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

fn show_message(m: &StoredMessage) -> Result<()> {
    outln!("From: {} <{}>", m.from_name, m.from_addr)?;
    outln!("Subject: {}", m.subject)?;
    outln!()?;
    outln!("{}", m.snippet)?;
    outln!()?;
    Ok(())
}

/// The intent a key chooses when correcting a reading.
fn intent_of(k: char) -> Option<Intent> {
    match k {
        'y' => Some(Intent::Yes),
        'n' => Some(Intent::No),
        'l' => Some(Intent::Later),
        'o' => Some(Intent::Other),
        _ => None,
    }
}

/// A reply whose reading is unsure; `false` when the user quit.
pub(super) fn unsure(
    ctx: &mut Ctx,
    a: &Attention,
    n: usize,
    total: usize,
    t: &mut Tally,
) -> Result<bool> {
    let m = super::why::find_message(ctx, &a.message_id)?;
    outln!()?;
    outln!(
        "[{n}/{total}] Reply from {} · {} · rapport is unsure of its reading",
        a.contact,
        day(&a.at)
    )?;
    show_message(&m)?;
    outln!("rapport's guess: {}", a.summary)?;
    loop {
        out!("[c]onfirm  correct: [y]es [n]o [l]ater [o]ther  s[k]ip  [q]uit > ")?;
        flush()?;
        let Some(k) = read_key()? else {
            return Ok(false);
        };
        let label = m.label;
        let (label, intent) = match k {
            'c' => (label, None),
            'k' | ' ' => {
                outln!("Skipped the reply from {}.", a.contact)?;
                t.skipped += 1;
                return Ok(true);
            }
            'q' => return Ok(false),
            // Choosing an intent says what they answered: a reply with that intent
            // (as `rapport mark MESSAGE human_reply --intent …`).
            k => match intent_of(k) {
                Some(i) => (Label::HumanReply, Some(i)),
                None => continue,
            },
        };
        let until = match intent {
            Some(Intent::Later) => match until_when()? {
                Some(until) => until,
                None => return Ok(false),
            },
            _ => None,
        };
        let (changes, _) = super::mark::apply_mark(ctx, &m, label, intent, until)?;
        if intent.is_some() {
            t.corrected += 1;
        } else {
            t.confirmed += 1;
        }
        outln!("Marked message {}: {}.", m.id, changes.join(", "))?;
        return Ok(true);
    }
}

/// Asks when a "later" points to: a date, or nothing for rapport's own reading of the
/// reply (or its default wait). `None` at the end of input; asks again after a date it
/// cannot read, saying which form it reads.
fn until_when() -> Result<Option<Option<jiff::civil::Date>>> {
    loop {
        out!("Until when? (a date like 2027-03-01; Enter: rapport's reading) > ")?;
        let Some(typed) = read_line()? else {
            return Ok(None);
        };
        if typed.is_empty() {
            return Ok(Some(None));
        }
        match typed.parse::<jiff::civil::Date>() {
            Ok(d) => return Ok(Some(Some(d))),
            Err(_) => outln!("{typed:?} is not a date like 2027-03-01.")?,
        }
    }
}

/// A meeting request from someone else; `false` when the user quit.
pub(super) fn request(
    ctx: &Ctx,
    a: &Attention,
    n: usize,
    total: usize,
    t: &mut Tally,
) -> Result<bool> {
    let m = super::why::find_message(ctx, &a.message_id)?;
    outln!()?;
    outln!(
        "[{n}/{total}] {} asked you for a meeting on {} (rapport drafts nothing for this)",
        a.contact,
        day(&a.at)
    )?;
    show_message(&m)?;
    loop {
        out!("[a]nswered  s[k]ip  [q]uit > ")?;
        flush()?;
        match read_key()? {
            Some('a') => {
                ctx.store.add_interaction(&NewInteraction {
                    contact_id: a.contact_id,
                    at: ctx.now,
                    kind: InteractionKind::EmailSent,
                    summary: "you answered their request (recorded in review)",
                    message_key: "",
                    draft_id: None,
                    detail: serde_json::json!({ "answers": a.message_id }),
                    source: "user",
                })?;
                outln!("Recorded that you answered {}.", a.contact)?;
                t.answered += 1;
                return Ok(true);
            }
            Some('k' | ' ') => {
                outln!("Skipped the request from {}.", a.contact)?;
                t.skipped += 1;
                return Ok(true);
            }
            Some('q') | None => return Ok(false),
            Some(_) => continue,
        }
    }
}
