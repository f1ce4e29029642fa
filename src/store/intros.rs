//! The introductions (`rapport intro`): the two people, the last stage derived for the
//! intro, and the draft of each step. The store keeps what was decided; the deciding is
//! `core::intro`'s, the carrying out `followup::intros`'s.

use anyhow::{Result, bail};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Store, fmt_ts, parse_ts};
use crate::core::model::{IntroStage, IntroStep};

/// One introduction as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Intro {
    /// Its id (never reused).
    pub id: i64,
    /// The person asked first.
    pub a_contact: i64,
    /// The person asked only after A's yes.
    pub b_contact: i64,
    /// The user's one line on why they should meet.
    pub why: String,
    /// The stage last derived.
    pub stage: IntroStage,
    /// What happens next, in words, as last derived.
    pub next: String,
    /// When A's yes was read, if it was.
    pub a_yes_at: Option<Timestamp>,
    /// When B's yes was read, if it was.
    pub b_yes_at: Option<Timestamp>,
    /// The draft of each step made so far.
    pub drafts: Vec<(IntroStep, i64)>,
    /// When it was started.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When it closed (a closed stage was reached), if it did.
    pub closed_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, a_contact, b_contact, why, stage, next, a_yes_at, b_yes_at,
    ask_a_draft, nudge_a_draft, ask_b_draft, nudge_b_draft, intro_draft, declined_draft,
    created_at, updated_at, closed_at";

/// The column holding the draft of `step`: a fixed name, never text from outside.
fn step_column(step: IntroStep) -> &'static str {
    match step {
        IntroStep::AskA => "ask_a_draft",
        IntroStep::NudgeA => "nudge_a_draft",
        IntroStep::AskB => "ask_b_draft",
        IntroStep::NudgeB => "nudge_b_draft",
        IntroStep::Introduce => "intro_draft",
        IntroStep::DeclinedNote => "declined_draft",
    }
}

const STEP_ORDER: [IntroStep; 6] = [
    IntroStep::AskA,
    IntroStep::NudgeA,
    IntroStep::AskB,
    IntroStep::NudgeB,
    IntroStep::Introduce,
    IntroStep::DeclinedNote,
];

fn from_row(r: &Row<'_>) -> rusqlite::Result<Intro> {
    let id: i64 = r.get(0)?;
    let bad = |col: &str, why: String| super::bad_value("intros", id, col, why);
    let ts = |i: usize, col: &str| -> rusqlite::Result<Option<Timestamp>> {
        let v: Option<String> = r.get(i)?;
        v.map(|s| parse_ts(&s).map_err(|e| bad(col, e.to_string())))
            .transpose()
    };
    let stage: String = r.get(4)?;
    let mut drafts = Vec::new();
    for (i, step) in STEP_ORDER.iter().enumerate() {
        if let Some(d) = r.get::<_, Option<i64>>(8 + i)? {
            drafts.push((*step, d));
        }
    }
    let created: String = r.get(14)?;
    let updated: String = r.get(15)?;
    Ok(Intro {
        id,
        a_contact: r.get(1)?,
        b_contact: r.get(2)?,
        why: r.get(3)?,
        stage: stage.parse().map_err(|e| bad("stage", e))?,
        next: r.get(5)?,
        a_yes_at: ts(6, "a_yes_at")?,
        b_yes_at: ts(7, "b_yes_at")?,
        drafts,
        created_at: parse_ts(&created).map_err(|e| bad("created_at", e.to_string()))?,
        updated_at: parse_ts(&updated).map_err(|e| bad("updated_at", e.to_string()))?,
        closed_at: ts(16, "closed_at")?,
    })
}

/// What a derivation says an intro is now.
#[derive(Debug, Clone)]
pub struct IntroUpdate<'a> {
    /// The stage.
    pub stage: IntroStage,
    /// What happens next, in words.
    pub next: &'a str,
    /// A's yes, if read.
    pub a_yes_at: Option<Timestamp>,
    /// B's yes, if read.
    pub b_yes_at: Option<Timestamp>,
}

