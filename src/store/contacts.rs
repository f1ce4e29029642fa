//! Contacts and their addresses and tags.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, fmt_ts};
use crate::core::model::Tier;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContactEmail {
    pub address: String,
    pub bounced_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub emails: Vec<ContactEmail>,
    pub company: String,
    pub role: String,
    pub tier: Tier,
    pub tags: Vec<String>,
    pub link: String,
    pub do_not_contact: bool,
    pub source: String,
    pub created_at: String,
}

impl Contact {
    /// The address to write to: the first one that has not bounced.
    pub fn sendable_address(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.bounced_at.is_none())
            .map(|e| e.address.as_str())
    }

    /// The name to show: the name, else the first address, else `#id`.
    pub fn display_name(&self) -> String {
        if !self.name.is_empty() {
            self.name.clone()
        } else if let Some(e) = self.emails.first() {
            e.address.clone()
        } else {
            format!("#{}", self.id)
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub name: String,
    pub emails: Vec<String>,
    pub company: String,
    pub role: String,
    pub tier: Option<Tier>,
    pub tags: Vec<String>,
    pub link: String,
    pub source: String,
}

/// One line of `contacts list`: the first address only.
#[derive(Debug, Clone)]
pub struct ContactLine {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub company: String,
    pub tier: Tier,
    pub do_not_contact: bool,
}

/// Changes to a contact; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub tier: Option<Tier>,
    pub link: Option<String>,
    pub do_not_contact: Option<bool>,
    pub add_emails: Vec<String>,
    pub remove_emails: Vec<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}

