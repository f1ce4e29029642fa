//! The approval queue. Every state change is one guarded `UPDATE ... WHERE status = ...`,
//! so the CLI and the daemon can act on the same draft at once and only one wins.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::{Result, bail};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{NewInteraction, Store, fmt_ts};
use crate::core::model::{DraftKind, DraftStatus, InteractionKind};

#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub id: i64,
    pub contact_id: i64,
    pub kind: DraftKind,
    pub template: String,
    pub reason: String,
    pub reason_key: String,
    pub due_at: String,
    pub status: DraftStatus,
    pub to_addr: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: Vec<String>,
    #[serde(skip)]
    pub message: Vec<u8>,
    pub approved_digest: String,
    pub created_at: String,
    pub updated_at: String,
    pub approved_at: Option<String>,
    pub sent_at: Option<String>,
    pub snoozed_until: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: String,
    pub status_note: String,
    /// The exact bytes handed to the server (`message` with its `Date:` stamped), set
    /// when the draft is claimed for sending; `None` before.
    #[serde(skip)]
    pub sent_message: Option<Vec<u8>>,
    /// The mail read when it was made: the highest message row then (a message with a
    /// larger row was read after it); -1 for a draft made before rapport kept this.
    #[serde(skip)]
    pub read_upto: i64,
    /// The one more visible recipient (an introduction's B, in Cc); "" for none.
    pub cc_addr: String,
    /// The name shown with `cc_addr`.
    pub cc_name: String,
    /// The account it goes out from (its From, SMTP server, window and cap).
    pub account: String,
}

impl Draft {
    /// The bytes that went out (or go out): the stamped ones once claimed, else the
    /// approved ones.
    pub fn outgoing(&self) -> &[u8] {
        self.sent_message.as_deref().unwrap_or(&self.message)
    }

    /// When it may go out: the due time, or the end of a snooze, or the next retry.
    pub fn effective_due(&self) -> &str {
        let mut due = self.due_at.as_str();
        if let Some(s) = &self.snoozed_until
            && s.as_str() > due
        {
            due = s;
        }
        if let Some(n) = &self.next_attempt_at
            && n.as_str() > due
        {
            due = n;
        }
        due
    }
}

#[derive(Debug, Clone)]
pub struct NewDraft {
    pub contact_id: i64,
    pub kind: DraftKind,
    pub template: String,
    pub reason: String,
    pub reason_key: String,
    pub due_at: Timestamp,
    pub to_addr: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: Vec<String>,
    pub message: Vec<u8>,
    /// The one more visible recipient (Cc): its address and name; "" for none.
    pub cc: (String, String),
    /// The account it goes out from; "" for the default account.
    pub account: String,
}

/// SHA-256 of the bytes, hex: what approval binds to.
pub fn digest(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const COLUMNS: &str =
    "id, contact_id, kind, template, reason, reason_key, due_at, status, to_addr, to_name,
    subject, body, message_id, in_reply_to, refs, message, approved_digest, created_at, updated_at,
    approved_at, sent_at, snoozed_until, attempts, next_attempt_at, last_error, status_note,
    sent_message, read_upto, cc_addr, cc_name, account";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Draft> {
    let kind: String = r.get(2)?;
    let status: String = r.get(7)?;
    let refs: String = r.get(14)?;
    let bad = |i: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    Ok(Draft {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        kind: kind.parse().map_err(|e| bad(2, e))?,
        template: r.get(3)?,
        reason: r.get(4)?,
        reason_key: r.get(5)?,
        due_at: r.get(6)?,
        status: status.parse().map_err(|e| bad(7, e))?,
        to_addr: r.get(8)?,
        to_name: r.get(9)?,
        subject: r.get(10)?,
        body: r.get(11)?,
        message_id: r.get(12)?,
        in_reply_to: r.get(13)?,
        references: refs.split_whitespace().map(str::to_string).collect(),
        message: r.get(15)?,
        approved_digest: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
        approved_at: r.get(19)?,
        sent_at: r.get(20)?,
        snoozed_until: r.get(21)?,
        attempts: r.get(22)?,
        next_attempt_at: r.get(23)?,
        last_error: r.get(24)?,
        status_note: r.get(25)?,
        sent_message: r.get(26)?,
        read_upto: r.get(27)?,
        cc_addr: r.get(28)?,
        cc_name: r.get(29)?,
        account: r.get(30)?,
    })
}

