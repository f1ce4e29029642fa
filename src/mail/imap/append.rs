//! The one write rapport makes to the mailbox: APPEND of an email it sent to the Sent
//! folder, flagged `\Seen` (DESIGN §7), plus the read-only search that comes before it
//! (is this Message-ID there already?). Everything else in [`super`] stays EXAMINE and
//! BODY.PEEK. The folder searched is left (UNSELECT, or EXAMINE elsewhere) before the
//! APPEND: a server may refuse an APPEND to the folder the session holds read-only.
//! This module must never append anything but the exact bytes rapport sent, never to a
//! folder other than the Sent one, and never SELECT, STORE or EXPUNGE.

use std::time::Duration;

use imap_proto::{Response, Status};
use jiff::Timestamp;
use tokio::io::AsyncWriteExt as _;

use super::command::{self, Heard, UNSOLICITED_MAX};
use super::fetch::mailbox_arg;
use super::{ImapError, Result, Session};

impl Session {
    /// Whether `folder` holds a message with this Message-ID (given without angle
    /// brackets). Opens the folder read-only.
    pub async fn has_message_id(&mut self, folder: &str, message_id: &str) -> Result<bool> {
        let quoted = quote(&format!("<{message_id}>"))?;
        self.examine(folder).await?;
        let found = self.search(format!("HEADER Message-ID {quoted}")).await?;
        Ok(!found.is_empty())
    }

    /// Leaves whatever folder is open (read-only), so that an APPEND never targets the
    /// folder the session holds read-only (Courier refuses that): UNSELECT where the
    /// server offers it, else EXAMINE of another folder, else CLOSE (which expunges
    /// nothing in a folder opened with EXAMINE).
    async fn leave_folder(&mut self, target: &str) -> Result<()> {
        let t = self.timeout;
        let what = "leaving the open folder before saving a copy";
        if self.unselect_supported {
            let none = |_: &Response<'_>| Ok(Heard::Unsolicited);
            return command::run(&mut self.inner, t, "UNSELECT", what, UNSOLICITED_MAX, none).await;
        }
        if !target.eq_ignore_ascii_case("INBOX") {
            return self.examine("INBOX").await.map(|_| ());
        }
        let none = |_: &Response<'_>| Ok(Heard::Unsolicited);
        command::run(&mut self.inner, t, "CLOSE", what, UNSOLICITED_MAX, none).await
    }

    /// Appends `message` to `folder`, flagged `\Seen`, dated `sent_at`, with no folder
    /// open. A refusal comes back as [`ImapError::Refused`] in the server's words.
    pub async fn append_seen(
        &mut self,
        folder: &str,
        message: &[u8],
        sent_at: Timestamp,
    ) -> Result<()> {
        self.usable()?;
        let appended = self.append_unchecked(folder, message, sent_at).await;
        self.note(appended)
    }

    async fn append_unchecked(
        &mut self,
        folder: &str,
        message: &[u8],
        sent_at: Timestamp,
    ) -> Result<()> {
        self.leave_folder(folder).await?;
        let date = format!("\"{}\"", sent_at.strftime("%d-%b-%Y %H:%M:%S +0000"));
        let what = format!("saving a copy in {}", command::escape(folder));
        let cmd = format!(
            "APPEND {} (\\Seen) {date} {{{}}}",
            mailbox_arg(folder)?,
            message.len()
        );
        let t = self.timeout;
        let tag = command::send(&mut self.inner, t, &cmd, &what).await?;
        self.await_continuation(&tag, &what).await?;
        let stream = self.inner.get_mut();
        let write = async {
            stream.write_all(message).await?;
            stream.write_all(b"\r\n").await?;
            stream.flush().await
        };
        // The message may be large: the bound is generous, but there is one.
        let limit = t.saturating_mul(4).max(Duration::from_secs(30));
        match tokio::time::timeout(limit, write).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(ImapError::Transient(format!(
                    "{what}: {}",
                    command::io_words(&e)
                )));
            }
            Err(_) => {
                return Err(ImapError::Transient(format!(
                    "{what}: the server took more than {}s to take the message",
                    limit.as_secs()
                )));
            }
        }
        let none = |_: &Response<'_>| Ok(Heard::Unsolicited);
        command::finish(&mut self.inner, t, &tag, &what, UNSOLICITED_MAX, none).await
    }

    /// Waits for the server's go-ahead (`+`) for APPEND's literal; its NO or BAD instead
    /// is the refusal, in its words.
    async fn await_continuation(&mut self, tag: &imap_proto::RequestId, what: &str) -> Result<()> {
        for _ in 0..UNSOLICITED_MAX {
            let step = command::next(&mut self.inner, self.timeout, what, |r| match r {
                Response::Continue { .. } => Some(Ok(())),
                Response::Done {
                    tag: t,
                    status,
                    code,
                    information,
                } if t == tag => Some(
                    command::completion(status, code.as_ref(), information.as_deref(), what)
                        .and_then(|()| {
                            Err(ImapError::Transient(format!(
                                "{what}: the server answered OK before it was sent the message"
                            )))
                        }),
                ),
                Response::Data {
                    status: Status::Bye,
                    ..
                } => Some(Err(ImapError::Transient(format!(
                    "{what}: the server closed the connection"
                )))),
                _ => None,
            })
            .await?;
            if let Some(done) = step {
                return done;
            }
        }
        Err(ImapError::Transient(format!(
            "{what}: the server never asked for the message"
        )))
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
mod tests;
