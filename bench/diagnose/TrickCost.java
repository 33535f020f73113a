import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import latch.access.PerIdentity;
import latch.access.ScopeCatalog;
import latch.cache.Caches;
import latch.http.Json;
import latch.token.FixedKey;
import latch.token.TokenClaims;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.Role;
import latch.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each per-request shortcut in src/main/java next to the plain code it replaced, one thread, CPU time per call
 * (CpuSteps). "shortcut" lines call Latch's own class from the jar where it is public, else a verbatim copy (named
 * below); "plain" lines are the replaced code, from git history or written the obvious way. A request costs Latch
 * about 80-150 us of CPU, so a difference well under 1 us is noise. Run it under Latch's launcher flags
 * (src/main/sh/latch.sh) and again with -XX:TieredStopAtLevel=1 to see which shortcuts only paid off under C1:
 *   java $FLAGS -cp target/latch.jar:target/bench-classes TrickCost [SECONDS_PER_STEP]
 * Not here: the client-token check has no shortcut left (SHA-256 of the presented token on every request, the
 * row from ClientTokenService's byId cache), and PerIdentity's key is now a plain record. The hand-written IPv4
 * and forwarded host/method parsers were measured here too and removed (BENCHMARKS.md, "Per-request shortcuts").
 */
public final class TrickCost {
    private TrickCost() {}

    // session/Activity, copied verbatim (package-private): one volatile instant and a compare-and-set.
    private static final class Activity {
        private volatile Instant seen;
        private final AtomicLong writtenAt = new AtomicLong(Long.MIN_VALUE);

        Instant lastSeen(Instant stored) {
            Instant local = seen;
            return local != null && local.isAfter(stored) ? local : stored;
        }

        boolean seen(Instant now, Duration interval) {
            seen = now;
            long at = now.toEpochMilli();
            long last = writtenAt.get();
            return (last == Long.MIN_VALUE || at - last >= interval.toMillis()) && writtenAt.compareAndSet(last, at);
        }
    }

    // http/TrustedProxies.allLines, copied (private): a header sent as one line is used as it is.
    private static String allLinesOneLine(Enumeration<String> lines) {
        if (lines == null || !lines.hasMoreElements()) {
            return null;
        }
        String first = lines.nextElement();
        if (!lines.hasMoreElements()) {
            return first;
        }
        var all = new StringBuilder(first);
        while (lines.hasMoreElements()) {
            all.append(',').append(lines.nextElement());
        }
        return all.toString();
    }

    // forwardauth/IdentityHeaders.build, copied (package-private): what PerIdentity keeps per identity.
    private static Map<String, String> remoteHeaders(User user, Set<String> scopes) {
        var headers = new LinkedHashMap<String, String>();
        String username = user == null ? "" : user.username();
        boolean named = user != null && user.displayName() != null && !user.displayName().isBlank();
        headers.put("Remote-User", oneLine(username));
        headers.put("Remote-Groups", user == null ? "" : user.role().wireName());
        headers.put("Remote-Name", oneLine(named ? user.displayName() : username));
        headers.put("Remote-Email", user == null || user.email() == null ? "" : oneLine(user.email()));
        headers.put("Remote-Scopes", ScopeCatalog.format(scopes));
        return Collections.unmodifiableMap(headers);
    }

    private static String oneLine(String v) {
        return v.replaceAll("[\\x00-\\x1f\\x7f]", " ").strip();
    }

    // session/MeAnswer's body records, copied (package-private).
    record Me(long id, String username, String role, String displayName, String email, List<String> scopes) {}

    record MeResponse(Me user) {}

    // clienttoken/ClientTokenService.effective, copied (package-private): the token's own set when the owner holds it all.
    private static Set<String> effective(Set<String> granted, Set<String> held) {
        if (held.containsAll(granted)) {
            return granted;
        }
        Set<String> effective = new HashSet<>(granted);
        effective.retainAll(held);
        return Set.copyOf(effective);
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        User user = Fixtures.admin(now);
        ScopeCatalog catalog = ScopeCatalog.defaults();
        // A Principal copies its scopes (Set.copyOf) per request: the cached key and the looked-up one are equal, not identical.
        Set<String> cachedScopes = Set.copyOf(catalog.of(Role.ADMIN));
        Set<String> requestScopes = Set.copyOf(catalog.of(Role.ADMIN));
        var steps = new CpuSteps();

        // 1. token/TokenService: verified-token cache (SHA-256 of the token + Caffeine hit) vs what check() does on a miss.
        TokenService tokens = Fixtures.tokens(clock);
        String jwt = tokens.issue(TokenType.SESSION, new TokenClaims("1", "0KWWpIVYqfGtumH9NqsO3g", "TKF5_C4I5KDPuY0FvXMssQ", now,
                now.plus(Duration.ofDays(1)), null));
        FixedKey key = new FixedKey(Fixtures.SECRET);
        Set<String> allowed = Set.of("HS256");
        var verifiers = new java.util.concurrent.ConcurrentHashMap<String, JWTVerifier>();
        tokens.verifyAny(jwt);
        steps.add("JWT, shortcut: verified-token cache hit (verifyAny)", () -> tokens.verifyAny(jwt));
        steps.add("JWT, plain: decode + checks + HMAC verify + claims", () -> {
            DecodedJWT decoded = JWT.decode(jwt);
            TokenType type = TokenType.ofTyp(decoded.getType()).orElseThrow();
            if (!allowed.contains(decoded.getAlgorithm())) {
                throw new IllegalStateException();
            }
            Algorithm alg = key.verifier(decoded.getKeyId()).orElseThrow();
            JWTVerifier verifier = verifiers.computeIfAbsent(type + "/" + decoded.getKeyId(), k ->
                    ((JWTVerifier.BaseVerification) JWT.require(alg).withIssuer(Fixtures.ISSUER).withAudience(Fixtures.ISSUER)
                            .withClaimPresence("sub").withClaimPresence("jti").withClaimPresence("iat").withClaimPresence("exp")
                            .acceptLeeway(5)).build(clock));
            DecodedJWT d = verifier.verify(decoded);
            return new TokenService.Verified(type, new TokenClaims(d.getSubject(), d.getClaim("sid").asString(), d.getId(),
                    d.getIssuedAtAsInstant(), d.getExpiresAtAsInstant(), d.getClaim("scope").asString()), decoded.getKeyId());
        });

        // 2. session/MeAnswer: the /me body kept per identity (PerIdentity) vs Jackson per request.
        var mapper = Json.mapper();
        var bodies = new PerIdentity<byte[]>(4096, clock);
        java.util.function.BiFunction<User, Set<String>, byte[]> encodeMe = (u, held) -> {
            try {
                return mapper.writeValueAsBytes(new MeResponse(new Me(u.id(), u.username(), u.role().wireName(),
                        u.displayName(), u.email(), ScopeCatalog.sorted(held))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        bodies.get(user, cachedScopes, encodeMe);
        steps.add("/me body, shortcut: PerIdentity hit (MeAnswer)", () -> bodies.get(user, requestScopes, encodeMe));
        steps.add("/me body, plain: Jackson per request", () -> encodeMe.apply(user, requestScopes));

        // 3. forwardauth/IdentityHeaders: the Remote-* headers kept per identity vs built per request.
        var headers = new PerIdentity<Map<String, String>>(4096, clock);
        headers.get(user, cachedScopes, TrickCost::remoteHeaders);
        steps.add("Remote-* headers, shortcut: PerIdentity hit", () -> headers.get(user, requestScopes, TrickCost::remoteHeaders));
        steps.add("Remote-* headers, plain: built per request", () -> remoteHeaders(user, requestScopes));

        // 4. http/TrustedProxies.allLines: a one-line X-Forwarded-For used as it is vs listed and joined.
        List<String> xff = List.of("198.51.100.23");
        steps.add("forwarded header, shortcut: one line as it is", () -> allLinesOneLine(Collections.enumeration(xff)));
        steps.add("forwarded header, plain: Collections.list + join", () -> {
            Enumeration<String> lines = Collections.enumeration(xff);
            return !lines.hasMoreElements() ? null : String.join(",", Collections.list(lines));
        });

        // 5. session/LiveSessions + Activity: volatile + compare-and-set vs two Caffeine writes (before de0d6c8).
        String sid = "0KWWpIVYqfGtumH9NqsO3g";
        Duration interval = Duration.ofMinutes(1);
        Duration idle = Duration.ofDays(7);
        Cache<String, Activity> activity = Caches.builder(clock).maximumSize(100_000).build();
        Cache<String, Instant> lastSeen = Caches.builder(clock).maximumSize(100_000).build();
        Cache<String, Instant> lastWritten = Caches.builder(clock).maximumSize(100_000).expireAfterWrite(interval).build();
        steps.add("session activity, shortcut: Activity (volatile + CAS)", () -> {
            Instant t = clock.instant();
            Activity a = activity.get(sid, id -> new Activity());
            boolean idleTooLong = Duration.between(a.lastSeen(now), t).compareTo(idle) > 0;
            return idleTooLong | a.seen(t, interval);
        });
        steps.add("session activity, plain: two Caffeine writes", () -> {
            Instant t = clock.instant();
            Instant seen = lastSeen.getIfPresent(sid);
            boolean idleTooLong = Duration.between(seen != null && seen.isAfter(now) ? seen : now, t).compareTo(idle) > 0;
            lastSeen.put(sid, t);
            return idleTooLong | lastWritten.asMap().putIfAbsent(sid, t) == null;
        });

        // 6. clienttoken/ClientTokenService.effective: the token's own scope set vs a narrowed copy per request.
        Set<String> granted = Set.copyOf(ScopeCatalog.DEFAULT_VIEWER);
        Set<String> held = catalog.of(Role.VIEWER);
        steps.add("client-token scopes, shortcut: own set when all held", () -> effective(granted, held));
        steps.add("client-token scopes, plain: copy + retainAll", () -> {
            Set<String> e = new HashSet<>(granted);
            e.retainAll(held);
            return Set.copyOf(e);
        });

        steps.run(seconds);
    }
}
