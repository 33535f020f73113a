package latch.token;

import com.auth0.jwt.algorithms.Algorithm;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Database;
import latch.db.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generated HS256 keys for one purpose, kept sealed in the database. One signs; after a rotation the ones before
 * it still verify until {@code overlap} (the longest life of a token they signed) has passed, then they retire
 * and every process forgets them. Every process reloads when the change feed says the keys changed.
 */
public final class KeyRing implements KeySource {
    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);
    static final String HS256 = "HS256";

    private record Key(Algorithm algorithm, Instant retiresAt) {}

    private record Snapshot(SigningKey signing, Map<String, Key> byKid) {}

    private final String purpose;
    private final Database db;
    private final ChangeFeed feed;
    private final SealingKey sealing;
    private final Duration overlap;
    private final Clock clock;
    private final boolean replacesUnreadable;
    private volatile Snapshot keys;

    /**
     * {@code replacesUnreadable}: whether a signing key this sealing key cannot open is replaced by a new one (the
     * server, which must sign); a short-lived process (the command line) leaves it to the server instead.
     */
    public KeyRing(String purpose, Duration overlap, Database db, ChangeFeed feed, SealingKey sealing, Clock clock,
                   boolean replacesUnreadable) {
        this.replacesUnreadable = replacesUnreadable;
        this.purpose = purpose;
        this.overlap = overlap;
        this.db = db;
        this.feed = feed;
        this.sealing = sealing;
        this.clock = clock;
        this.keys = load();
        feed.onKeysChanged(purpose, () -> keys = load());
    }

    public String purpose() {
        return purpose;
    }

    @Override
    public SigningKey signing() {
        SigningKey key = keys.signing();
        if (key == null) {
            throw new IllegalStateException("the " + purpose + " signing key cannot be opened with this encryption key");
        }
        return key;
    }

    @Override
    public Optional<Algorithm> verifier(String kid) {
        Key key = kid == null ? null : keys.byKid().get(kid);
        if (key == null || (key.retiresAt() != null && !clock.instant().isBefore(key.retiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(key.algorithm());
    }

    @Override
    public List<Map<String, Object>> publicKeys() {
        return List.of();
    }

    /** A new key signs from now on; the one before verifies for {@code overlap} more. */
    public void rotate() {
        db.run(tx -> {
            retire(tx, null, overlap);
            addCurrent(tx);
        });
        log.info("rotated the {} signing key", purpose);
    }

    /** Deletes keys whose tokens have all expired; returns how many. */
    public int purgeRetired() {
        return db.inTransaction(tx -> {
            int n;
            try (var ps = tx.prepare("DELETE FROM signing_keys WHERE purpose = ? AND retires_at IS NOT NULL AND retires_at <= ?")) {
                ps.setString(1, purpose);
                ps.setLong(2, clock.instant().getEpochSecond());
                n = ps.executeUpdate();
            }
            if (n > 0) {
                feed.publish(tx, new Change.KeysRotated(purpose));
            }
            return n;
        });
    }

    private Snapshot load() {
        var byKid = new HashMap<String, Key>();
        var unopenable = new AtomicReference<String>();
        String current = db.read(c -> {
            String signing = null;
            try (var ps = c.prepareStatement("SELECT kid, algorithm, sealed, retires_at FROM signing_keys WHERE purpose = ?")) {
                ps.setString(1, purpose);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String kid = rs.getString(1);
                        long retires = rs.getLong(4);
                        Instant retiresAt = rs.wasNull() ? null : Instant.ofEpochSecond(retires);
                        Optional<byte[]> secret = HS256.equals(rs.getString(2)) ? sealing.open(sealedName(kid), rs.getBytes(3))
                                : Optional.empty();
                        if (secret.isEmpty()) {
                            if (replacesUnreadable) {
                                log.error("the {} signing key {} cannot be opened with this encryption key (was latch.key or"
                                        + " LATCH_ENCRYPTION_KEY replaced?); tokens it signed are refused", purpose, kid);
                            }
                            if (retiresAt == null) {
                                unopenable.set(kid);
                            }
                            continue;
                        }
                        byKid.put(kid, new Key(Algorithm.HMAC256(secret.get()), retiresAt));
                        if (retiresAt == null) {
                            signing = kid;
                        }
                    }
                }
            }
            return signing;
        });
        if (current == null && !replacesUnreadable) {
            return new Snapshot(null, Map.copyOf(byKid));
        }
        if (current == null) {
            // First start, or the signing key cannot be opened: a fresh one takes over and the unopenable one retires
            // now. Only that one: a key another process made since the read above is kept, and stays current.
            db.run(tx -> {
                if (unopenable.get() != null) {
                    retire(tx, unopenable.get(), Duration.ZERO);
                }
                addCurrent(tx);
            });
            return load();
        }
        return new Snapshot(new SigningKey(current, byKid.get(current).algorithm()), Map.copyOf(byKid));
    }

    /** Retires the signing key ({@code kid}: only if it is that one; null: whichever it is) after {@code grace}. */
    private void retire(Tx tx, String kid, Duration grace) throws SQLException {
        try (var ps = tx.prepare("UPDATE signing_keys SET retires_at = ? WHERE purpose = ? AND retires_at IS NULL"
                + " AND (CAST(? AS TEXT) IS NULL OR kid = ?)")) {
            ps.setLong(1, clock.instant().plus(grace).getEpochSecond());
            ps.setString(2, purpose);
            ps.setString(3, kid);
            ps.setString(4, kid);
            ps.executeUpdate();
        }
    }

    /** Inserts a new signing key unless there is a current one; two processes doing so at once make one. */
    private void addCurrent(Tx tx) throws SQLException {
        Instant now = clock.instant();
        String kid = RandomSecrets.urlSafe(9);
        try (var ps = tx.prepare("INSERT INTO signing_keys(kid, purpose, algorithm, sealed, created_at) VALUES (?,?,?,?,?)"
                + " ON CONFLICT(purpose) WHERE retires_at IS NULL DO NOTHING")) {
            ps.setString(1, kid);
            ps.setString(2, purpose);
            ps.setString(3, HS256);
            ps.setBytes(4, sealing.seal(sealedName(kid), RandomSecrets.bytes(32)));
            ps.setLong(5, now.getEpochSecond());
            ps.executeUpdate();
        }
        feed.publish(tx, new Change.KeysRotated(purpose));
    }

    private String sealedName(String kid) {
        return "signing-key/" + purpose + "/" + kid;
    }
}
