-- When a message reached the mailbox, and who it is about besides its From.
--
-- `arrived_at` is the server's word for when the message arrived (IMAP INTERNALDATE, a
-- Maildir file's delivery time), RFC 3339 UTC; NULL when the server gave none. Together
-- with `seen_at` (when rapport first read it) it orders mail by arrival: a message
-- whose `Date:` says it was written before a draft, but that rapport had not seen when
-- the draft was made, still withdraws that draft.
--
-- `parties` is what attribution reads beyond From/To/Cc (JSON, core::attribution::Parties):
-- the Reply-To addresses, the names of the people in To/Cc, the addresses a scheduling
-- tool's message names as its invitee, and a referral ("talk to Ana, cc'd"). Rows stored
-- before this migration have none, which is what they were read with.
ALTER TABLE messages ADD COLUMN arrived_at TEXT;
ALTER TABLE messages ADD COLUMN parties TEXT NOT NULL DEFAULT '{}';

-- A message whose context arrives after it (the user's request, read from Sent after
-- the reply in INBOX) is found by the id it answers, and read again.
CREATE INDEX messages_in_reply_to ON messages (in_reply_to) WHERE in_reply_to != '';
