//! The one write rapport makes to the mailbox: APPEND of an email it sent to the Sent
//! folder, flagged `\Seen` (DESIGN §7), plus the read-only search that comes before it
//! (is this Message-ID there already?). Everything else in [`super`] stays EXAMINE and
//! BODY.PEEK. This module must never append anything but the exact bytes rapport sent,
//! never to a folder other than the Sent one, and never SELECT, STORE or EXPUNGE.

use jiff::Timestamp;

use super::{ImapError, Result, Session, bounded};

impl Session {
    /// Whether `folder` holds a message with this Message-ID (given without angle
    /// brackets). Opens the folder read-only.
    pub async fn has_message_id(&mut self, folder: &str, message_id: &str) -> Result<bool> {
        let quoted = quote(&format!("<{message_id}>"))?;
        self.examine(folder).await?;
        let found = self.search(format!("HEADER Message-ID {quoted}")).await?;
        Ok(!found.is_empty())
    }

    /// Appends `message` to `folder`, flagged `\Seen`, dated `sent_at`.
    pub async fn append_seen(
        &mut self,
        folder: &str,
        message: &[u8],
        sent_at: Timestamp,
    ) -> Result<()> {
        let date = format!("\"{}\"", sent_at.strftime("%d-%b-%Y %H:%M:%S +0000"));
        let what = format!("saving a copy in {folder}");
        let append = self
            .inner
            .append(folder, Some("(\\Seen)"), Some(&date), message);
        bounded(self.timeout, &what, append).await
    }
}

/// An IMAP quoted string; text that cannot be one (line breaks, non-ASCII) is refused.
fn quote(text: &str) -> Result<String> {
    if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(ImapError::Config(format!(
            "the Message-ID {text:?} cannot be searched for over IMAP"
        )));
    }
    Ok(format!(
        "\"{}\"",
        text.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_escape_and_refuse_line_breaks() {
        assert_eq!(quote("<a@b>").ok().as_deref(), Some("\"<a@b>\""));
        assert_eq!(quote("a\"b\\c").ok().as_deref(), Some("\"a\\\"b\\\\c\""));
        assert!(quote("a\r\nb").is_err());
        assert!(quote("é").is_err());
    }
}
