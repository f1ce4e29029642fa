//! What the planner is given: the policy's numbers, the contact, its timeline as
//! events, and the drafts that already exist. Plain data, filled in by the follow-up
//! glue from the store; it must never read the store or the clock itself.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::core::classify::Intent;
use crate::core::model::{DraftKind, DraftStatus, InteractionKind, Tier};

/// The numbers of the follow-up policy (README: "What rapport will and will not send"). Every one is configurable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// A nudge is due this many days after an unanswered request.
    pub nudge_after_days: u32,
    /// After the nudge, this many days without a reply make the contact dormant.
    pub dormant_after_days: u32,
    /// The thank-you is due this many hours after a meeting ends.
    pub thank_you_after_hours: u32,
    /// Check-in cadence for close contacts, in calendar months.
    pub close_months: u32,
    /// Check-in cadence for regular contacts, in calendar months.
    pub regular_months: u32,
    /// Check-in cadence for acquaintances, in calendar months.
    pub acquaintance_months: u32,
    /// A meeting that ended longer ago than this gets no thank-you draft (so the first
    /// sync of old history does not flood the queue).
    pub stale_thank_you_days: u32,
    /// A request older than this gets no nudge (it counts as answered by silence), and a
    /// "come back around D" that was already older than D plus this when rapport began
    /// reading the mailbox gets no check-in of its own (old history); one that arrived
    /// while rapport was watching always gets its check-in, however late rapport runs.
    pub stale_request_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            nudge_after_days: 7,
            dormant_after_days: 14,
            thank_you_after_hours: 2,
            close_months: 1,
            regular_months: 3,
            acquaintance_months: 6,
            stale_thank_you_days: 3,
            stale_request_days: 30,
        }
    }
}

impl Policy {
    /// The check-in cadence of `tier`, in months.
    pub fn cadence_months(&self, tier: Tier) -> u32 {
        match tier {
            Tier::Close => self.close_months,
            Tier::Regular => self.regular_months,
            Tier::Acquaintance => self.acquaintance_months,
        }
    }
}

/// What the planner needs to know about the contact itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFacts {
    pub id: i64,
    pub tier: Tier,
    pub do_not_contact: bool,
    pub all_addresses_bounced: bool,
    pub has_address: bool,
    /// When rapport began reading the mailbox (its first sync), if it has. A "come back
    /// around D" that arrived after this is never dropped as old history, however long
    /// rapport was not running.
    #[serde(default)]
    pub watching_since: Option<Timestamp>,
}

/// One interaction on the contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub at: Timestamp,
    pub kind: InteractionKind,
    /// The Message-ID it came from or was sent as ("" for notes and manual entries).
    pub message_key: String,
    /// For inbound messages: the Message-ID they answer ("" if unknown).
    pub in_reply_to: String,
    /// For inbound messages: the Message-IDs of their References header (server
    /// aliases already resolved to the id the user sent).
    pub references: Vec<String>,
    /// For `Reply`: "yes", "no", "later" or "other".
    pub intent: Option<Intent>,
    /// For a `Reply` with intent "later": the date they asked to hear from us again;
    /// for `NextContactAgreed`: the date the two agreed to talk again.
    pub later_until: Option<Date>,
    /// The reading it came from is unsure and the user has not confirmed it: the
    /// planner takes the cautious path (no nudge on an unsure request).
    pub unsure: bool,
    /// For the meeting kinds: the calendar UID.
    pub meeting_uid: Option<String>,
    pub meeting_start: Option<Timestamp>,
    pub meeting_end: Option<Timestamp>,
    /// For the meeting kinds: the meeting takes whole days.
    #[serde(default)]
    pub meeting_all_day: bool,
    /// For `AutoReply`: the return date it states.
    pub auto_reply_until: Option<Date>,
    /// For messages: when rapport first read it. A message from the contact that rapport
    /// had not read when a draft was made counts as written after the draft, whatever
    /// its `Date:` says.
    #[serde(default)]
    pub seen: Option<Timestamp>,
}

impl Event {
    /// An event of `kind` at `at` with every optional field empty.
    pub fn new(id: i64, at: Timestamp, kind: InteractionKind) -> Event {
        Event {
            id,
            at,
            kind,
            message_key: String::new(),
            in_reply_to: String::new(),
            references: Vec::new(),
            intent: None,
            later_until: None,
            unsure: false,
            meeting_uid: None,
            meeting_start: None,
            meeting_end: None,
            meeting_all_day: false,
            auto_reply_until: None,
            seen: None,
        }
    }

    /// The key that names this event in a reason key: its Message-ID, or its id when it
    /// has none.
    pub fn key(&self) -> String {
        if self.message_key.is_empty() {
            self.id.to_string()
        } else {
            self.message_key.clone()
        }
    }
}

/// A draft that already exists for the contact, in any status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingDraft {
    pub id: i64,
    pub kind: DraftKind,
    pub reason_key: String,
    pub status: DraftStatus,
    pub created_at: Timestamp,
    /// When it is due (after any snooze); the planner only ever moves this later.
    pub due: Timestamp,
}
