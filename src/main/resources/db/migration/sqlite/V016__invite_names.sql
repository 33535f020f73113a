-- An admin's own words for an invitation ("for Grandma's tablet"), shown to admins beside the link's state; never
-- to whoever holds the link.
ALTER TABLE invites ADD COLUMN name TEXT;
