-- Incremental planning. A contact is planned again when it has no row here, when its
-- row says `dirty`, when `wake` (unix nanoseconds: the earliest instant time alone could
-- change its plan) has come, or when the clock is before `planned_at`. The triggers mark
-- a contact dirty whenever anything the planner reads about it changes (its row, its
-- addresses, its timeline, its drafts), so no code path can forget to. No foreign key:
-- a cascade deleting a contact's drafts would otherwise fail marking the contact; a row
-- left for a deleted contact names nobody (contact ids are never reused, 0010).
CREATE TABLE plan_marks (
    contact    INTEGER PRIMARY KEY,
    dirty      INTEGER NOT NULL DEFAULT 1 CHECK (dirty IN (0, 1)),
    wake       INTEGER,
    planned_at INTEGER NOT NULL
) STRICT;

CREATE TRIGGER plan_marks_contact_new AFTER INSERT ON contacts BEGIN
    DELETE FROM plan_marks WHERE contact = NEW.id;
END;
CREATE TRIGGER plan_marks_contact_edit AFTER UPDATE ON contacts BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact IN (OLD.id, NEW.id);
END;
CREATE TRIGGER plan_marks_contact_gone AFTER DELETE ON contacts BEGIN
    DELETE FROM plan_marks WHERE contact = OLD.id;
END;

CREATE TRIGGER plan_marks_email_new AFTER INSERT ON contact_emails BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact = NEW.contact_id;
END;
CREATE TRIGGER plan_marks_email_edit AFTER UPDATE ON contact_emails BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER plan_marks_email_gone AFTER DELETE ON contact_emails BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact = OLD.contact_id;
END;

CREATE TRIGGER plan_marks_interaction_new AFTER INSERT ON interactions BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact = NEW.contact_id;
END;
CREATE TRIGGER plan_marks_interaction_edit AFTER UPDATE ON interactions BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER plan_marks_interaction_gone AFTER DELETE ON interactions BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact = OLD.contact_id;
END;

CREATE TRIGGER plan_marks_draft_new AFTER INSERT ON drafts BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact = NEW.contact_id;
END;
CREATE TRIGGER plan_marks_draft_edit AFTER UPDATE ON drafts BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER plan_marks_draft_gone AFTER DELETE ON drafts BEGIN
    UPDATE plan_marks SET dirty = 1 WHERE contact = OLD.contact_id;
END;
