//! `rapport share` carried out: for each person, the facts the rule needs from the store
//! ([`crate::core::share::skip_reason`] decides), then one personal draft each. Never one
//! email to many, never Bcc; nothing is sent here (every share waits for approval, and
//! the send window, the cap and stop-on-reply hold for it like for any draft).

use anyhow::Result;
use jiff::Timestamp;

use super::draft;
use crate::config::Loaded;
use crate::core::model::{DraftKind, InteractionKind as K};
use crate::core::plan::Stage;
use crate::core::render::ShareData;
use crate::core::share::{Facts, skip_reason};
use crate::store::{Contact, Store, fmt_ts};

/// What one `rapport share` did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Outcome {
    /// The drafts made: (draft id, contact id, name).
    pub drafted: Vec<(i64, i64, String)>,
    /// The people skipped: (contact id, name, why).
    pub skipped: Vec<(i64, String, String)>,
}

/// The words a timeline and the queue use for what was shared.
pub fn label(what: &ShareData) -> String {
    let text = if !what.title.is_empty() {
        what.title.as_str()
    } else if !what.url.is_empty() {
        what.url.as_str()
    } else {
        what.note.as_str()
    };
    let short: String = text.chars().take(80).collect();
    format!("you shared: {short}")
}

/// Drafts `what` to each of `people` the rule allows, one personal draft each.
pub fn share(
    store: &Store,
    cfg: &Loaded,
    people: &[Contact],
    what: &ShareData,
    now: Timestamp,
) -> Result<Outcome> {
    let templates = draft::load_templates(&cfg.templates_dir)?;
    let mut out = Outcome::default();
    let mut seen = std::collections::BTreeSet::new();
    for c in people {
        if !seen.insert(c.id) {
            continue;
        }
        let facts = facts_of(store, cfg, c, now)?;
        if let Some(why) = skip_reason(&facts, now, cfg.config.policy.share_min_days) {
            out.skipped.push((c.id, c.display_name(), why));
            continue;
        }
        let req = draft::Request {
            contact: c,
            kind: DraftKind::Share,
            template: DraftKind::Share.as_str(),
            reason: label(what),
            reason_key: format!("share:{}", fmt_ts(now)),
            due: now,
            thread: None,
            meeting_day: String::new(),
            later_when: String::new(),
            intro: None,
            share: Some(what),
        };
        match draft::create(store, cfg, &templates, &req, now)? {
            Some(id) => out.drafted.push((id, c.id, c.display_name())),
            None => out.skipped.push((
                c.id,
                c.display_name(),
                "a share to them was drafted this very second; try again".into(),
            )),
        }
    }
    Ok(out)
}

/// The facts [`skip_reason`] reads, from the store and the planner.
fn facts_of(store: &Store, cfg: &Loaded, c: &Contact, now: Timestamp) -> Result<Facts> {
    let plan = super::plan_contact(store, cfg, c, now)?;
    let waiting_draft = store
        .drafts_for_contact(c.id)?
        .into_iter()
        .find(|d| d.status.is_open())
        .map(|d| d.id);
    let last_touch = store
        .interactions(c.id)?
        .iter()
        .filter(|i| {
            !matches!(
                i.kind,
                K::AutoReply | K::Bounce | K::IntroStep | K::Note | K::NextContactAgreed
            )
        })
        .map(|i| i.at)
        .max();
    Ok(Facts {
        do_not_contact: c.do_not_contact,
        sendable: c.sendable_address().is_some(),
        open_request: matches!(plan.stage, Stage::Requested { .. } | Stage::Nudged { .. }),
        dormant: match plan.stage {
            Stage::Dormant { since } => Some(since),
            _ => None,
        },
        waiting_draft,
        last_touch,
    })
}