impl Store {
    /// Adds a pending draft. Returns `None`, changing nothing, when a draft for the same
    /// contact and reason already exists (re-planning is idempotent).
    pub fn insert_draft(&self, d: &NewDraft, now: Timestamp) -> Result<Option<i64>> {
        let n = self.conn.execute(
            "INSERT INTO drafts (contact_id, kind, template, reason, reason_key, due_at, to_addr, to_name,
                subject, body, message_id, in_reply_to, refs, message, created_at, updated_at,
                read_upto, cc_addr, cc_name, account)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15,
                (SELECT COALESCE(MAX(id), 0) FROM messages), ?16, ?17, ?18)
             ON CONFLICT (contact_id, reason_key) DO NOTHING",
            params![
                d.contact_id,
                d.kind.as_str(),
                d.template,
                d.reason,
                d.reason_key,
                fmt_ts(d.due_at),
                d.to_addr,
                d.to_name,
                d.subject,
                d.body,
                d.message_id,
                d.in_reply_to,
                d.references.join(" "),
                d.message,
                fmt_ts(now),
                d.cc.0,
                d.cc.1,
                if d.account.is_empty() { crate::config::DEFAULT_ACCOUNT } else { &d.account },
            ],
        )?;
        Ok((n == 1).then(|| self.conn.last_insert_rowid()))
    }

    pub fn draft(&self, id: i64) -> Result<Option<Draft>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM drafts WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?)
    }

    /// The draft with this id, or an error that says how to find one.
    pub fn draft_or_err(&self, id: i64) -> Result<Draft> {
        match self.draft(id)? {
            Some(d) => Ok(d),
            None => bail!("no draft {id}; `rapport queue --all` lists them"),
        }
    }

    /// Drafts by due time; with `all` false only those that still need the user or
    /// are on their way (pending, approved, snoozed, sending, unknown, failed).
    pub fn drafts(&self, all: bool) -> Result<Vec<Draft>> {
        let filter = if all {
            ""
        } else {
            "WHERE status IN ('pending', 'approved', 'snoozed', 'sending', 'unknown', 'failed')"
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM drafts {filter} ORDER BY due_at, id"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// How many drafts are in each state.
    pub fn draft_counts(&self) -> Result<std::collections::BTreeMap<String, usize>> {
        Ok(self
            .conn
            .prepare("SELECT status, COUNT(*) FROM drafts GROUP BY status")?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })?
            .collect::<Result<_, _>>()?)
    }

    /// Drafts to one contact, newest first.
    pub fn drafts_for_contact(&self, contact_id: i64) -> Result<Vec<Draft>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM drafts WHERE contact_id = ?1 ORDER BY created_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map([contact_id], from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The subject and References of the draft rapport wrote as `message_id`, if it did:
    /// the thread a nudge to it replies in.
    pub fn draft_thread(&self, message_id: &str) -> Result<Option<(String, Vec<String>)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT subject, refs FROM drafts WHERE message_id = ?1",
                [message_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(subject, refs)| {
            (
                subject,
                refs.split_whitespace().map(str::to_string).collect(),
            )
        }))
    }

    /// Moves a draft between states when it is in one of `from`; returns whether it did.
    fn transition(
        &self,
        id: i64,
        from: &[DraftStatus],
        to: DraftStatus,
        extra_sql: &str,
        extra: &[&dyn rusqlite::ToSql],
        now: Timestamp,
    ) -> Result<bool> {
        let from_list: Vec<String> = from.iter().map(|s| format!("'{}'", s.as_str())).collect();
        let sql = format!(
            "UPDATE drafts SET status = ?1, updated_at = ?2 {extra_sql} WHERE id = ?3 AND status IN ({})",
            from_list.join(", ")
        );
        let now = fmt_ts(now);
        let to = to.as_str();
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&to, &now, &id];
        args.extend_from_slice(extra);
        Ok(self.conn.execute(&sql, args.as_slice())? == 1)
    }

    fn explain_refusal(&self, id: i64, action: &str) -> anyhow::Error {
        match self.draft(id) {
            Ok(Some(d)) => anyhow::anyhow!(
                "draft {id} is {}, so it cannot be {action}",
                d.status.as_str()
            ),
            Ok(None) => anyhow::anyhow!("no draft {id}; `rapport queue --all` lists them"),
            Err(e) => e,
        }
    }

    /// Approves the exact bytes the draft holds now.
    pub fn approve(&self, id: i64, now: Timestamp) -> Result<()> {
        let d = self.draft_or_err(id)?;
        let dig = digest(&d.message);
        let ok = self.transition(
            id,
            &[DraftStatus::Pending, DraftStatus::Snoozed],
            DraftStatus::Approved,
            ", approved_digest = ?4, approved_at = ?5, snoozed_until = NULL",
            &[&dig, &fmt_ts(now)],
            now,
        )?;
        if !ok {
            return Err(self.explain_refusal(id, "approved"));
        }
        Ok(())
    }

    pub fn reject(&self, id: i64, reason: &str, now: Timestamp) -> Result<()> {
        let ok = self.transition(
            id,
            &[
                DraftStatus::Pending,
                DraftStatus::Approved,
                DraftStatus::Snoozed,
                DraftStatus::Failed,
                DraftStatus::Unknown,
            ],
            DraftStatus::Rejected,
            ", status_note = ?4, approved_digest = ''",
            &[&reason],
            now,
        )?;
        if !ok {
            return Err(self.explain_refusal(id, "rejected"));
        }
        Ok(())
    }

    /// Puts a draft off until `until`; it comes back as pending and needs approval again.
    pub fn snooze(&self, id: i64, until: Timestamp, now: Timestamp) -> Result<()> {
        let ok = self.transition(
            id,
            &[
                DraftStatus::Pending,
                DraftStatus::Approved,
                DraftStatus::Snoozed,
            ],
            DraftStatus::Snoozed,
            ", snoozed_until = ?4, approved_digest = ''",
            &[&fmt_ts(until)],
            now,
        )?;
        if !ok {
            return Err(self.explain_refusal(id, "snoozed"));
        }
        Ok(())
    }

    /// Snoozed drafts whose time has come go back to pending.
    pub fn wake_snoozed(&self, now: Timestamp) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE drafts SET status = 'pending', updated_at = ?1
             WHERE status = 'snoozed' AND snoozed_until <= ?1",
            [fmt_ts(now)],
        )?)
    }

    /// Replaces the text of a draft after `queue edit`. The draft goes back to pending:
    /// what was approved before is not what is there now.
    pub fn edit(
        &self,
        id: i64,
        subject: &str,
        body: &str,
        message: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        let ok = self.transition(
            id,
            &[
                DraftStatus::Pending,
                DraftStatus::Approved,
                DraftStatus::Snoozed,
            ],
            DraftStatus::Pending,
            ", subject = ?4, body = ?5, message = ?6, approved_digest = '', approved_at = NULL",
            &[&subject, &body, &message],
            now,
        )?;
        if !ok {
            return Err(self.explain_refusal(id, "edited"));
        }
        Ok(())
    }

    /// `approved → sending`, committed before any byte goes to the server. Refuses a
    /// draft whose bytes are not the approved ones. The bytes go out as they are (the
    /// store's own tests); senders use [`Store::claim_stamped`].
    pub fn claim_for_sending(&self, id: i64, now: Timestamp) -> Result<Option<Draft>> {
        self.claim_stamped(id, now, <[u8]>::to_vec)
    }

    /// `approved → sending`, recording in the same statement the exact bytes that will
    /// go out: `stamp` of the approved bytes (their `Date:` header). The copy filed in
    /// Sent is these bytes, so it is what the recipient got. Refuses a draft whose bytes
    /// are not the approved ones.
    pub fn claim_stamped(
        &self,
        id: i64,
        now: Timestamp,
        stamp: impl FnOnce(&[u8]) -> Vec<u8>,
    ) -> Result<Option<Draft>> {
        let Some(d) = self.draft(id)? else {
            return Ok(None);
        };
        if d.status != DraftStatus::Approved {
            return Ok(None);
        }
        if d.approved_digest != digest(&d.message) {
            // Not sent either way: if this is refused, another process moved the draft
            // on first, and its state stands.
            let _moved_back = self.transition(
                id,
                &[DraftStatus::Approved],
                DraftStatus::Pending,
                ", status_note = 'its text changed after approval; approve it again', approved_digest = ''",
                &[],
                now,
            )?;
            return Ok(None);
        }
        let outgoing = stamp(&d.message);
        let ok = self.transition(
            id,
            &[DraftStatus::Approved],
            DraftStatus::Sending,
            ", attempts = attempts + 1, sent_message = ?4",
            &[&outgoing],
            now,
        )?;
        if !ok {
            return Ok(None);
        }
        self.draft(id)
    }

    /// `sending → sent` and the timeline entry, in one transaction.
    pub fn mark_sent(&mut self, id: i64, now: Timestamp) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE drafts SET status = 'sent', sent_at = ?1, updated_at = ?1, last_error = '', next_attempt_at = NULL
             WHERE id = ?2 AND status IN ('sending', 'unknown')",
            params![fmt_ts(now), id],
        )?;
        if n != 1 {
            bail!("draft {id} was not being sent");
        }
        let (contact_id, kind, subject, message_id, reason): (i64, String, String, String, String) =
            tx.query_row(
                "SELECT contact_id, kind, subject, message_id, reason FROM drafts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        let kind: DraftKind = kind.parse().map_err(anyhow::Error::msg)?;
        // A share's entry says what was shared ("you shared: TITLE"), kept in its reason.
        let subject = if kind == DraftKind::Share {
            reason
        } else {
            subject
        };
        super::insert_interaction(
            &tx,
            &NewInteraction {
                contact_id,
                at: now,
                kind: InteractionKind::for_sent_draft(kind),
                summary: &subject,
                message_key: &message_id,
                draft_id: Some(id),
                detail: serde_json::json!({ "draft": id }),
                source: "send",
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A temporary failure: `sending` back to approved, to retry at `retry_at`. Returns
    /// whether it took: `false` means the draft was no longer `sending` and nothing
    /// changed; the caller must not report a retry.
    #[must_use = "a refused compare-and-set must be handled"]
    pub fn mark_retry(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        self.transition(
            id,
            &[DraftStatus::Sending],
            DraftStatus::Approved,
            ", last_error = ?4, next_attempt_at = ?5",
            &[&error, &fmt_ts(retry_at)],
            now,
        )
    }

    /// A permanent failure: the server refused the message (`sending → failed`). Returns
    /// whether it took (`false`: the draft was no longer `sending`, nothing changed).
    #[must_use = "a refused compare-and-set must be handled"]
    pub fn mark_failed(&self, id: i64, error: &str, now: Timestamp) -> Result<bool> {
        self.transition(
            id,
            &[DraftStatus::Sending],
            DraftStatus::Failed,
            ", last_error = ?4",
            &[&error],
            now,
        )
    }

    /// A temporary failure; `claimed` says whether the draft is `sending` (else it is
    /// still `approved`: the connection failed before it was claimed, and this counts as
    /// an attempt). Returns whether it took (`false`: the draft was in neither state
    /// and nothing changed).
    #[must_use = "a refused compare-and-set must be handled"]
    pub fn mark_retry_from(
        &self,
        id: i64,
        claimed: bool,
        error: &str,
        retry_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        if claimed {
            return self.mark_retry(id, error, retry_at, now);
        }
        self.transition(
            id,
            &[DraftStatus::Approved],
            DraftStatus::Approved,
            ", attempts = attempts + 1, last_error = ?4, next_attempt_at = ?5",
            &[&error, &fmt_ts(retry_at)],
            now,
        )
    }

    /// An approved draft that could not go out for want of a working login: it stays
    /// approved, its attempts untouched (a broken helper never fails a draft), and is
    /// due again at `retry_at`. Returns whether it took.
    #[must_use = "a refused compare-and-set must be handled"]
    pub fn mark_waiting_login(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        self.transition(
            id,
            &[DraftStatus::Approved],
            DraftStatus::Approved,
            ", last_error = ?4, next_attempt_at = ?5",
            &[&error, &fmt_ts(retry_at)],
            now,
        )
    }

    /// Gives up on a draft (see [`Store::mark_retry_from`] for `claimed`). Returns
    /// whether it took.
    #[must_use = "a refused compare-and-set must be handled"]
    pub fn mark_failed_from(
        &self,
        id: i64,
        claimed: bool,
        error: &str,
        now: Timestamp,
    ) -> Result<bool> {
        if claimed {
            return self.mark_failed(id, error, now);
        }
        self.transition(
            id,
            &[DraftStatus::Approved],
            DraftStatus::Failed,
            ", attempts = attempts + 1, last_error = ?4",
            &[&error],
            now,
        )
    }

    /// The server says the recipient of draft `id` (being sent) does not exist: the draft
    /// fails with the server's words, the address is marked bounced and the bounce goes
    /// on the timeline (as a bounce message would do), and every other open draft to
    /// that address is withdrawn. One transaction; returns the withdrawn drafts.
    pub fn mark_recipient_unknown(
        &mut self,
        id: i64,
        error: &str,
        now: Timestamp,
    ) -> Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE drafts SET status = 'failed', last_error = ?1, updated_at = ?2
             WHERE id = ?3 AND status = 'sending'",
            params![error, fmt_ts(now), id],
        )?;
        if n != 1 {
            bail!("draft {id} was not being sent");
        }
        let (contact_id, to_addr, message_id): (i64, String, String) = tx.query_row(
            "SELECT contact_id, to_addr, message_id FROM drafts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        tx.execute(
            "UPDATE contact_emails SET bounced_at = ?1 WHERE address = ?2 AND bounced_at IS NULL",
            params![fmt_ts(now), to_addr],
        )?;
        let withdrawn: Vec<i64> = tx
            .prepare(
                "SELECT id FROM drafts WHERE to_addr = ?1 AND id != ?2
                 AND status IN ('pending', 'approved', 'snoozed') ORDER BY id",
            )?
            .query_map(params![to_addr, id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let note = format!("{to_addr} does not exist (the server refused draft {id})");
        tx.execute(
            "UPDATE drafts SET status = 'superseded', status_note = ?1, updated_at = ?2, approved_digest = ''
             WHERE to_addr = ?3 AND id != ?4 AND status IN ('pending', 'approved', 'snoozed')",
            params![note, fmt_ts(now), to_addr, id],
        )?;
        let summary = format!("hard bounce: {to_addr} (refused when sending)");
        super::insert_interaction(
            &tx,
            &NewInteraction {
                contact_id,
                at: now,
                kind: InteractionKind::Bounce,
                summary: &summary,
                message_key: &format!("smtp-refusal:{message_id}"),
                draft_id: Some(id),
                detail: serde_json::json!({ "hard": true, "failed": [to_addr], "draft": id }),
                source: "send",
            },
        )?;
        tx.commit()?;
        Ok(withdrawn)
    }

    /// The conversation broke after the message was handed over: nobody knows whether
    /// it arrived, so it is never sent again on its own. Returns whether it took
    /// (`false`: the draft was no longer `sending`, nothing changed).
    #[must_use = "a refused compare-and-set must be handled"]
    pub fn mark_unknown(&self, id: i64, note: &str, now: Timestamp) -> Result<bool> {
        self.transition(
            id,
            &[DraftStatus::Sending],
            DraftStatus::Unknown,
            ", status_note = ?4",
            &[&note],
            now,
        )
    }

    /// At start-up (holding the send lock): drafts left in `sending` by a process that
    /// died become `unknown`. Returns the ids that did; one that another process moved
    /// on between the read and the update is left as that process set it, and not listed.
    pub fn recover_interrupted(&self, now: Timestamp) -> Result<Vec<i64>> {
        let ids: Vec<i64> = self
            .conn
            .prepare("SELECT id FROM drafts WHERE status = 'sending'")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut recovered = Vec::with_capacity(ids.len());
        for id in ids {
            if self.mark_unknown(
                id,
                "rapport stopped while sending this; check your Sent folder, then `rapport queue resolve ID sent` or `... not-sent`",
                now,
            )? {
                recovered.push(id);
            }
        }
        Ok(recovered)
    }

    /// `unknown` drafts whose Message-ID sync has seen in the user's own sent mail did
    /// go out: they become `sent`. Returns their ids.
    pub fn confirm_unknown_from_mailbox(&mut self, now: Timestamp) -> Result<Vec<i64>> {
        let ids: Vec<i64> = self
            .conn
            .prepare(
                "SELECT d.id FROM drafts d JOIN messages m ON m.message_id = d.message_id
                 WHERE d.status = 'unknown' AND m.direction = 'out'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &ids {
            self.mark_sent(*id, now)?;
        }
        Ok(ids)
    }

    /// The user's verdict on an `unknown` (or `failed`) draft.
    pub fn resolve(&mut self, id: i64, was_sent: bool, now: Timestamp) -> Result<()> {
        if was_sent {
            let d = self.draft_or_err(id)?;
            if d.status != DraftStatus::Unknown {
                bail!("draft {id} is {}, not unknown", d.status.as_str());
            }
            return self.mark_sent(id, now);
        }
        let ok = self.transition(
            id,
            &[DraftStatus::Unknown, DraftStatus::Failed],
            DraftStatus::Pending,
            ", approved_digest = '', next_attempt_at = NULL, status_note = 'back in the queue after a failed send'",
            &[],
            now,
        )?;
        if !ok {
            return Err(self.explain_refusal(id, "put back in the queue"));
        }
        Ok(())
    }

    /// Supersedes every open draft to a contact (the reason went away).
    pub fn supersede_for_contact(
        &self,
        contact_id: i64,
        why: &str,
        now: Timestamp,
    ) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE drafts SET status = 'superseded', status_note = ?1, updated_at = ?2, approved_digest = ''
             WHERE contact_id = ?3 AND status IN ('pending', 'approved', 'snoozed')",
            params![why, fmt_ts(now), contact_id],
        )?)
    }

    /// Supersedes one open draft.
    pub fn supersede(&self, id: i64, why: &str, now: Timestamp) -> Result<bool> {
        self.transition(
            id,
            &[
                DraftStatus::Pending,
                DraftStatus::Approved,
                DraftStatus::Snoozed,
            ],
            DraftStatus::Superseded,
            ", status_note = ?4, approved_digest = ''",
            &[&why],
            now,
        )
    }

    /// Moves an open draft's due time (an auto-reply said they are away).
    pub fn reschedule(&self, id: i64, due: Timestamp, why: &str, now: Timestamp) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE drafts SET due_at = ?1, status_note = ?2, updated_at = ?3
             WHERE id = ?4 AND status IN ('pending', 'approved', 'snoozed') AND due_at != ?1",
            params![fmt_ts(due), why, fmt_ts(now), id],
        )?;
        Ok(n == 1)
    }

    /// Emails sent (or possibly sent) in `[from, to)`: what counts against the daily cap.
    pub fn sent_between(&self, from: Timestamp, to: Timestamp) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM drafts WHERE status IN ('sent', 'unknown', 'sending')
             AND COALESCE(sent_at, updated_at) >= ?1 AND COALESCE(sent_at, updated_at) < ?2",
            params![fmt_ts(from), fmt_ts(to)],
            |r| r.get(0),
        )?)
    }

    /// Approved drafts whose time has come, oldest due first.
    pub fn due_approved(&self, now: Timestamp) -> Result<Vec<Draft>> {
        let now = fmt_ts(now);
        Ok(self
            .drafts(false)?
            .into_iter()
            .filter(|d| d.status == DraftStatus::Approved && d.effective_due() <= now.as_str())
            .collect())
    }
}

#[cfg(test)]
mod tests;
