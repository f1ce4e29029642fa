//! Which contacts a message is about, and how each was found: the attribution that puts
//! a message on a contact's timeline.
//!
//! A message belongs to every contact it is about, not only to its From address:
//! - **From**: the sender is a contact (any of the contact's addresses);
//! - **Recipient**: the user's own mail, to every contact in To/Cc;
//! - **Tool**: a scheduling tool (Calendly, Cal.com, SavvyCal, Microsoft Bookings, Google
//!   appointment schedules, Zoom scheduler) wrote for the invitee, named in the
//!   iCalendar ATTENDEE list, in Reply-To or in the body;
//! - **Assistant**: someone else answered in the contact's thread (In-Reply-To or
//!   References name the user's message to the contact) with the contact in To/Cc;
//! - **OtherAddress**: the contact answered in their thread from an address rapport does
//!   not know, under the contact's own name.
//!
//! Pure: the message's facts and a [`Directory`] (who owns an address, to whom the user
//! wrote a message) in, the attributions out. It must never do I/O itself, read the clock,
//! or decide what a message says (the classifier does) or what to draft (the planner does).

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use serde::{Deserialize, Serialize};

use crate::core::classify::{Address, Label, Meeting};

mod parties;
mod referral;

pub(crate) use parties::parties_of;
pub use parties::{TOOLS, read_parties, tool_of};
pub use referral::{Referral, find_referral};

/// What attribution reads from a message beyond From/To/Cc, kept with the stored message
/// (JSON) so that a message can be attributed again without its body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Parties {
    /// Reply-To, lowercased, with display names.
    pub reply_to: Vec<Address>,
    /// The people in To and Cc with their display names (the user excluded).
    pub named: Vec<Address>,
    /// The scheduling tool that sent the message, by its sending domain or header.
    pub tool: Option<String>,
    /// The addresses a scheduling tool's message names in its body (the user and the
    /// tool's own excluded).
    pub body_addresses: Vec<String>,
}

/// How a message came to a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "kebab-case")]
pub enum Route {
    /// The contact's address is the sender.
    From { address: String },
    /// The user wrote to the contact.
    Recipient { address: String },
    /// A scheduling tool wrote for the contact (the invitee).
    Tool {
        tool: String,
        /// Where the invitee was named: "attendee", "reply-to" or "body".
        via: String,
        address: String,
    },
    /// Someone else answered in the contact's thread, with the contact in To/Cc.
    Assistant { address: String, name: String },
    /// The contact answered in their thread from an address rapport does not know.
    OtherAddress { address: String, name: String },
}

impl Route {
    /// The words shown on the timeline and by `why`, "" for the plain routes.
    pub fn describe(&self) -> String {
        match self {
            Route::From { .. } | Route::Recipient { .. } => String::new(),
            Route::Tool { tool, via, address } => {
                format!("booked through {tool} for {address} (named as {via})")
            }
            Route::Assistant { address, name } => {
                format!("answered by their assistant {}", person(name, address))
            }
            Route::OtherAddress { address, name } => {
                format!("answered from another address, {}", person(name, address))
            }
        }
    }

    /// The address that answered for the contact, when it is not one of theirs: the one
    /// the user may add to the contact or as a contact of its own.
    pub fn stand_in(&self) -> Option<(&str, &str)> {
        match self {
            Route::Assistant { address, name } | Route::OtherAddress { address, name } => {
                Some((address, name))
            }
            _ => None,
        }
    }
}

fn person(name: &str, address: &str) -> String {
    if name.trim().is_empty() {
        address.to_string()
    } else {
        format!("{} <{address}>", name.trim())
    }
}

/// One contact a message is about, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub contact: i64,
    pub route: Route,
}

/// A contact as attribution needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: i64,
    pub name: String,
    /// Lowercased.
    pub addresses: Vec<String>,
}

/// What attribution asks the store.
pub trait Directory {
    /// The contact that owns `address` (lowercased), if any.
    fn owner(&self, address: &str) -> Option<Known>;
    /// The contacts the user wrote to in the messages with these Message-IDs (the
    /// user's own mail, and what rapport sent).
    fn written_to(&self, message_ids: &[String]) -> Vec<Known>;
}

/// The facts of one message attribution reads.
#[derive(Debug, Clone)]
pub struct View<'a> {
    pub outbound: bool,
    pub label: Label,
    pub from_addr: &'a str,
    pub from_name: &'a str,
    /// To and Cc, lowercased.
    pub to_addrs: &'a [String],
    /// In-Reply-To and References, server aliases resolved.
    pub thread: &'a [String],
    pub meeting: Option<&'a Meeting>,
    pub parties: &'a Parties,
    /// The user's addresses, lowercased.
    pub user: &'a [String],
}

