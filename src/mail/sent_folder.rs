//! Which folder holds the user's sent mail: `[imap] sent_folder`, else the folder the
//! server marks `\Sent` (RFC 6154), else the first folder named as the major providers
//! and mail clients name it in the common languages. Without it rapport reads only the
//! inbox and never sees the user's own requests, so the choice (and its absence) is
//! said in `doctor`, the first sync's log, `status` and the digest.
//!
//! One answer for every reader (sync's folder list, the Sent copy, the look before a
//! send, doctor): they must never disagree on which folder is Sent. Pure: no I/O.

use crate::config::Imap;
use crate::mail::imap::{Folder, Special};

/// The store's state key holding the last sync's choice (see [`state_value`]).
pub const STATE_KEY: &str = "imap_sent_folder";

/// The names tried, in order, when no folder is marked `\Sent` (compared without case,
/// as they are or under `INBOX.` / `INBOX/`, as Courier, Cyrus and older servers nest
/// every folder under the inbox).
pub const COMMON_NAMES: &[&str] = &[
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "[Gmail]/Sent Mail",
    "[Google Mail]/Sent Mail",
    "Gesendet",
    "Gesendete Elemente",
    "Gesendete Objekte",
    "Éléments envoyés",
    "Messages envoyés",
    "Envoyés",
    "Enviados",
    "Elementos enviados",
    "Itens enviados",
    "Posta inviata",
    "Inviati",
    "Verzonden items",
    "Verzonden",
    "Skickat",
    "Skickade objekt",
    "Sendt",
    "Sendte elementer",
    "Lähetetyt",
    "Wysłane",
    "Elementy wysłane",
    "Odeslané",
    "Odeslaná pošta",
    "Elküldött elemek",
    "Trimise",
    "Gönderilmiş Öğeler",
    "Gönderilenler",
    "Отправленные",
    "Надіслані",
    "Απεσταλμένα",
    "送信済み",
    "送信済みアイテム",
    "已发送",
    "已傳送",
    "보낸 편지함",
];

/// How the Sent folder was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `[imap] sent_folder`.
    Configured,
    /// The server marks it `\Sent`.
    Marked,
    /// No folder is marked; it has one of the [`COMMON_NAMES`].
    Named,
}

/// The folder holding sent mail and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFolder {
    /// The folder's name, as text (decoded from the wire form).
    pub name: String,
    /// How it was found.
    pub how: How,
}

impl SentFolder {
    /// For doctor and the log: `"Sent" (marked \Sent by the server)`.
    pub fn describe(&self) -> String {
        let how = match self.how {
            How::Configured => "[imap] sent_folder",
            How::Marked => "marked \\Sent by the server",
            How::Named => "no folder is marked \\Sent; chosen by its name",
        };
        format!(
            "\"{}\" ({how})",
            crate::mail::imap::escape_words(&self.name)
        )
    }
}

/// The Sent folder among `found` (see the module doc); `None` when there is none.
pub fn find(cfg: &Imap, found: &[Folder]) -> Option<SentFolder> {
    if let Some(name) = &cfg.sent_folder {
        return Some(SentFolder {
            name: name.clone(),
            how: How::Configured,
        });
    }
    let usable = || found.iter().filter(|f| f.selectable);
    if let Some(f) = usable().find(|f| f.special == Some(Special::Sent)) {
        return Some(SentFolder {
            name: f.name.clone(),
            how: How::Marked,
        });
    }
    for common in COMMON_NAMES {
        let common = common.to_lowercase();
        for prefix in ["", "inbox.", "inbox/"] {
            let wanted = format!("{prefix}{common}");
            if let Some(f) = usable().find(|f| f.name.to_lowercase() == wanted) {
                return Some(SentFolder {
                    name: f.name.clone(),
                    how: How::Named,
                });
            }
        }
    }
    None
}

/// What sync records under [`STATE_KEY`]: the folder's name, or empty when no Sent
/// folder is read.
pub fn state_value(sent: Option<&SentFolder>) -> String {
    sent.map(|s| s.name.clone()).unwrap_or_default()
}

/// The loud warning for `status`, the digest and the log when no Sent folder is read.
pub fn none_warning(host: &str) -> String {
    format!(
        "no Sent folder is read on {host}: rapport sees only what others send you, never your own requests, so it cannot follow them up; set [imap] sent_folder = \"NAME\" (`rapport doctor` lists the folders)"
    )
}

#[cfg(test)]
mod tests;