impl Store {
    /// Adds a contact. Fails, naming the owner, when an address already belongs to
    /// another contact.
    pub fn add_contact(&mut self, c: &NewContact, now: Timestamp) -> Result<i64> {
        let tx = self.conn.savepoint()?;
        let source = if c.source.is_empty() {
            "manual"
        } else {
            c.source.as_str()
        };
        tx.execute(
            "INSERT INTO contacts (name, company, role, tier, link, source, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.name,
                c.company,
                c.role,
                c.tier.unwrap_or(Tier::Regular).as_str(),
                c.link,
                source,
                fmt_ts(now)
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (pos, addr) in c.emails.iter().enumerate() {
            insert_email(&tx, id, addr, pos as i64)?;
        }
        for tag in &c.tags {
            tx.execute(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)",
                params![id, tag],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// The contact owning `address` (case-insensitive).
    pub fn contact_id_by_address(&self, address: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT contact_id FROM contact_emails WHERE address = ?1",
                [address.trim().to_lowercase()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Contacts whose profile link is `link`, ignoring ASCII case and trailing slashes.
    pub fn contact_ids_by_link(&self, link: &str) -> Result<Vec<i64>> {
        let norm = link.trim().trim_end_matches('/').to_ascii_lowercase();
        if norm.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM contacts WHERE link != '' AND lower(rtrim(trim(link), '/')) = ?1 ORDER BY id",
            )?
            .query_map([norm], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// Contacts named exactly `name`, ignoring ASCII case.
    pub fn contact_ids_by_name(&self, name: &str) -> Result<Vec<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM contacts WHERE name = ?1 COLLATE NOCASE ORDER BY id")?
            .query_map([name.trim()], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    pub fn contact(&self, id: i64) -> Result<Option<Contact>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, name, company, role, tier, link, do_not_contact, source, created_at
                 FROM contacts WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, bool>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, name, company, role, tier, link, dnc, source, created_at)) = row else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT address, bounced_at FROM contact_emails WHERE contact_id = ?1 ORDER BY position, address",
        )?;
        let emails = stmt
            .query_map([id], |r| {
                Ok(ContactEmail {
                    address: r.get(0)?,
                    bounced_at: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag")?;
        let tags = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(Some(Contact {
            id,
            name,
            emails,
            company,
            role,
            tier: tier.parse().unwrap_or(Tier::Regular),
            tags,
            link,
            do_not_contact: dnc,
            source,
            created_at,
        }))
    }

    /// Every contact, by name. Three reads for the whole book, not three per contact:
    /// `contacts list` and every planning turn read all of them.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let mut emails: std::collections::HashMap<i64, Vec<ContactEmail>> = Default::default();
        let mut stmt = self.conn.prepare(
            "SELECT contact_id, address, bounced_at FROM contact_emails
             ORDER BY contact_id, position, address",
        )?;
        let rows = stmt.query_map([], |r| {
            let e = ContactEmail {
                address: r.get(1)?,
                bounced_at: r.get(2)?,
            };
            Ok((r.get::<_, i64>(0)?, e))
        })?;
        for row in rows {
            let (id, e) = row?;
            emails.entry(id).or_default().push(e);
        }
        let mut tags: std::collections::HashMap<i64, Vec<String>> = Default::default();
        let mut stmt = self
            .conn
            .prepare("SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, t) = row?;
            tags.entry(id).or_default().push(t);
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, name, company, role, tier, link, do_not_contact, source, created_at
             FROM contacts ORDER BY lower(name), id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Contact {
                id: r.get(0)?,
                name: r.get(1)?,
                emails: Vec::new(),
                company: r.get(2)?,
                role: r.get(3)?,
                tier: r.get::<_, String>(4)?.parse().unwrap_or(Tier::Regular),
                tags: Vec::new(),
                link: r.get(5)?,
                do_not_contact: r.get(6)?,
                source: r.get(7)?,
                created_at: r.get(8)?,
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let mut c = row?;
            c.emails = emails.remove(&c.id).unwrap_or_default();
            c.tags = tags.remove(&c.id).unwrap_or_default();
            out.push(c);
        }
        Ok(out)
    }

    /// The contact listing, one row at a time in name order, without loading every
    /// contact's addresses and tags first (10,000 contacts in a few milliseconds).
    pub fn each_contact_line(&self, mut f: impl FnMut(ContactLine) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name,
                    (SELECT address FROM contact_emails e WHERE e.contact_id = c.id
                     ORDER BY position, address LIMIT 1),
                    c.company, c.tier, c.do_not_contact
             FROM contacts c ORDER BY lower(c.name), c.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(ContactLine {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                company: r.get(3)?,
                tier: r.get::<_, String>(4)?.parse().unwrap_or(Tier::Regular),
                do_not_contact: r.get(5)?,
            })?;
        }
        Ok(())
    }

    /// Contacts matching CONTACT as the CLI takes it: an id, an address, or a name
    /// fragment, with case and accents folded in every script (see [`fold`]). Exact
    /// address or id matches win outright.
    pub fn find_contacts(&self, query: &str) -> Result<Vec<Contact>> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        if let Ok(id) = q.trim_start_matches('#').parse::<i64>()
            && let Some(c) = self.contact(id)?
        {
            return Ok(vec![c]);
        }
        if let Some(id) = self.contact_id_by_address(q)? {
            return Ok(self.contact(id)?.into_iter().collect());
        }
        let want = fold(q);
        let mut ids: Vec<i64> = Vec::new();
        let mut names = self.conn.prepare(
            "SELECT c.id, c.name, coalesce(group_concat(e.address, ' '), '')
             FROM contacts c LEFT JOIN contact_emails e ON e.contact_id = c.id
             GROUP BY c.id ORDER BY c.id",
        )?;
        let rows = names.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut exact_ids = Vec::new();
        for row in rows {
            let (id, name, addresses) = row?;
            let name = fold(&name);
            if name == want {
                exact_ids.push(id);
            }
            if name.contains(&want) || fold(&addresses).contains(&want) {
                ids.push(id);
            }
        }
        // A name that matches one contact exactly beats fragments of others.
        if exact_ids.len() == 1 {
            ids = exact_ids;
        }
        let mut out = Vec::new();
        for id in ids {
            if let Some(c) = self.contact(id)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Applies a patch in one transaction.
    pub fn update_contact(&mut self, id: i64, p: &ContactPatch) -> Result<()> {
        // It reads before it writes: on its own it takes the write lock first (waiting
        // for another writer), or SQLite refuses a read that turns into a write after
        // another process wrote ("database is locked") without waiting.
        if self.conn.is_autocommit() {
            return self.in_transaction(|s| s.update_contact(id, p));
        }
        let tx = self.conn.savepoint()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !exists {
            bail!("no contact #{id}");
        }
        let set = |col: &str, v: &dyn rusqlite::ToSql| -> Result<()> {
            tx.execute(
                &format!("UPDATE contacts SET {col} = ?1 WHERE id = ?2"),
                params![v, id],
            )?;
            Ok(())
        };
        if let Some(v) = &p.name {
            set("name", v)?;
        }
        if let Some(v) = &p.company {
            set("company", v)?;
        }
        if let Some(v) = &p.role {
            set("role", v)?;
        }
        if let Some(v) = p.tier {
            set("tier", &v.as_str())?;
        }
        if let Some(v) = &p.link {
            set("link", v)?;
        }
        if let Some(v) = p.do_not_contact {
            set("do_not_contact", &v)?;
        }
        for addr in &p.remove_emails {
            tx.execute(
                "DELETE FROM contact_emails WHERE contact_id = ?1 AND address = ?2",
                params![id, addr.trim().to_lowercase()],
            )?;
        }
        let next: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM contact_emails WHERE contact_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        for (i, addr) in p.add_emails.iter().enumerate() {
            insert_email(&tx, id, addr, next + i as i64)?;
        }
        for tag in &p.remove_tags {
            tx.execute(
                "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2",
                params![id, tag],
            )?;
        }
        for tag in &p.add_tags {
            tx.execute(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)",
                params![id, tag],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a contact with its timeline and drafts. Refuses while a draft to them is
    /// being sent.
    pub fn remove_contact(&mut self, id: i64) -> Result<()> {
        // One write transaction from the start: no send can claim a draft to them between
        // the check and the delete (a claimed draft would go to a removed contact).
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let sending: i64 = tx.query_row(
            "SELECT COUNT(*) FROM drafts WHERE contact_id = ?1 AND status IN ('sending', 'unknown')",
            [id],
            |r| r.get(0),
        )?;
        if sending > 0 {
            bail!(
                "a draft to this contact is being sent or in an unknown state; resolve it in `rapport queue` first"
            );
        }
        let n = tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        if n == 0 {
            bail!("no contact #{id}");
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks an address as bounced (a hard bounce named it).
    pub fn mark_bounced(&self, address: &str, at: Timestamp) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE contact_emails SET bounced_at = ?1 WHERE address = ?2 AND bounced_at IS NULL",
            params![fmt_ts(at), address.trim().to_lowercase()],
        )?;
        Ok(n > 0)
    }
}

fn insert_email(tx: &rusqlite::Connection, id: i64, addr: &str, pos: i64) -> Result<()> {
    let addr = addr.trim().to_lowercase();
    if !crate::core::address::is_email(&addr) {
        bail!("{addr:?} is not an email address");
    }
    let owner: Option<i64> = tx
        .query_row(
            "SELECT contact_id FROM contact_emails WHERE address = ?1",
            [&addr],
            |r| r.get(0),
        )
        .optional()?;
    match owner {
        Some(o) if o == id => Ok(()),
        Some(o) => bail!("{addr} already belongs to contact #{o}"),
        None => {
            tx.execute(
                "INSERT INTO contact_emails (address, contact_id, position) VALUES (?1, ?2, ?3)",
                params![addr, id, pos],
            )
            .context("Saving an address")?;
            Ok(())
        }
    }
}

/// Folds a name for matching: "Zoë Ångström-Müller", "zoe angstrom" and "ZOË" compare
/// equal in the parts they share, as do Łukasz/Lukasz and Ørsted/Orsted. Transliteration
/// comes from `deunicode` (letters like Ø and Ł have no decomposition, so Unicode
/// normalisation alone would miss them); scripts it cannot transliterate keep their
/// lower-cased letters.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match deunicode::deunicode_char(c) {
            Some(t) if !t.is_empty() && t.chars().all(|t| t.is_ascii_alphanumeric()) => {
                out.extend(t.chars().map(|t| t.to_ascii_lowercase()));
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests;
