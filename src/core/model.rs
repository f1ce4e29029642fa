//! The domain vocabulary shared by the core and the edges: tiers, draft kinds and
//! states, interaction kinds, message directions. Plain data with stable string names (they are stored in
//! SQLite and printed in `--json` output, so renaming one is a migration).
//!
//! Nothing here does I/O or reads the clock.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        format!("{s:?} is not one of: {}", names.join(", "))
                    })
            }
        }
    };
}

string_enum! {
    /// How close a relationship is; sets the check-in cadence.
    Tier {
        Close => "close",
        Regular => "regular",
        Acquaintance => "acquaintance",
    }
}

string_enum! {
    /// What a draft is for; also the name of the template that renders it.
    DraftKind {
        MeetingRequest => "meeting-request",
        Nudge => "nudge",
        ThankYou => "thank-you",
        CheckIn => "check-in",
        IntroAsk => "intro-ask",
        Intro => "intro",
        IntroDeclined => "intro-declined",
        Share => "share",
    }
}

string_enum! {
    /// Where a draft stands. Only `approved` drafts are ever sent.
    DraftStatus {
        Pending => "pending",
        Approved => "approved",
        Sending => "sending",
        Sent => "sent",
        Rejected => "rejected",
        Snoozed => "snoozed",
        Superseded => "superseded",
        Failed => "failed",
        Unknown => "unknown",
    }
}

impl DraftStatus {
    /// States in which a draft may still go out (after approval) or be acted on.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            DraftStatus::Pending | DraftStatus::Approved | DraftStatus::Snoozed
        )
    }
}

string_enum! {
    /// Which way a message went: from the user (`out`) or to them (`in`).
    Direction {
        In => "in",
        Out => "out",
    }
}

string_enum! {
    /// A dated event on a contact's timeline.
    InteractionKind {
        RequestSent => "request-sent",
        RequestReceived => "request-received",
        Reply => "reply",
        MeetingScheduled => "meeting-scheduled",
        MeetingMoved => "meeting-moved",
        MeetingCancelled => "meeting-cancelled",
        MeetingDeclined => "meeting-declined",
        ThankYouSent => "thank-you-sent",
        ThankYouReceived => "thank-you-received",
        NudgeSent => "nudge-sent",
        CheckInSent => "check-in-sent",
        EmailSent => "email-sent",
        EmailReceived => "email-received",
        Note => "note",
        AutoReply => "auto-reply",
        Bounce => "bounce",
        NextContactAgreed => "next-contact-agreed",
        IntroAskSent => "intro-ask-sent",
        IntroSent => "intro-sent",
        IntroDeclinedSent => "intro-declined-sent",
        IntroStep => "intro-step",
        ShareSent => "share-sent",
    }
}

impl InteractionKind {
    /// The interaction recorded when rapport sends a draft of this kind.
    pub fn for_sent_draft(kind: DraftKind) -> InteractionKind {
        match kind {
            DraftKind::MeetingRequest => InteractionKind::RequestSent,
            DraftKind::Nudge => InteractionKind::NudgeSent,
            DraftKind::ThankYou => InteractionKind::ThankYouSent,
            DraftKind::CheckIn => InteractionKind::CheckInSent,
            DraftKind::IntroAsk => InteractionKind::IntroAskSent,
            DraftKind::Intro => InteractionKind::IntroSent,
            DraftKind::IntroDeclined => InteractionKind::IntroDeclinedSent,
            DraftKind::Share => InteractionKind::ShareSent,
        }
    }
}

string_enum! {
    /// Where a double opt-in introduction stands (`rapport intros`). The first four and
    /// `introducing` are open; the rest are closed for good.
    IntroStage {
        AskingA => "asking-a",
        WaitingA => "waiting-a",
        AskingB => "asking-b",
        WaitingB => "waiting-b",
        Introducing => "introducing",
        Introduced => "introduced",
        DeclinedByA => "declined-by-a",
        DeclinedByB => "declined-by-b",
        NoAnswer => "no-answer",
        Withdrawn => "withdrawn",
    }
}

impl IntroStage {
    /// Whether the intro still waits for something (an approval, an answer, a send).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            IntroStage::AskingA
                | IntroStage::WaitingA
                | IntroStage::AskingB
                | IntroStage::WaitingB
                | IntroStage::Introducing
        )
    }
}

string_enum! {
    /// One email of an introduction: the ask to each side, the one reminder to each,
    /// the introduction itself, and the "not this time" note to A when B says no.
    IntroStep {
        AskA => "ask-a",
        NudgeA => "nudge-a",
        AskB => "ask-b",
        NudgeB => "nudge-b",
        Introduce => "introduce",
        DeclinedNote => "declined-note",
    }
}

impl IntroStep {
    /// The kind of draft this step is.
    pub fn draft_kind(self) -> DraftKind {
        match self {
            IntroStep::AskA | IntroStep::NudgeA | IntroStep::AskB | IntroStep::NudgeB => {
                DraftKind::IntroAsk
            }
            IntroStep::Introduce => DraftKind::Intro,
            IntroStep::DeclinedNote => DraftKind::IntroDeclined,
        }
    }

    /// Whether the email goes to B (the asks and reminder to B); every other step goes
    /// to A (the introduction to A, with B beside A on the same email).
    pub fn to_b(self) -> bool {
        matches!(self, IntroStep::AskB | IntroStep::NudgeB)
    }
}

#[cfg(test)]
mod tests;