/// Every contact the message is about, each once, in a stable order (From first).
pub fn attribute(v: &View<'_>, dir: &dyn Directory) -> Vec<Found> {
    fn add(out: &mut Vec<Found>, k: Known, route: Route) {
        if !out.iter().any(|f| f.contact == k.id) {
            out.push(Found {
                contact: k.id,
                route,
            });
        }
    }
    let mut out: Vec<Found> = Vec::new();
    if v.outbound {
        for a in v.to_addrs {
            if let Some(k) = dir.owner(a) {
                add(&mut out, k, Route::Recipient { address: a.clone() });
            }
        }
        return out;
    }
    if let Some(k) = dir.owner(v.from_addr) {
        add(
            &mut out,
            k,
            Route::From {
                address: v.from_addr.to_string(),
            },
        );
    }
    if let Some(tool) = &v.parties.tool {
        for (via, address) in invitees(v) {
            if let Some(k) = dir.owner(&address) {
                let route = Route::Tool {
                    tool: tool.clone(),
                    via: via.to_string(),
                    address,
                };
                add(&mut out, k, route);
            }
        }
    }
    if answers_in_thread(v.label) && !v.thread.is_empty() {
        for k in dir.written_to(v.thread) {
            if let Some(route) = stand_in_route(v, &k) {
                add(&mut out, k, route);
            }
        }
    }
    out
}

/// Labels whose message can be someone answering for a contact (not machines).
fn answers_in_thread(label: Label) -> bool {
    !matches!(label, Label::Bounce | Label::AutoReply | Label::Bulk)
}

/// How a message in `k`'s thread from someone else answers for them, if it does.
fn stand_in_route(v: &View<'_>, k: &Known) -> Option<Route> {
    if v.user.iter().any(|u| u == v.from_addr) || k.addresses.iter().any(|a| a == v.from_addr) {
        return None;
    }
    let address = v.from_addr.to_string();
    let name = v.from_name.trim().to_string();
    if k.addresses.iter().any(|a| v.to_addrs.contains(a)) {
        return Some(Route::Assistant { address, name });
    }
    same_person(&name, &k.name).then_some(Route::OtherAddress { address, name })
}

/// Whether two display names are the same person's: equal once case, accents of
/// spacing and a "Last, First" order are set aside, with at least two words.
fn same_person(a: &str, b: &str) -> bool {
    fn words(s: &str) -> Vec<String> {
        let mut w: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        w.sort();
        w
    }
    let (a, b) = (words(a), words(b));
    a.len() >= 2 && a == b
}

/// The invitees a scheduling tool's message names: ATTENDEE and ORGANIZER, Reply-To, the
/// body. Never the user, never the tool's own addresses.
fn invitees(v: &View<'_>) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if let Some(m) = v.meeting {
        for (a, _) in &m.attendee_status {
            out.push(("attendee", a.clone()));
        }
        if let Some(o) = &m.organizer {
            out.push(("attendee", o.clone()));
        }
    }
    for a in &v.parties.reply_to {
        out.push(("reply-to", a.address.clone()));
    }
    for a in &v.parties.body_addresses {
        out.push(("body", a.clone()));
    }
    out.retain(|(_, a)| !v.user.contains(a) && tool_of(a, &[]).is_none());
    out
}

/// The command that adds a person a contact introduced: `rapport contacts add` with
/// their address and name, and how the user met them. Every value is quoted for a POSIX
/// shell, control characters dropped.
pub fn add_contact_command(name: &str, address: &str, introduced_by: &str) -> String {
    fn quote(s: &str) -> String {
        let clean: String = s.chars().filter(|c| !c.is_control()).collect();
        format!("'{}'", clean.trim().replace('\'', "'\\''"))
    }
    let mut cmd = format!("rapport contacts add {}", quote(address));
    if !name.trim().is_empty() {
        cmd.push_str(&format!(" --name {}", quote(name)));
    }
    cmd.push_str(&format!(
        " --met {}",
        quote(&format!("introduced by {}", introduced_by.trim()))
    ));
    // One command from the referral to the request (or `--intro-to CONTACT` for a
    // double opt-in introduction instead).
    cmd.push_str(" --request");
    cmd
}

#[cfg(test)]
mod tests;
