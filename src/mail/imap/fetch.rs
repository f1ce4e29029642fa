//! EXAMINE, UID SEARCH and UID FETCH, each read to its tagged completion
//! ([`super::command`]), with every answer matched to what was asked: a FETCH for a UID
//! not asked (or asked and answered already) is ignored, a FETCH that carries message
//! data but no UID is an error, and a message whose asked-for data did not come is
//! simply missing from the result, for the caller to notice.
//!
//! Headers are fetched capped (`BODY.PEEK[HEADER]<0.N>`): a message without a blank
//! line after its header block has the whole message as its "header", and a capped
//! fetch keeps a 100 MB one from being read into memory. This module must never set
//! \Seen (BODY.PEEK only) and never return data for a UID it did not ask for.

use std::collections::{HashMap, HashSet};

use imap_proto::{AttributeValue as V, MailboxDatum, MessageSection, Response, SectionPath};
use jiff::Timestamp;

use super::command::{self, Heard, UNSOLICITED_MAX};
use super::{Fetched, FolderStatus, ImapError, Result, Session, uid_set};

/// At most this many bytes of a message's header block are fetched; a longer one (or
/// a message with no header/body separator, larger than this) is marked oversized.
pub const HEADER_CAP: u32 = 256 * 1024;

impl Session {
    /// Opens a folder read-only.
    pub async fn examine(&mut self, folder: &str) -> Result<FolderStatus> {
        let what = format!("opening {}", command::escape(folder));
        let cmd = format!("EXAMINE {}", mailbox_arg(folder)?);
        let mut st = FolderStatus {
            uidvalidity: 0,
            uidnext: 0,
            exists: 0,
        };
        let each = |r: &Response<'_>| {
            use imap_proto::ResponseCode as C;
            match r {
                Response::MailboxData(MailboxDatum::Exists(n)) => st.exists = *n,
                Response::Data {
                    code: Some(C::UidValidity(v)),
                    ..
                } => st.uidvalidity = *v,
                Response::Data {
                    code: Some(C::UidNext(n)),
                    ..
                } => st.uidnext = *n,
                _ => return Ok(Heard::Unsolicited),
            }
            Ok(Heard::Answer)
        };
        self.usable()?;
        let r = command::run(
            &mut self.inner,
            self.timeout,
            &cmd,
            &what,
            UNSOLICITED_MAX,
            each,
        )
        .await;
        self.note(r)?;
        Ok(st)
    }

    /// UID SEARCH, checked to its tagged OK; the UIDs ascending.
    pub(super) async fn search(&mut self, query: String) -> Result<Vec<u32>> {
        let mut uids = Vec::new();
        let cmd = format!("UID SEARCH {query}");
        let each = |r: &Response<'_>| match r {
            Response::MailboxData(MailboxDatum::Search(found)) => {
                uids.extend_from_slice(found);
                Ok(Heard::Answer)
            }
            _ => Ok(Heard::Unsolicited),
        };
        self.usable()?;
        let t = self.timeout;
        let r = command::run(&mut self.inner, t, &cmd, "searching", UNSOLICITED_MAX, each).await;
        self.note(r)?;
        uids.sort_unstable();
        uids.dedup();
        Ok(uids)
    }

    /// UIDs of messages with an internal date on or after `since`.
    pub async fn uids_since(&mut self, since: jiff::civil::Date) -> Result<Vec<u32>> {
        let date = since.strftime("%d-%b-%Y").to_string();
        self.search(format!("SINCE {date}")).await
    }

    /// UIDs at or above `from`.
    pub async fn uids_from(&mut self, from: u32) -> Result<Vec<u32>> {
        let mut uids = self.search(format!("UID {}:*", from.max(1))).await?;
        // `N:*` always matches the highest UID, even below N.
        uids.retain(|u| *u >= from);
        Ok(uids)
    }

    /// Runs a UID FETCH and hands each answer for an asked UID that carries what
    /// `complete` wants to `each`, once per UID. Every response must come within the
    /// timeout (a large batch may take longer as a whole).
    async fn fetch_each(
        &mut self,
        uids: &[u32],
        query: &str,
        what: &str,
        complete: impl Fn(&[V<'_>]) -> bool,
        mut each: impl FnMut(u32, &[V<'_>]),
    ) -> Result<()> {
        if uids.is_empty() {
            return Ok(());
        }
        let asked: HashSet<u32> = uids.iter().copied().collect();
        let mut answered: HashSet<u32> = HashSet::with_capacity(uids.len());
        let cmd = format!("UID FETCH {} {query}", uid_set(uids));
        let on = |r: &Response<'_>| {
            let Response::Fetch(_, attrs) = r else {
                return Ok(Heard::Unsolicited);
            };
            let uid = attrs.iter().find_map(|a| match a {
                V::Uid(u) => Some(*u),
                _ => None,
            });
            match uid {
                None if attrs.iter().any(carries_message_data) => {
                    Err(ImapError::Transient(format!(
                        "{what}: the server sent message data without its UID (an answer to UID FETCH must name its UID), so rapport cannot tell which message it is"
                    )))
                }
                Some(u) if asked.contains(&u) && complete(&attrs[..]) && answered.insert(u) => {
                    each(u, &attrs[..]);
                    Ok(Heard::Answer)
                }
                _ => Ok(Heard::Unsolicited),
            }
        };
        let allowance = UNSOLICITED_MAX.saturating_add(uids.len());
        self.usable()?;
        let r = command::run(&mut self.inner, self.timeout, &cmd, what, allowance, on).await;
        self.note(r)
    }

    /// Headers (at most [`HEADER_CAP`] bytes each), size and internal date of the given
    /// messages (never sets \Seen). A UID missing from the result was not answered.
    pub async fn fetch_headers(&mut self, uids: &[u32]) -> Result<Vec<Fetched>> {
        let mut out = Vec::with_capacity(uids.len());
        let query = format!("(UID RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER]<0.{HEADER_CAP}>)");
        let has_header = |attrs: &[V<'_>]| section(attrs, MessageSection::Header).is_some();
        self.fetch_each(
            uids,
            &query,
            "fetching headers",
            has_header,
            |uid, attrs| {
                let header = section(attrs, MessageSection::Header)
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                let oversized = header.len() >= HEADER_CAP as usize && !has_blank_line(&header);
                out.push(Fetched {
                    uid,
                    size: attrs
                        .iter()
                        .find_map(|a| match a {
                            V::Rfc822Size(s) => Some(*s),
                            _ => None,
                        })
                        .unwrap_or(0),
                    internal_date: attrs.iter().find_map(|a| match a {
                        V::InternalDate(d) => internal_date(d),
                        _ => None,
                    }),
                    header,
                    oversized,
                });
            },
        )
        .await?;
        Ok(out)
    }

    /// Whole messages (never sets \Seen).
    pub async fn fetch_bodies(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>> {
        let mut out = Vec::with_capacity(uids.len());
        let has_body = |attrs: &[V<'_>]| whole(attrs).is_some();
        self.fetch_each(
            uids,
            "(UID BODY.PEEK[])",
            "fetching messages",
            has_body,
            |uid, a| {
                out.push((uid, whole(a).map(<[u8]>::to_vec).unwrap_or_default()));
            },
        )
        .await?;
        Ok(out)
    }

    /// The first `cap` bytes of each message's text (everything after the header
    /// block), never setting \Seen. With the header fetched before, that is the message
    /// as the classifier reads it, without the tail of a large attachment. A UID missing
    /// from the result was not answered.
    pub async fn fetch_texts(&mut self, uids: &[u32], cap: u32) -> Result<Vec<(u32, Vec<u8>)>> {
        let mut out = Vec::with_capacity(uids.len());
        let query = format!("(UID BODY.PEEK[TEXT]<0.{cap}>)");
        let has_text = |attrs: &[V<'_>]| {
            attrs.iter().any(|a| {
                matches!(
                    a,
                    V::BodySection {
                        section: Some(SectionPath::Full(MessageSection::Text)),
                        ..
                    } | V::Rfc822Text(_)
                )
            })
        };
        self.fetch_each(uids, &query, "fetching messages", has_text, |uid, attrs| {
            let text = section(attrs, MessageSection::Text).map(<[u8]>::to_vec);
            out.push((uid, text.unwrap_or_default()));
        })
        .await?;
        Ok(out)
    }

    /// [`Session::fetch_texts`] without the content of large attachments: the
    /// BODYSTRUCTURE of each message first, then, for a message with a large part the
    /// classifier never reads, only its other parts and every part's MIME header
    /// ([`super::parts`]), put back together into the same text with that content left
    /// empty. A message whose structure cannot be read or followed, or that has nothing
    /// to leave out, is fetched as before.
    pub async fn fetch_texts_lean(
        &mut self,
        uids: &[u32],
        cap: u32,
    ) -> Result<Vec<(u32, Vec<u8>)>> {
        if self.texts.whole {
            return self.fetch_texts(uids, cap).await;
        }
        let plans = match self.fetch_structures(uids).await {
            Ok(p) => p,
            // Refused (a server that cannot give it): the connection is still good.
            Err(ImapError::Refused(_)) => HashMap::new(),
            Err(e) => {
                self.texts.structures_broke = true;
                return Err(e);
            }
        };
        let mut shapes: HashMap<Vec<String>, Vec<u32>> = HashMap::new();
        for (uid, plan) in &plans {
            shapes.entry(plan.items(cap)).or_default().push(*uid);
        }
        let mut out = Vec::with_capacity(uids.len());
        let mut done: HashSet<u32> = HashSet::with_capacity(plans.len());
        for (items, mut group) in shapes {
            group.sort_unstable();
            for (uid, sections) in self.fetch_sections(&group, &items).await? {
                if let Some(text) = plans.get(&uid).and_then(|p| p.rebuild(&sections)) {
                    done.insert(uid);
                    out.push((uid, text));
                }
            }
        }
        let rest: Vec<u32> = uids.iter().copied().filter(|u| !done.contains(u)).collect();
        out.extend(self.fetch_texts(&rest, cap).await?);
        Ok(out)
    }

    /// The plans of the messages whose structure has a part worth leaving out.
    async fn fetch_structures(&mut self, uids: &[u32]) -> Result<HashMap<u32, super::parts::Plan>> {
        let mut out = HashMap::new();
        let has = |attrs: &[V<'_>]| attrs.iter().any(|a| matches!(a, V::BodyStructure(_)));
        self.fetch_each(
            uids,
            "(UID BODYSTRUCTURE)",
            "fetching message structures",
            has,
            |uid, attrs| {
                let plan = attrs.iter().find_map(|a| match a {
                    V::BodyStructure(bs) => super::parts::plan(bs),
                    _ => None,
                });
                if let Some(plan) = plan {
                    out.insert(uid, plan);
                }
            },
        )
        .await?;
        Ok(out)
    }

    /// The part sections `items` of each message, keyed as [`super::parts::section_key`]
    /// names them.
    async fn fetch_sections(
        &mut self,
        uids: &[u32],
        items: &[String],
    ) -> Result<Vec<(u32, HashMap<String, Vec<u8>>)>> {
        let mut out = Vec::with_capacity(uids.len());
        let query = format!("(UID {})", items.join(" "));
        let has = |attrs: &[V<'_>]| attrs.iter().any(|a| matches!(a, V::BodySection { .. }));
        self.fetch_each(uids, &query, "fetching message parts", has, |uid, attrs| {
            let sections = attrs
                .iter()
                .filter_map(|a| match a {
                    V::BodySection {
                        section: Some(s),
                        data,
                        ..
                    } => Some((
                        super::parts::section_key(s)?,
                        data.as_deref().unwrap_or_default().to_vec(),
                    )),
                    _ => None,
                })
                .collect();
            out.push((uid, sections));
        })
        .await?;
        Ok(out)
    }
}

/// Whether a FETCH item is message data (not a flag change a server may send on its own).
fn carries_message_data(a: &V<'_>) -> bool {
    !matches!(
        a,
        V::Flags(_) | V::ModSeq(_) | V::GmailLabels(_) | V::GmailMsgId(_) | V::GmailThrId(_)
    )
}

/// The data of a `BODY[HEADER]` or `BODY[TEXT]` item (partial or not).
fn section<'a>(attrs: &'a [V<'_>], want: MessageSection) -> Option<&'a [u8]> {
    attrs.iter().find_map(|a| match a {
        V::BodySection {
            section: Some(SectionPath::Full(s)),
            data,
            ..
        } if *s == want => Some(data.as_deref().unwrap_or_default()),
        V::Rfc822Header(d) if want == MessageSection::Header => {
            Some(d.as_deref().unwrap_or_default())
        }
        V::Rfc822Text(d) if want == MessageSection::Text => Some(d.as_deref().unwrap_or_default()),
        _ => None,
    })
}

/// The data of a `BODY[]` item.
fn whole<'a>(attrs: &'a [V<'_>]) -> Option<&'a [u8]> {
    attrs.iter().find_map(|a| match a {
        V::BodySection {
            section: None,
            data: Some(d),
            ..
        }
        | V::Rfc822(Some(d)) => Some(d.as_ref()),
        _ => None,
    })
}

fn has_blank_line(header: &[u8]) -> bool {
    header.windows(4).any(|w| w == b"\r\n\r\n") || header.windows(2).any(|w| w == b"\n\n")
}

/// An INTERNALDATE (`" 7-Dec-2026 10:00:00 +0000"`).
fn internal_date(d: &str) -> Option<Timestamp> {
    let d = d.trim();
    let padded;
    let d = if d.find('-') == Some(1) {
        padded = format!("0{d}");
        padded.as_str()
    } else {
        d
    };
    jiff::fmt::strtime::parse("%d-%b-%Y %H:%M:%S %z", d)
        .ok()?
        .to_timestamp()
        .ok()
}

/// A folder name as an IMAP quoted string, in modified UTF-7 ([`super::mutf7`]); names
/// with control characters are refused.
pub(super) fn mailbox_arg(name: &str) -> Result<String> {
    if name.chars().any(char::is_control) {
        return Err(ImapError::Config(format!(
            "the folder name \"{}\" holds control characters and cannot be opened over IMAP; rename it",
            command::escape(name)
        )));
    }
    let wire = super::mutf7::encode(name);
    Ok(format!(
        "\"{}\"",
        wire.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

#[cfg(test)]
mod tests;
