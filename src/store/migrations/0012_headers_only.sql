-- Messages a sync read from their headers alone: nothing in them tied the message to a
-- contact, so its body was not fetched. When a contact is added later, their messages
-- here are marked `reread`, and the next sync of a folder holding them fetches the
-- bodies and reads them again.
CREATE TABLE headers_only (
    message INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    reread  INTEGER NOT NULL DEFAULT 0 CHECK (reread IN (0, 1))
) STRICT;
CREATE INDEX headers_only_reread ON headers_only (message) WHERE reread = 1;
