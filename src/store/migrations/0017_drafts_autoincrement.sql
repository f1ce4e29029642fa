-- Two changes to `drafts`, in one rebuild:
--
-- 1. `drafts.id` becomes AUTOINCREMENT, so the id of a deleted draft (a removed
--    contact's drafts go with it) is never handed to a new one: `queue approve 7`
--    typed from an old listing, or `approve --all` after a listing, could otherwise
--    approve a draft nobody was shown.
-- 2. `sent_message` holds the exact bytes handed to the SMTP server (the approved
--    `message` with the `Date:` header stamped at sending). It is written when the
--    draft is claimed for sending, so the copy filed in Sent is byte for byte what
--    went out. NULL for a draft never claimed (and for drafts sent before this
--    migration: their copy falls back to `message`).
--
-- SQLite cannot change a primary key in place: this is its documented table rebuild,
-- as 0010 did for contacts. The runner applies it with foreign keys off (so dropping
-- the old table neither cascades into interactions and sent_copies nor fails) and runs
-- `foreign_key_check` before committing. The columns are those of 0001 plus
-- `sent_message`; ids are copied unchanged.

CREATE TABLE drafts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
    refs            TEXT    NOT NULL DEFAULT '',
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
    status_note     TEXT    NOT NULL DEFAULT '',
    sent_message    BLOB
) STRICT;

INSERT INTO drafts_new (id, contact_id, kind, template, reason, reason_key, due_at, status,
        to_addr, to_name, subject, body, message_id, in_reply_to, refs, message,
        approved_digest, created_at, updated_at, approved_at, sent_at, snoozed_until,
        attempts, next_attempt_at, last_error, status_note)
    SELECT id, contact_id, kind, template, reason, reason_key, due_at, status,
        to_addr, to_name, subject, body, message_id, in_reply_to, refs, message,
        approved_digest, created_at, updated_at, approved_at, sent_at, snoozed_until,
        attempts, next_attempt_at, last_error, status_note
    FROM drafts;

-- SQLite's counter starts at the largest id copied: an id deleted before this
-- migration above every remaining one can be handed out once more, which is why
-- `approve --all` also matches each listed draft by its Message-ID and digest.
DROP TABLE drafts;
ALTER TABLE drafts_new RENAME TO drafts;

-- The indexes of 0001 and the triggers of 0016 went with the old table.
CREATE INDEX drafts_status ON drafts (status, due_at);
CREATE UNIQUE INDEX drafts_reason ON drafts (contact_id, reason_key);

CREATE TRIGGER plan_marks_draft_new AFTER INSERT ON drafts BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (NEW.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_draft_edit AFTER UPDATE ON drafts BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
    INSERT INTO plan_marks (contact, dirty, planned_at) SELECT NEW.contact_id, 1, 0
        WHERE NEW.contact_id != OLD.contact_id
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_draft_gone AFTER DELETE ON drafts BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
