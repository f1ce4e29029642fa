-- Several accounts in one database (issue 25): which account each message was read in
-- and each draft goes out from, and the account a contact chose (`contacts edit
-- --account`, '' for none: the account of the last conversation decides).
--
-- Every row stored before belongs to the one account there was, named 'default' (the
-- name a single-account config is read under). Sync cursors and folder locations were
-- keyed by account already (`imap:USER@HOST`, `maildir:PATH`), so two accounts' INBOX
-- UIDs never meet.
ALTER TABLE messages ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
ALTER TABLE drafts ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
ALTER TABLE contacts ADD COLUMN account TEXT NOT NULL DEFAULT '';
