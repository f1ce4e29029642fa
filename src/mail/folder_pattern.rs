//! `[imap] folders` entries that are patterns (`"Clients/*"`, `"Projects/%"`), expanded
//! against the folders the server lists, so replies that the user's server-side rules
//! file away from the INBOX are read (and seen by stop-on-reply) without naming each
//! folder. `*` matches any run of characters, sub-folders included; `%` any run within
//! one level (it never crosses `/` or `.`, the delimiters servers use); every other
//! character matches itself (IMAP names are case-sensitive, except INBOX).
//!
//! An entry without `*` or `%` is a folder name, kept as written even when the server
//! does not list it (the sync then says the folder is missing). Expansion must never
//! pick a folder that cannot be selected, nor the same folder twice.

use crate::mail::imap::Folder;

/// Whether `entry` is a pattern rather than a folder name.
pub fn is_pattern(entry: &str) -> bool {
    entry.contains(['*', '%'])
}

/// Whether folder `name` matches `pattern`.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // `at[j]`: the pattern's first `i` characters can match the name's first `j`.
    let mut at = vec![false; n.len() + 1];
    at[0] = true;
    for &c in &p {
        let mut next = vec![false; n.len() + 1];
        for j in 0..=n.len() {
            let prev = at[j];
            next[j] = match c {
                '*' => prev || (j > 0 && next[j - 1]),
                '%' => prev || (j > 0 && next[j - 1] && !matches!(n.get(j - 1), Some('/' | '.'))),
                _ => j > 0 && at[j - 1] && n.get(j - 1) == Some(&c),
            };
        }
        at = next;
    }
    at[n.len()]
}

/// The configured entries with every pattern replaced by the selectable folders it
/// matches, in the server's order; a name or match already chosen is not repeated. A
/// pattern that matches nothing is logged (a typo, or the folders do not exist yet).
pub fn expand(entries: &[String], found: &[Folder]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in entries {
        if !is_pattern(entry) {
            if !out.contains(entry) {
                out.push(entry.clone());
            }
            continue;
        }
        let mut any = false;
        for f in found
            .iter()
            .filter(|f| f.selectable && matches(entry, &f.name))
        {
            any = true;
            if !out.contains(&f.name) {
                out.push(f.name.clone());
            }
        }
        if !any {
            tracing::warn!(
                pattern = %crate::mail::imap::escape_words(entry),
                "no folder on the server matches this [imap] folders pattern; `rapport doctor` lists the folders there are"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
