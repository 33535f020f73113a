package latch.keys;

import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.UnitOfWork;
import latch.http.ApiError;
import latch.token.RandomSecrets;
import latch.token.SealingKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The asymmetric keys of one purpose whose public halves everyone may fetch (JWKS), with their life cycle:
 * <ul>
 *   <li>next: published at once, signs only after {@link #PUBLISH_AHEAD} (one JWKS max-age), so a verifier with a
 *   cached JWKS never meets an unknown {@code kid};</li>
 *   <li>active: the newest key past its start signs;</li>
 *   <li>retiring: superseded, still published and verifying until every token it signed has expired;</li>
 *   <li>retired: after that, or at once when withdrawn as compromised.</li>
 * </ul>
 * States follow from the stored times, so every process derives the same answer; each reloads when the change feed
 * says the keys changed.
 */
public final class PublishedKeys {
    private static final Logger log = LoggerFactory.getLogger(PublishedKeys.class);
    /** How long a JWKS may be cached, and so how long a new key is published before it signs. */
    public static final Duration PUBLISH_AHEAD = Duration.ofSeconds(60);
    /** Verifiers allow this much clock skew past a token's expiry. */
    private static final Duration SKEW = Duration.ofSeconds(5);
    /** Retired keys stay listed for the admin this long, then go. */
    private static final Duration KEEP_RETIRED = Duration.ofDays(30);

    public enum State { NEXT, ACTIVE, RETIRING, RETIRED }

    /** What an admin sees of a key; never its private half. */
    public record KeyInfo(String kid, String algorithm, State state, Instant createdAt, Instant activeFrom,
                          Instant retiresAt, Instant withdrawnAt) {}

    /** The key that signs now: its id (the {@code kid} header) and its algorithm with the private key. */
    public record Signer(String kid, Algorithm algorithm) {}

    private record Key(String kid, KeyAlgorithm type, JWK jwk, Algorithm verifier, Algorithm signer, Instant createdAt,
                       Instant activeFrom, Instant withdrawnAt) {}

    /** Keys oldest first; {@code supersededAt}: when the next key (by start) starts, if there is one. */
    private record Snapshot(List<Key> ordered, Map<String, Key> byKid, Map<String, Instant> supersededAt) {}

    private record Jwks(String json, Instant validUntil, Snapshot of) {}

    private final String purpose;
    private final KeyAlgorithm algorithm;
    private final Duration longestToken;
    private final Duration rotateEvery;
    private final PublishedKeyStore store;
    private final UnitOfWork db;
    private final ChangeFeed feed;
    private final SealingKey sealing;
    private final Clock clock;
    private final boolean server;
    /**
     * Null until first needed, then reloaded on every change. Read at start, the keys cost a tenth of a second and
     * 8 MB of a household's idle memory (RSA, Nimbus's JWK classes) whether or not it plays online; making the
     * first RSA key costs half a second, once, on the first netplay request instead.
     */
    private volatile Snapshot keys;
    private volatile Jwks jwks;

    /**
     * {@code algorithm}: what new keys use (older keys keep theirs); {@code longestToken}: the longest life of a token
     * these keys sign; {@code server}: whether this process makes a signing key when there is none (the command line
     * leaves that to the server).
     */
    public PublishedKeys(String purpose, KeyAlgorithm algorithm, Duration longestToken, Duration rotateEvery,
                         PublishedKeyStore store, UnitOfWork db, ChangeFeed feed, SealingKey sealing, Clock clock, boolean server) {
        this.purpose = purpose;
        this.algorithm = algorithm;
        this.longestToken = longestToken.plus(SKEW);
        this.rotateEvery = rotateEvery;
        this.store = store;
        this.db = db;
        this.feed = feed;
        this.sealing = sealing;
        this.clock = clock;
        this.server = server;
        feed.onKeysChanged(purpose, this::reloadIfRead);
    }


    public String purpose() {
        return purpose;
    }

    /** The key new tokens are signed with. */
    public Signer signer() {
        Key key = signerAt(keys(), clock.instant()).orElse(null);
        if (key == null || key.signer() == null) {
            throw new IllegalStateException("no " + purpose + " signing key this process can use");
        }
        return new Signer(key.kid(), key.signer());
    }

    /** The key with this id while it is published (next, active or retiring); empty for unknown or retired ones. */
    public Optional<Algorithm> verifier(String kid) {
        Snapshot s = keys();
        Key key = kid == null ? null : s.byKid().get(kid);
        if (key == null || state(s, key, clock.instant()) == State.RETIRED) {
            return Optional.empty();
        }
        return Optional.of(key.verifier());
    }

    /** The JWKS document (RFC 7517 §5) of the published keys, encoded once per change of that set. */
    public String jwksJson() {
        Instant now = clock.instant();
        Snapshot s = keys();
        Jwks cached = jwks;
        if (cached != null && cached.of() == s && now.isBefore(cached.validUntil())) {
            return cached.json;
        }
        var published = new ArrayList<JWK>();
        Instant validUntil = Instant.MAX;
        for (Key key : s.ordered()) {
            if (state(s, key, now) != State.RETIRED) {
                published.add(key.jwk());
            }
            for (Instant t : new Instant[] {key.activeFrom(), retiresAt(s, key)}) {
                if (t != null && t.isAfter(now) && t.isBefore(validUntil)) {
                    validUntil = t;
                }
            }
        }
        String json = new JWKSet(published).toString(true);
        jwks = new Jwks(json, validUntil, s);
        return json;
    }

    public List<KeyInfo> list() {
        Snapshot s = keys();
        Instant now = clock.instant();
        var out = new ArrayList<KeyInfo>();
        for (Key key : s.ordered()) {
            out.add(new KeyInfo(key.kid(), key.type().name(), state(s, key, now), key.createdAt(), key.activeFrom(),
                    retiresAt(s, key), key.withdrawnAt()));
        }
        out.sort(Comparator.comparing(KeyInfo::activeFrom).reversed());
        return out;
    }

    /**
     * A new key, published now; it signs after {@link #PUBLISH_AHEAD}, or at once when {@code immediate} (an
     * emergency: verifiers with a cached JWKS refetch on the unknown kid). 409 while another is already waiting.
     */
    public KeyInfo rotate(boolean immediate) {
        keys(); // the first key exists before a second is added
        Instant now = clock.instant();
        Optional<String> kid = immediate ? Optional.of(add(now, null)) : addUnlessNewer(now.plus(PUBLISH_AHEAD), now);
        if (kid.isEmpty()) {
            throw new ApiError(409, "rotation_pending", "A new key is already waiting to take over; it signs within a minute.");
        }
        log.info("rotated the {} signing key{}", purpose, immediate ? " at once" : "");
        return info(kid.get());
    }

    /** Rotates when the signing key has signed for {@code rotateEvery}; run by a job. */
    public void rotateIfDue() {
        if (keys == null) {
            return; // nothing signed here yet: a key is made when first needed, and is not due then
        }
        Instant now = clock.instant();
        addUnlessNewer(now.plus(PUBLISH_AHEAD), now.minus(rotateEvery))
                .ifPresent(kid -> log.info("rotated the {} signing key on schedule ({} days)", purpose, rotateEvery.toDays()));
    }

    /** Withdraws a key at once (it may be compromised); if it was signing, a new key signs from now on. */
    public KeyInfo retire(String kid) {
        Instant now = clock.instant();
        boolean wasSigning = signerAt(keys(), now).map(k -> k.kid().equals(kid)).orElse(false);
        boolean withdrawn = db.inTransaction(tx -> {
            if (!store.withdraw(tx, purpose, kid, now)) {
                return false;
            }
            feed.publish(tx, new Change.KeysRotated(purpose));
            return true;
        });
        if (!withdrawn) {
            throw new ApiError(404, "key_not_found", "No published key with that id, or it is already withdrawn.");
        }
        log.warn("withdrew the {} signing key {}", purpose, kid);
        if (wasSigning || signerAt(keys(), now).isEmpty()) {
            add(now, null);
        }
        return info(kid);
    }

    /** Deletes keys retired for a month; returns how many. */
    public int purgeRetired() {
        Snapshot s = keys;
        if (s == null) {
            return 0; // not read in this process yet; whichever process uses the keys purges them
        }
        Instant cutoff = clock.instant().minus(KEEP_RETIRED);
        var gone = new ArrayList<String>();
        for (Key key : s.ordered()) {
            Instant end = key.withdrawnAt() != null ? key.withdrawnAt() : retiresAt(s, key);
            if (end != null && end.isBefore(cutoff)) {
                gone.add(key.kid());
            }
        }
        if (gone.isEmpty()) {
            return 0;
        }
        return db.inTransaction(tx -> {
            int n = store.delete(tx, purpose, gone);
            feed.publish(tx, new Change.KeysRotated(purpose));
            return n;
        });
    }

    private KeyInfo info(String kid) {
        return list().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    private String add(Instant activeFrom, Instant unlessActiveAfter) {
        return addUnlessNewer(activeFrom, unlessActiveAfter).orElseThrow();
    }

    private Optional<String> addUnlessNewer(Instant activeFrom, Instant unlessActiveAfter) {
        String kid = RandomSecrets.urlSafe(12);
        KeyPair pair = algorithm.generate();
        var row = new PublishedKeyStore.Row(kid, purpose, algorithm.name(), pair.getPublic().getEncoded(),
                sealing.seal(sealedName(kid), pair.getPrivate().getEncoded()), clock.instant(), activeFrom, null);
        boolean added = db.inTransaction(tx -> {
            if (!store.addUnlessNewer(tx, row, unlessActiveAfter)) {
                return false;
            }
            feed.publish(tx, new Change.KeysRotated(purpose));
            return true;
        });
        return added ? Optional.of(kid) : Optional.empty();
    }

    private Snapshot keys() {
        Snapshot s = keys;
        return s != null ? s : readNow();
    }

    private synchronized Snapshot readNow() {
        if (keys == null) {
            Snapshot s = load();
            if (server && signerAt(s, clock.instant()).map(Key::signer).isEmpty()) {
                // First start, or the signing key cannot be opened with this latch.key: a new key signs at once. The
                // old one's public half still verifies what it signed, until that has expired.
                add(clock.instant(), null);
                log.info("made a new {} {} signing key", algorithm, purpose);
                s = load();
            }
            keys = s;
        }
        return keys;
    }

    /** After a change: read again, under the same lock as the first read, so a slower first read cannot win. */
    private synchronized void reloadIfRead() {
        if (keys != null) {
            keys = load();
        }
    }

    private Snapshot load() {
        var ordered = new ArrayList<Key>();
        for (PublishedKeyStore.Row row : store.all(purpose)) {
            KeyAlgorithm type = KeyAlgorithm.named(row.algorithm()).orElse(null);
            if (type == null) {
                log.error("the {} key {} has an unknown algorithm {}; it is ignored", purpose, row.kid(), row.algorithm());
                continue;
            }
            try {
                PublicKey publicKey = type.publicKey(row.publicKey());
                PrivateKey privateKey = null;
                Optional<byte[]> pkcs8 = sealing.open(sealedName(row.kid()), row.sealedPrivateKey());
                if (pkcs8.isPresent()) {
                    privateKey = type.privateKey(pkcs8.get());
                }
                ordered.add(new Key(row.kid(), type, type.jwk(row.kid(), publicKey), type.algorithm(publicKey, null),
                        privateKey == null ? null : type.algorithm(publicKey, privateKey), row.createdAt(), row.activeFrom(),
                        row.withdrawnAt()));
            } catch (GeneralSecurityException | RuntimeException e) {
                log.error("the {} key {} cannot be read ({}); it is ignored", purpose, row.kid(), e.getClass().getSimpleName());
            }
        }
        var byKid = new HashMap<String, Key>();
        var superseded = new HashMap<String, Instant>();
        Key previous = null;
        for (Key key : ordered) {
            byKid.put(key.kid(), key);
            if (key.withdrawnAt() != null) {
                continue;
            }
            if (previous != null) {
                superseded.put(previous.kid(), key.activeFrom());
            }
            previous = key;
        }
        return new Snapshot(List.copyOf(ordered), Map.copyOf(byKid), Map.copyOf(superseded));
    }

    /** The newest key not withdrawn whose start has come. */
    private static Optional<Key> signerAt(Snapshot s, Instant now) {
        Key signer = null;
        for (Key key : s.ordered()) {
            if (key.withdrawnAt() == null && !key.activeFrom().isAfter(now)) {
                signer = key;
            }
        }
        return Optional.ofNullable(signer);
    }

    private State state(Snapshot s, Key key, Instant now) {
        if (key.withdrawnAt() != null && !now.isBefore(key.withdrawnAt())) {
            return State.RETIRED;
        }
        if (now.isBefore(key.activeFrom())) {
            return State.NEXT;
        }
        Instant superseded = s.supersededAt().get(key.kid());
        if (superseded == null || now.isBefore(superseded)) {
            return State.ACTIVE;
        }
        return now.isBefore(superseded.plus(longestToken)) ? State.RETIRING : State.RETIRED;
    }

    /** When the last token this key could have signed expires; null while nothing newer has started. */
    private Instant retiresAt(Snapshot s, Key key) {
        if (key.withdrawnAt() != null) {
            return key.withdrawnAt();
        }
        Instant superseded = s.supersededAt().get(key.kid());
        return superseded == null ? null : superseded.plus(longestToken);
    }

    private String sealedName(String kid) {
        return "published-key/" + purpose + "/" + kid;
    }
}
