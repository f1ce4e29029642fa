-- Which mail rapport had read when a draft was made: the highest `messages.id` then.
--
-- "Nothing goes to someone who wrote since the draft was made" is by arrival: a message
-- stored after the draft (a larger id) was read after it. Times cannot tell: they are
-- stored to the second, and a daemon turn reads mail under the time it started, so an
-- answer read just after a draft was made (the same second, or a turn that began before
-- the draft) looked older than the draft, and the draft went out. -1 for the drafts made
-- before this migration: for them the times decide, as before.
ALTER TABLE drafts ADD COLUMN read_upto INTEGER NOT NULL DEFAULT -1;
