package latch.federation;

import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.sfu.ForeignKeys;
import latch.token.TokenRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public keys of trusted issuers, fetched only from each issuer's configured JWKS URL (never from a token's
 * {@code jku}, {@code x5u} or {@code jwk} header, RFC 8725 §3.10) and kept per issuer. Only public RSA and EC
 * signing keys whose algorithm is on the issuer's allow-list are kept. A {@code kid} not held causes one re-fetch,
 * at most once per {@link #REFETCH_AT_MOST_EVERY} per issuer, so a flood of made-up kids cannot turn Latch into a
 * request cannon; the keys are re-fetched when the JWKS's own {@code max-age} has passed. An issuer that is not
 * enabled in the registry is refused from memory, before anything is fetched.
 */
public final class IssuerKeys implements ForeignKeys {
    private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);
    static final Duration REFETCH_AT_MOST_EVERY = Duration.ofSeconds(30);
    /** How long keys count as fresh when the JWKS says nothing (Latch's own says 60 s). */
    private static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    private static final Duration MIN_MAX_AGE = Duration.ofSeconds(30);
    private static final Duration MAX_MAX_AGE = Duration.ofHours(1);
    /** Keys an issuer stopped answering for stay usable this long, so a peer's short outage does not stop play. */
    private static final Duration KEEP_STALE = Duration.ofHours(1);
    static final int MAX_JWKS_BYTES = 64 * 1024;
    private static final int MAX_KEYS = 50;
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age=(\\d{1,9})");

    /** What the admin page shows of an issuer's keys: as this process saw them. */
    public record Status(Instant lastFetchedAt, Instant lastErrorAt, String lastError, List<String> kids) {
        static final Status NONE = new Status(null, null, null, List.of());
    }

    private record Key(String kid, SigningAlgorithm algorithm, Algorithm verifier) {}

    /** One issuer's keys, for the entry they were fetched for; replaced when the entry's URL or algorithms change. */
    private static final class Held {
        final TrustedIssuer entry;
        final ReentrantLock fetching = new ReentrantLock();
        volatile Map<String, Key> keys = Map.of();
        volatile Instant fetchedAt;
        volatile Instant freshUntil;
        volatile Instant lastAttempt;
        volatile Instant lastErrorAt;
        volatile String lastError;

        Held(TrustedIssuer entry) {
            this.entry = entry;
        }
    }

    private final IssuerService registry;
    private final BoundedFetch fetch;
    private final Clock clock;
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    public IssuerKeys(IssuerService registry, BoundedFetch fetch, ChangeFeed feed, Clock clock) {
        this.registry = registry;
        this.fetch = fetch;
        this.clock = clock;
        feed.onCommitted(Change.IssuersChanged.class, c -> forgetUntrusted());
        feed.onCommitted(Change.Resync.class, c -> held.clear());
    }

    @Override
    public boolean trusts(String issuer) {
        return registry.enabled(issuer).isPresent();
    }

    @Override
    public Algorithm verifier(String issuer, String kid, String alg) throws TokenRejected {
        TrustedIssuer entry = registry.enabled(issuer).orElseThrow(() -> new TokenRejected("unknown issuer"));
        SigningAlgorithm algorithm = SigningAlgorithm.exactly(alg).filter(a -> entry.algorithms().contains(a.name()))
                .orElseThrow(() -> new TokenRejected("algorithm not allowed for this issuer"));
        if (kid == null || kid.isEmpty()) {
            throw new TokenRejected("no kid");
        }
        Held h = heldFor(entry);
        Key key = fresh(h, clock.instant()) ? h.keys.get(kid) : null;
        if (key == null && mayFetch(h, clock.instant())) {
            refresh(h);
        }
        if (key == null) {
            // Fresh from the fetch just made; else kept keys, for a bounded time, while the issuer cannot be reached.
            Instant fetched = h.fetchedAt;
            key = fetched != null && clock.instant().isBefore(fetched.plus(KEEP_STALE)) ? h.keys.get(kid) : null;
        }
        if (key == null) {
            throw new TokenRejected("unknown kid for this issuer");
        }
        // The header's alg must be the key's own: an RS256 key never verifies as anything else (RFC 8725 §3.1).
        if (key.algorithm() != algorithm) {
            throw new TokenRejected("algorithm does not match the key");
        }
        return key.verifier();
    }

    /** The issuer's keys as this process last fetched them, for the admin page. */
    public Status status(String issuer) {
        Held h = held.get(issuer);
        if (h == null) {
            return Status.NONE;
        }
        return new Status(h.fetchedAt, h.lastErrorAt, h.lastError, h.keys.keySet().stream().sorted().toList());
    }

    /** Fetched keys are for the entry they were fetched for: another URL or allow-list starts afresh. */
    private Held heldFor(TrustedIssuer entry) {
        Held h = held.get(entry.issuer());
        if (h != null && h.entry.sameKeysAs(entry)) {
            return h; // the common case, without taking the map's lock
        }
        return held.compute(entry.issuer(), (issuer, old) -> old != null && old.entry.sameKeysAs(entry) ? old : new Held(entry));
    }

    private static boolean fresh(Held h, Instant now) {
        Instant until = h.freshUntil;
        return until != null && now.isBefore(until);
    }

    private static boolean mayFetch(Held h, Instant now) {
        Instant last = h.lastAttempt;
        return last == null || !now.isBefore(last.plus(REFETCH_AT_MOST_EVERY));
    }

    /** One fetch at a time per issuer; callers that waited for it use its result instead of fetching again. */
    private void refresh(Held h) {
        h.fetching.lock();
        try {
            Instant now = clock.instant();
            if (!mayFetch(h, now)) {
                return; // another caller fetched while this one waited
            }
            h.lastAttempt = now;
            try {
                var answer = fetch.get(URI.create(h.entry.jwksUrl()), MAX_JWKS_BYTES);
                Map<String, Key> keys = parse(h.entry, new String(answer.body(), StandardCharsets.UTF_8));
                Instant at = clock.instant();
                h.keys = keys;
                h.freshUntil = at.plus(maxAge(answer.headers().firstValue("Cache-Control").orElse("")));
                h.fetchedAt = at;
                if (h.lastError != null) {
                    log.info("fetched the keys of {} again ({} usable)", h.entry.issuer(), keys.size());
                }
                h.lastError = null;
                h.lastErrorAt = null;
            } catch (BoundedFetch.Failed | KeysRefused e) {
                if (h.lastError == null) {
                    log.warn("cannot fetch the keys of trusted issuer {} from {}: {}", h.entry.issuer(), h.entry.jwksUrl(),
                            e.getMessage());
                }
                h.lastError = e.getMessage();
                h.lastErrorAt = clock.instant();
            }
        } finally {
            h.fetching.unlock();
        }
    }

    private static final class KeysRefused extends Exception {
        KeysRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** The public signing keys of the JWKS (RFC 7517) with an allowed algorithm, by kid; private members never kept. */
    private static Map<String, Key> parse(TrustedIssuer entry, String json) throws KeysRefused {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw new KeysRefused("the answer is not a JWKS");
        }
        var keys = new HashMap<String, Key>();
        for (JWK jwk : set.getKeys()) {
            if (keys.size() >= MAX_KEYS) {
                break;
            }
            String kid = jwk.getKeyID();
            if (kid == null || kid.isEmpty() || keys.containsKey(kid)) {
                continue;
            }
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                continue;
            }
            if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
                continue;
            }
            JWK pub = jwk.toPublicJWK();
            if (pub == null) {
                continue; // a symmetric key: never a signature key of someone else's
            }
            var algorithm = SigningAlgorithm.of(pub).filter(a -> entry.algorithms().contains(a.name()));
            if (algorithm.isEmpty()) {
                continue;
            }
            try {
                keys.put(kid, new Key(kid, algorithm.get(), algorithm.get().verifier(pub)));
            } catch (JOSEException | RuntimeException e) {
                log.debug("a key of {} cannot be used: {}", entry.issuer(), e.getClass().getSimpleName());
            }
        }
        if (keys.isEmpty()) {
            throw new KeysRefused("the JWKS has no public signing key with an allowed algorithm ("
                    + String.join(" ", entry.algorithms()) + ")");
        }
        return Map.copyOf(keys);
    }

    private static Duration maxAge(String cacheControl) {
        Matcher m = MAX_AGE.matcher(cacheControl);
        if (!m.find()) {
            return DEFAULT_MAX_AGE;
        }
        Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
        return d.compareTo(MIN_MAX_AGE) < 0 ? MIN_MAX_AGE : d.compareTo(MAX_MAX_AGE) > 0 ? MAX_MAX_AGE : d;
    }

    /** Drops the keys of issuers that are gone, disabled, or now fetched from elsewhere: at once, in every process. */
    private void forgetUntrusted() {
        held.entrySet().removeIf(e -> registry.enabled(e.getKey()).map(entry -> !entry.sameKeysAs(e.getValue().entry))
                .orElse(true));
    }
}
