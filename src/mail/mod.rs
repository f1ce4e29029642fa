//! Mail sources: the IMAP account and a local Maildir, both feeding the same sync
//! pipeline (parse → classify → store → timeline).

pub mod account;
pub mod folder_pattern;
pub mod imap;
pub mod maildir;
pub mod sent_copy;
pub mod sent_folder;
pub mod sync;
pub mod timeline;
