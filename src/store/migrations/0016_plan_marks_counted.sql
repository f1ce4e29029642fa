-- Incremental planning, with a change count instead of a flag. With a flag, a planning
-- pass that read a contact, then saw another process (the daemon syncing, a CLI command)
-- add to its timeline, and then marked it planned, cleared the mark the other change had
-- set: that contact was not planned again until its wake instant. Now every change adds
-- one to `dirty`, and a pass takes off only what it saw when it started (store
-- `mark_planned`), so a change made meanwhile keeps the contact marked. A change to a
-- contact with no row yet makes one. The table only caches work: it starts empty, and
-- every contact is planned once.
DROP TRIGGER plan_marks_contact_new;
DROP TRIGGER plan_marks_contact_edit;
DROP TRIGGER plan_marks_contact_gone;
DROP TRIGGER plan_marks_email_new;
DROP TRIGGER plan_marks_email_edit;
DROP TRIGGER plan_marks_email_gone;
DROP TRIGGER plan_marks_interaction_new;
DROP TRIGGER plan_marks_interaction_edit;
DROP TRIGGER plan_marks_interaction_gone;
DROP TRIGGER plan_marks_draft_new;
DROP TRIGGER plan_marks_draft_edit;
DROP TRIGGER plan_marks_draft_gone;
DROP TABLE plan_marks;

CREATE TABLE plan_marks (
    contact    INTEGER PRIMARY KEY,
    dirty      INTEGER NOT NULL DEFAULT 1 CHECK (dirty >= 0),
    wake       INTEGER,
    planned_at INTEGER NOT NULL
) STRICT;

CREATE TRIGGER plan_marks_contact_new AFTER INSERT ON contacts BEGIN
    DELETE FROM plan_marks WHERE contact = NEW.id;
END;
CREATE TRIGGER plan_marks_contact_edit AFTER UPDATE ON contacts BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (NEW.id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_contact_gone AFTER DELETE ON contacts BEGIN
    DELETE FROM plan_marks WHERE contact = OLD.id;
END;

CREATE TRIGGER plan_marks_email_new AFTER INSERT ON contact_emails BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (NEW.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_email_edit AFTER UPDATE ON contact_emails BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
    INSERT INTO plan_marks (contact, dirty, planned_at) SELECT NEW.contact_id, 1, 0
        WHERE NEW.contact_id != OLD.contact_id
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_email_gone AFTER DELETE ON contact_emails BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;

CREATE TRIGGER plan_marks_interaction_new AFTER INSERT ON interactions BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (NEW.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_interaction_edit AFTER UPDATE ON interactions BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
    INSERT INTO plan_marks (contact, dirty, planned_at) SELECT NEW.contact_id, 1, 0
        WHERE NEW.contact_id != OLD.contact_id
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_interaction_gone AFTER DELETE ON interactions BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;

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
