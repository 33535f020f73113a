package latch.token;

import latch.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/** Instance-wide secrets other than signing keys (the CSRF key), kept sealed in the database. */
public final class SealedSecrets {
    private static final Logger log = LoggerFactory.getLogger(SealedSecrets.class);
    private static final int BYTES = 32;

    private final Database db;
    private final SealingKey sealing;
    private final Clock clock;

    public SealedSecrets(Database db, SealingKey sealing, Clock clock) {
        this.db = db;
        this.sealing = sealing;
        this.clock = clock;
    }

    /**
     * The secret called {@code name}, created on first use. Two processes starting at once may both draw one;
     * the insert keeps whichever came first and both read that one back.
     */
    public byte[] getOrCreate(String name) {
        byte[] sealed = stored(name);
        Optional<byte[]> found = open(name, sealed);
        if (found.isPresent()) {
            return found.get();
        }
        // Only the value just read and found unopenable may be replaced: a racer's fresh secret, stored since, is kept.
        // (Read before the transaction, too: a read inside it would wait for a second connection while holding one.)
        byte[] replaceable = sealed == null ? new byte[0] : sealed;
        db.run(tx -> {
            try (var ps = tx.prepare("INSERT INTO sealed_secrets(name, sealed, created_at) VALUES (?,?,?)"
                    + " ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, created_at = excluded.created_at"
                    + " WHERE sealed_secrets.sealed = ?")) {
                ps.setString(1, name);
                ps.setBytes(2, sealing.seal(name, RandomSecrets.bytes(BYTES)));
                ps.setLong(3, clock.instant().getEpochSecond());
                ps.setBytes(4, replaceable);
                ps.executeUpdate();
            }
        });
        return read(name).orElseThrow(() -> new IllegalStateException("secret " + name + " could not be stored"));
    }

    /** The name of the value that proves which encryption key a shared database's secrets are sealed with. */
    static final String KEY_CHECK = "encryption_key_check";

    /**
     * On a database several nodes share, refuses an encryption key other than the one its secrets are sealed with.
     * Alone on its SQLite file, Latch replaces what a lost latch.key sealed; a node beside others must not, or it
     * would seal new keys the others cannot open, and they would replace those in turn. The first node to start
     * leaves a sealed value behind; every later one must open it.
     */
    public void confirmSharedKey() {
        db.run(tx -> {
            try (var ps = tx.prepare("INSERT INTO sealed_secrets(name, sealed, created_at) VALUES (?,?,?)"
                    + " ON CONFLICT(name) DO NOTHING")) {
                ps.setString(1, KEY_CHECK);
                ps.setBytes(2, sealing.seal(KEY_CHECK, RandomSecrets.bytes(BYTES)));
                ps.setLong(3, clock.instant().getEpochSecond());
                ps.executeUpdate();
            }
        });
        if (sealing.open(KEY_CHECK, stored(KEY_CHECK)).isEmpty()) {
            throw new IllegalStateException("LATCH_ENCRYPTION_KEY is not the key the shared database's secrets are sealed"
                    + " with: every node needs the same one (nothing was changed)");
        }
    }

    private Optional<byte[]> read(String name) {
        return open(name, stored(name));
    }

    /** The stored value if it opens with this key; a value that does not is replaced on the next getOrCreate. */
    private Optional<byte[]> open(String name, byte[] sealed) {
        if (sealed == null) {
            return Optional.empty();
        }
        Optional<byte[]> opened = sealing.open(name, sealed);
        if (opened.isEmpty()) {
            log.error("the secret {} cannot be opened with this encryption key (was latch.key or LATCH_ENCRYPTION_KEY"
                    + " replaced?); a new one takes its place", name);
        }
        return opened;
    }

    private byte[] stored(String name) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT sealed FROM sealed_secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }
}
