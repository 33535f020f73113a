-- Latch schema, version 9: the name a user shows in online play (netplay). NULL means their username.
ALTER TABLE users ADD COLUMN netplay_username TEXT;
-- The chosen name case-folded (NFKC, full case) by Latch, written with it in one statement; NULL with it. SQLite's
-- lower() folds ASCII only, so without this "Émile" and "émile" would be two names.
ALTER TABLE users ADD COLUMN netplay_key TEXT;

-- The name others see is one name per instance, whether chosen or the username by default: nobody can take
-- "alice" while alice plays as alice, and nobody can sign up as "alice" while someone plays as "Alice". Usernames
-- are ASCII and unique under NOCASE, which lower() matches, so existing users always fit this index.
CREATE UNIQUE INDEX users_netplay_name ON users(coalesce(netplay_key, lower(username)));
