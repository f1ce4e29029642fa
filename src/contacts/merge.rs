//! Merging imported records into the store: an existing contact is found by email
//! address, then by profile link, then by exact name (when exactly one contact has it).
//! A found contact only gains what it lacks (addresses, tags, empty fields); what the
//! user wrote is never overwritten. Importing the same file twice adds nothing.

use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use super::import::{ImportedContact, ParsedImport, Problem};
use crate::core::model::Tier;
use crate::store::{Contact, ContactPatch, NewContact, Store};

#[derive(Debug, Default, Serialize)]
pub struct MergeReport {
    /// `linkedin`, `vcard` or `csv`.
    pub format: String,
    pub added: usize,
    pub merged: usize,
    pub unchanged: usize,
    /// Contacts kept without an email address (they cannot be emailed yet).
    pub without_email: usize,
    pub skipped: Vec<Problem>,
    pub problems: Vec<Problem>,
    /// Ids of contacts added, so their mail history can be linked.
    pub added_ids: Vec<i64>,
}

fn find_existing(store: &Store, rec: &ImportedContact) -> Result<Option<Contact>> {
    for e in &rec.emails {
        if let Some(id) = store.contact_id_by_address(e)? {
            return store.contact(id);
        }
    }
    if let Some(link) = rec.link.as_deref().filter(|l| !l.is_empty())
        && let Some(id) = store.contact_ids_by_link(link)?.first()
    {
        return store.contact(*id);
    }
    if let Some(name) = rec.name.as_deref().filter(|n| !n.is_empty())
        && let [id] = store.contact_ids_by_name(name)?.as_slice()
    {
        return store.contact(*id);
    }
    Ok(None)
}

/// Merges parsed records into the store, one record at a time.
pub fn merge(store: &mut Store, parsed: &ParsedImport, now: Timestamp) -> Result<MergeReport> {
    let mut report = MergeReport {
        format: match parsed.format {
            super::import::Format::LinkedIn => "linkedin",
            super::import::Format::VCard => "vcard",
            super::import::Format::Csv => "csv",
        }
        .to_string(),
        problems: parsed.problems.clone(),
        ..MergeReport::default()
    };
    for rec in &parsed.contacts {
        let tier = match rec.tier.as_deref() {
            Some(t) if !t.trim().is_empty() => match t.trim().to_lowercase().parse::<Tier>() {
                Ok(t) => Some(t),
                Err(e) => {
                    report.problems.push(Problem {
                        line: rec.line,
                        message: format!("tier {e}; imported without a tier"),
                    });
                    None
                }
            },
            _ => None,
        };
        let clean = |s: &Option<String>| -> String {
            s.as_deref()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .to_string()
        };
        match find_existing(store, rec)? {
            Some(existing) => {
                let mut patch = ContactPatch::default();
                let mut changed = false;
                for e in &rec.emails {
                    match store.contact_id_by_address(e)? {
                        None => {
                            patch.add_emails.push(e.clone());
                            changed = true;
                        }
                        Some(owner) if owner != existing.id => report.problems.push(Problem {
                            line: rec.line,
                            message: format!("{e} already belongs to contact #{owner}; left there"),
                        }),
                        Some(_) => {}
                    }
                }
                let fill = |current: &str, new: String| -> Option<String> {
                    (current.is_empty() && !new.is_empty()).then_some(new)
                };
                patch.name = fill(&existing.name, clean(&rec.name));
                patch.company = fill(&existing.company, clean(&rec.company));
                patch.role = fill(&existing.role, clean(&rec.role));
                patch.link = fill(&existing.link, clean(&rec.link));
                changed |= patch.name.is_some()
                    || patch.company.is_some()
                    || patch.role.is_some()
                    || patch.link.is_some();
                for t in &rec.tags {
                    if !existing.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                        patch.add_tags.push(t.clone());
                        changed = true;
                    }
                }
                if changed {
                    store.update_contact(existing.id, &patch)?;
                    report.merged += 1;
                } else {
                    report.unchanged += 1;
                }
            }
            None => {
                let name = clean(&rec.name);
                if name.is_empty() && rec.emails.is_empty() {
                    report.skipped.push(Problem {
                        line: rec.line,
                        message: "no name and no email address".into(),
                    });
                    continue;
                }
                let new = NewContact {
                    name,
                    emails: rec.emails.clone(),
                    company: clean(&rec.company),
                    role: clean(&rec.role),
                    tier,
                    tags: rec.tags.clone(),
                    link: clean(&rec.link),
                    source: "import".into(),
                };
                match store.add_contact(&new, now) {
                    Ok(id) => {
                        report.added += 1;
                        report.added_ids.push(id);
                        if rec.emails.is_empty() {
                            report.without_email += 1;
                        }
                    }
                    Err(e) => report.skipped.push(Problem {
                        line: rec.line,
                        message: format!("{e:#}"),
                    }),
                }
            }
        }
    }
    report.problems.sort_by_key(|p| p.line);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::import::parse_import;

    fn now() -> Timestamp {
        "2026-11-22T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn twice_adds_nothing_and_merges_by_email_link_name() {
        let mut s = Store::open_in_memory().unwrap();
        let csv = b"Name,Email,Company,LinkedIn\nJessica Park,jessica@example.com,Example,https://www.linkedin.com/in/jpark\nOmar Haddad,,Acme,https://www.linkedin.com/in/omar\n";
        let parsed = parse_import(csv).unwrap();
        let r = merge(&mut s, &parsed, now()).unwrap();
        assert_eq!(
            (r.added, r.merged, r.unchanged, r.without_email),
            (2, 0, 0, 1)
        );
        let r = merge(&mut s, &parsed, now()).unwrap();
        assert_eq!((r.added, r.merged, r.unchanged), (0, 0, 2));

        // A later export gives Omar an email: found by link, address added.
        let csv2 = b"Name,Email,LinkedIn,Title\nOmar Haddad,omar@acme.example,https://www.linkedin.com/in/omar/,CTO\n";
        let r = merge(&mut s, &parse_import(csv2).unwrap(), now()).unwrap();
        assert_eq!((r.added, r.merged), (0, 1));
        let omar = s.find_contacts("omar@acme.example").unwrap();
        assert_eq!(omar.len(), 1);
        assert_eq!(omar[0].role, "CTO");
        assert_eq!(omar[0].company, "Acme", "existing values are kept");
        assert_eq!(s.contacts().unwrap().len(), 2);

        // By exact name when nothing else matches.
        let csv3 = b"Name,Company\njessica park,Other Co\n";
        let r = merge(&mut s, &parse_import(csv3).unwrap(), now()).unwrap();
        assert_eq!(
            (r.added, r.unchanged),
            (0, 1),
            "company already set: unchanged"
        );
    }

    #[test]
    fn linkedin_fixture_imports_with_counts() {
        let mut s = Store::open_in_memory().unwrap();
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/import/linkedin-connections.csv"
        ))
        .unwrap();
        let parsed = parse_import(&bytes).unwrap();
        let r = merge(&mut s, &parsed, now()).unwrap();
        assert!(r.added > 0);
        assert!(r.without_email > 0, "most LinkedIn rows have no email");
        assert_eq!(s.contacts().unwrap().len(), r.added);
        let again = merge(&mut s, &parsed, now()).unwrap();
        assert_eq!(again.added, 0);
        assert_eq!(again.merged, 0);
    }
}
