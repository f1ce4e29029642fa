//! Action items: the promises made in a meeting, and how they are ordered and labelled
//! for the user (overdue first, then by due date, undated last).
//!
//! Plain data and pure functions: "today" is passed in as a civil date in the user's
//! zone. Nothing here reads the clock or the store.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use jiff::civil::Date;
use serde::Serialize;

/// One action item, as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    pub id: i64,
    pub contact_id: i64,
    /// The contact's display name, for listings.
    pub contact: String,
    pub text: String,
    /// The day it is due, in the user's zone.
    pub due: Option<Date>,
    /// When it was marked done (RFC 3339), `None` while open.
    pub done_at: Option<String>,
}

impl ActionItem {
    /// Open and past its due day.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.done_at.is_none() && self.due.is_some_and(|d| d < today)
    }

    /// "overdue since 2026-12-05", "due today", "due 2026-12-09", "done", or "".
    pub fn due_label(&self, today: Date) -> String {
        if self.done_at.is_some() {
            return "done".to_string();
        }
        match self.due {
            Some(d) if d < today => format!("overdue since {d}"),
            Some(d) if d == today => "due today".to_string(),
            Some(d) => format!("due {d}"),
            None => String::new(),
        }
    }
}

/// The open items in the order the user should see them: overdue first (oldest due
/// first), then the rest by due day, then the undated ones by id.
pub fn order_open(items: &[ActionItem], today: Date) -> Vec<ActionItem> {
    let mut open: Vec<ActionItem> = items
        .iter()
        .filter(|i| i.done_at.is_none())
        .cloned()
        .collect();
    open.sort_by_key(|i| (!i.is_overdue(today), i.due.is_none(), i.due, i.id));
    open
}

#[cfg(test)]
mod tests;
