-- Contacts, their addresses and tags, the timeline, and the approval queue.

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL DEFAULT '',
    company        TEXT    NOT NULL DEFAULT '',
    role           TEXT    NOT NULL DEFAULT '',
    tier           TEXT    NOT NULL DEFAULT 'regular'
                   CHECK (tier IN ('close', 'regular', 'acquaintance')),
    link           TEXT    NOT NULL DEFAULT '',
    do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
    source         TEXT    NOT NULL DEFAULT 'manual'
                   CHECK (source IN ('manual', 'import', 'detected')),
    created_at     TEXT    NOT NULL
) STRICT;

-- One row per address; an address belongs to exactly one contact.
CREATE TABLE contact_emails (
    address    TEXT    PRIMARY KEY,              -- lowercased
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,       -- 0 is the primary address
    bounced_at TEXT                              -- set when a hard bounce names it
) STRICT;
CREATE INDEX contact_emails_contact ON contact_emails (contact_id);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    PRIMARY KEY (contact_id, tag)
) STRICT;

-- The timeline. `message_key` is the Message-ID the event came from (or was sent as),
-- which makes re-syncing and re-sending idempotent.
CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,                -- RFC 3339, UTC
    kind        TEXT    NOT NULL,
    summary     TEXT    NOT NULL DEFAULT '',
    message_key TEXT    NOT NULL DEFAULT '',
    draft_id    INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    detail      TEXT    NOT NULL DEFAULT '{}',   -- JSON: intent, dates, evidence
    source      TEXT    NOT NULL DEFAULT 'user'
                CHECK (source IN ('user', 'send', 'sync'))
) STRICT;
CREATE INDEX interactions_contact ON interactions (contact_id, at);
CREATE UNIQUE INDEX interactions_once ON interactions (contact_id, kind, message_key)
    WHERE message_key != '';

-- The approval queue. `message` holds the exact bytes that are shown, approved and
-- sent (without the Date header, stamped at sending). `approved_digest` is the SHA-256
-- of those bytes at approval; sending refuses bytes that differ from it.
CREATE TABLE drafts (
    id              INTEGER PRIMARY KEY,
    contact_id      INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL
                    CHECK (kind IN ('meeting-request', 'nudge', 'thank-you', 'check-in')),
    template        TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    reason_key      TEXT    NOT NULL,
    due_at          TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'sending', 'sent', 'rejected',
                                      'snoozed', 'superseded', 'failed', 'unknown')),
    to_addr         TEXT    NOT NULL,
    to_name         TEXT    NOT NULL DEFAULT '',
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    message_id      TEXT    NOT NULL UNIQUE,
    in_reply_to     TEXT    NOT NULL DEFAULT '',
    refs            TEXT    NOT NULL DEFAULT '',  -- space-separated, no angle brackets
    message         BLOB    NOT NULL,
    approved_digest TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    approved_at     TEXT,
    sent_at         TEXT,
    snoozed_until   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT    NOT NULL DEFAULT '',
    status_note     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX drafts_status ON drafts (status, due_at);
-- One draft per reason, ever: re-planning can never make a second one.
CREATE UNIQUE INDEX drafts_reason ON drafts (contact_id, reason_key);