impl Store {
    /// Starts an intro between `a` and `b`. Returns its id.
    pub fn insert_intro(&self, a: i64, b: i64, why: &str, now: Timestamp) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO intros (a_contact, b_contact, why, stage, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'asking-a', ?4, ?4)",
            params![a, b, why, fmt_ts(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Removes an intro that could not be started (its first draft failed).
    pub fn delete_intro(&self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM intros WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The intro with this id.
    pub fn intro(&self, id: i64) -> Result<Option<Intro>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM intros WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?)
    }

    /// Every intro (`all`) or only the open ones, oldest first.
    pub fn intros(&self, all: bool) -> Result<Vec<Intro>> {
        let filter = if all { "" } else { "WHERE closed_at IS NULL" };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM intros {filter} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The intros a contact is part of, on either side, oldest first.
    pub fn intros_of_contact(&self, contact: i64) -> Result<Vec<Intro>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM intros WHERE a_contact = ?1 OR b_contact = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([contact], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The intro that made draft `draft_id`, and which step it is; `None` for a draft no
    /// intro made.
    pub fn intro_of_draft(&self, draft_id: i64) -> Result<Option<(Intro, IntroStep)>> {
        let intro = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM intros WHERE ?1 IN (ask_a_draft, nudge_a_draft,
                     ask_b_draft, nudge_b_draft, intro_draft, declined_draft)"
                ),
                [draft_id],
                from_row,
            )
            .optional()?;
        Ok(intro.and_then(|i| {
            let step = i
                .drafts
                .iter()
                .find(|(_, d)| *d == draft_id)
                .map(|(s, _)| *s)?;
            Some((i, step))
        }))
    }

    /// The intro whose email has this Message-ID (an answer's In-Reply-To or
    /// References names it), and which step that email is.
    pub fn intro_of_message(&self, message_id: &str) -> Result<Option<(Intro, IntroStep)>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM drafts WHERE message_id = ?1",
                [message_id],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => self.intro_of_draft(id),
            None => Ok(None),
        }
    }

    /// Records draft `draft_id` as the intro's email for `step`; refused (an error) when
    /// the step has a draft already: each step is drafted once.
    pub fn set_intro_draft(
        &self,
        id: i64,
        step: IntroStep,
        draft_id: i64,
        now: Timestamp,
    ) -> Result<()> {
        let col = step_column(step);
        let n = self.conn.execute(
            &format!(
                "UPDATE intros SET {col} = ?1, updated_at = ?2 WHERE id = ?3 AND {col} IS NULL"
            ),
            params![draft_id, fmt_ts(now), id],
        )?;
        if n != 1 {
            bail!("intro {id} already has its {step} email; `rapport intros` shows it");
        }
        Ok(())
    }

    /// Stores what the intro was derived to be; `closed_at` is set when the stage is
    /// closed. Returns whether the stage changed.
    pub fn update_intro(&self, id: i64, u: &IntroUpdate<'_>, now: Timestamp) -> Result<bool> {
        let old: Option<String> = self
            .conn
            .query_row("SELECT stage FROM intros WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let closed = (!u.stage.is_open()).then(|| fmt_ts(now));
        self.conn.execute(
            "UPDATE intros SET stage = ?1, next = ?2, a_yes_at = ?3, b_yes_at = ?4,
                closed_at = CASE WHEN ?5 IS NULL THEN NULL ELSE COALESCE(closed_at, ?5) END,
                updated_at = CASE WHEN stage = ?1 AND next = ?2 THEN updated_at ELSE ?6 END
             WHERE id = ?7",
            params![
                u.stage.as_str(),
                u.next,
                u.a_yes_at.map(fmt_ts),
                u.b_yes_at.map(fmt_ts),
                closed,
                fmt_ts(now),
                id
            ],
        )?;
        Ok(old.as_deref() != Some(u.stage.as_str()))
    }
}

#[cfg(test)]
mod tests;
