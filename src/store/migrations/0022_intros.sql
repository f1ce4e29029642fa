-- Double opt-in introductions (issue 24), in two changes:
--
-- 1. `drafts.kind` admits the introduction's emails ('intro-ask', 'intro',
--    'intro-declined') and the share ('share'), and a draft may carry one more visible
--    recipient, `cc_addr` / `cc_name`: the introduction is one email to both people
--    (A in To, B in Cc), never Bcc. '' for every other draft. A CHECK cannot be altered
--    in place, so this is the table rebuild of 0017 again (foreign keys off, checked
--    before commit); ids and every column are copied unchanged.
-- 2. `intros`: the two people, where the intro stands, and the draft of each step.
--    The stage is derived afresh from the drafts and both timelines (core/intro.rs);
--    the row keeps the last answer, for listing and for writing each change once on
--    both timelines.

CREATE TABLE drafts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id      INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL
                    CHECK (kind IN ('meeting-request', 'nudge', 'thank-you', 'check-in',
                                    'intro-ask', 'intro', 'intro-declined', 'share')),
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
    sent_message    BLOB,
    read_upto       INTEGER NOT NULL DEFAULT -1,
    cc_addr         TEXT    NOT NULL DEFAULT '',
    cc_name         TEXT    NOT NULL DEFAULT ''
) STRICT;

INSERT INTO drafts_new (id, contact_id, kind, template, reason, reason_key, due_at, status,
        to_addr, to_name, subject, body, message_id, in_reply_to, refs, message,
        approved_digest, created_at, updated_at, approved_at, sent_at, snoozed_until,
        attempts, next_attempt_at, last_error, status_note, sent_message, read_upto)
    SELECT id, contact_id, kind, template, reason, reason_key, due_at, status,
        to_addr, to_name, subject, body, message_id, in_reply_to, refs, message,
        approved_digest, created_at, updated_at, approved_at, sent_at, snoozed_until,
        attempts, next_attempt_at, last_error, status_note, sent_message, read_upto
    FROM drafts;

-- Keep the AUTOINCREMENT counter where it was, so no id is handed out twice.
DELETE FROM sqlite_sequence WHERE name = 'drafts_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'drafts_new', seq FROM sqlite_sequence
    WHERE name = 'drafts';

DROP TABLE drafts;
ALTER TABLE drafts_new RENAME TO drafts;

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

CREATE TABLE intros (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    a_contact      INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    b_contact      INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    why            TEXT    NOT NULL DEFAULT '',
    stage          TEXT    NOT NULL DEFAULT 'asking-a'
                   CHECK (stage IN ('asking-a', 'waiting-a', 'asking-b', 'waiting-b',
                                    'introducing', 'introduced', 'declined-by-a',
                                    'declined-by-b', 'no-answer', 'withdrawn')),
    next           TEXT    NOT NULL DEFAULT '',
    a_yes_at       TEXT,
    b_yes_at       TEXT,
    ask_a_draft    INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    nudge_a_draft  INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    ask_b_draft    INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    nudge_b_draft  INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    intro_draft    INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    declined_draft INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    closed_at      TEXT,
    CHECK (a_contact != b_contact)
) STRICT;
CREATE INDEX intros_open ON intros (closed_at);
CREATE INDEX intros_a ON intros (a_contact);
CREATE INDEX intros_b ON intros (b_contact);
