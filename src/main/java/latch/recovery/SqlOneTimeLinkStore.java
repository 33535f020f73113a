package latch.recovery;

import latch.db.Database;
import latch.db.Tx;

import java.time.Instant;
import java.util.Optional;

public final class SqlOneTimeLinkStore implements OneTimeLinkStore {
    private final Database db;

    public SqlOneTimeLinkStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(Tx tx, String digest, long userId, LinkPurpose purpose, Instant createdAt, Instant expiresAt) {
        tx.update("INSERT INTO one_time_links(digest, user_id, purpose, created_at, expires_at) VALUES (?,?,?,?,?)",
                digest, userId, purpose.wireName(), createdAt.getEpochSecond(), expiresAt.getEpochSecond());
    }

    @Override
    public int voidUnspent(Tx tx, long userId, LinkPurpose purpose, Instant now) {
        return tx.update("UPDATE one_time_links SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
                now.getEpochSecond(), userId, purpose.wireName());
    }

    @Override
    public Optional<Long> spend(Tx tx, String digest, LinkPurpose purpose, Instant now) {
        long t = now.getEpochSecond();
        return tx.strings("UPDATE one_time_links SET used_at = ? WHERE digest = ? AND purpose = ? AND used_at IS NULL"
                + " AND expires_at > ? RETURNING user_id", t, digest, purpose.wireName(), t)
                .stream().findFirst().map(Long::parseLong);
    }

    @Override
    public int purgeDead(Instant before, int batch) {
        long t = before.getEpochSecond();
        return db.inTransaction(tx -> tx.update("DELETE FROM one_time_links WHERE digest IN (SELECT digest FROM one_time_links"
                + " WHERE used_at < ? OR expires_at < ? LIMIT ?)", t, t, batch));
    }
}
