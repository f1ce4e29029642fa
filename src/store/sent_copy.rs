//! Records of the copies of sent drafts in the user's Sent folder: which sent drafts
//! still need one looked for (or appended), and that a copy was found or appended, so
//! rapport never files one twice. This module must never decide whether to append; it
//! only remembers what [`crate::mail::sent_copy`] did.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::params;

use super::{Store, fmt_ts, parse_ts};

/// How a draft's copy came to be in the Sent folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyState {
    /// It was there already (the server filed it, or an earlier append's record was lost).
    Found,
    /// rapport appended it.
    Appended,
}

impl CopyState {
    fn as_str(self) -> &'static str {
        match self {
            CopyState::Found => "found",
            CopyState::Appended => "appended",
        }
    }
}

/// A sent draft whose copy in Sent is not recorded yet.
#[derive(Debug, Clone)]
pub struct SentCopy {
    pub draft_id: i64,
    pub message_id: String,
    /// The exact bytes that went out over SMTP, `Date:` included (recorded when the
    /// draft was claimed; a draft sent before migration 0017 has only its approved
    /// bytes).
    pub message: Vec<u8>,
    pub sent_at: Timestamp,
    /// Whether sync has already seen this Message-ID in `folder` of the account.
    pub seen_in_folder: bool,
    /// The account the draft went out from: its copy goes to that account's Sent.
    pub account: String,
}

impl Store {
    /// Sent drafts with no copy recorded, oldest first; `seen_in_folder` tells whether
    /// sync saw each one in `folder` of `account`.
    pub fn sent_copies_pending(&self, account: &str, folder: &str) -> Result<Vec<SentCopy>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.message_id, COALESCE(d.sent_message, d.message), COALESCE(d.sent_at, d.updated_at),
                    EXISTS (SELECT 1 FROM messages m
                            JOIN message_locations l ON l.message = m.id
                            WHERE m.message_id = d.message_id
                              AND l.account = ?1 AND l.folder = ?2),
                    d.account
             FROM drafts d
             WHERE d.status = 'sent'
               AND NOT EXISTS (SELECT 1 FROM sent_copies c WHERE c.draft_id = d.id)
             ORDER BY d.sent_at, d.id",
        )?;
        let rows = stmt
            .query_map(params![account, folder], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(draft_id, message_id, message, at, seen, account)| {
                Ok(SentCopy {
                    draft_id,
                    message_id,
                    message,
                    sent_at: parse_ts(&at)?,
                    seen_in_folder: seen,
                    account,
                })
            })
            .collect()
    }

    /// How many drafts were sent, and how many of those sync has seen in the user's own
    /// mail (a copy the provider or rapport filed): with none seen, an `unknown` draft
    /// cannot be checked against the mailbox.
    pub fn sent_drafts_seen(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(EXISTS (SELECT 1 FROM messages m
                                                  WHERE m.message_id = d.message_id)), 0)
             FROM drafts d WHERE d.status = 'sent'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Remembers that the draft's copy is in `folder`; a second record is ignored.
    pub fn record_sent_copy(
        &self,
        draft_id: i64,
        state: CopyState,
        folder: &str,
        now: Timestamp,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO sent_copies (draft_id, state, folder, at) VALUES (?1, ?2, ?3, ?4)",
            params![draft_id, state.as_str(), folder, fmt_ts(now)],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
