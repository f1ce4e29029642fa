//! Contacts from outside: reading LinkedIn, vCard and CSV exports ([`import`]) and
//! merging them into the store ([`merge`]) without doubling anyone.

pub mod import;
pub mod merge;
