import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import latch.access.ScopeCatalog;
import latch.forwardauth.ForwardAuthService;
import latch.http.Json;
import latch.token.HmacSigningKeys;
import latch.token.RandomSecrets;
import latch.token.TokenClaims;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.Role;
import latch.user.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What each per-request shortcut taken for the C1 compiler still saves under the JVM flags it runs with: every
 * shortcut next to the plain code it replaced (copied from git history), one thread, CPU time per call. Run it
 * under Latch's flags and under C1 to see which ones only paid off under C1; a request costs Latch about 80-150 us
 * of CPU, so a saving well under 1 us is noise.
 * Usage: java <flags> -cp target/latch.jar:target/bench-classes TrickCost [SECONDS_PER_STEP]
 */
public final class TrickCost {
    private TrickCost() {}

    // access/PerIdentity: the cache key with equals/hashCode written out, and the record it replaced.
    private static final class HandKey {
        private final User user;
        private final Set<String> scopes;
        private final int hash;

        HandKey(User user, Set<String> scopes) {
            this.user = user;
            this.scopes = scopes;
            this.hash = Objects.hash(user.id(), user.username(), user.role(), user.displayName(), user.email(), scopes);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof HandKey)) {
                return false;
            }
            HandKey k = (HandKey) o;
            return hash == k.hash && scopes.equals(k.scopes) && (user == k.user || (user.id() == k.user.id()
                    && user.role() == k.user.role() && Objects.equals(user.username(), k.user.username())
                    && Objects.equals(user.displayName(), k.user.displayName()) && Objects.equals(user.email(), k.user.email())));
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record RecordKey(long id, String username, Role role, String displayName, String email, Set<String> scopes) {
        RecordKey(User u, Set<String> scopes) {
            this(u.id(), u.username(), u.role(), u.displayName(), u.email(), scopes);
        }
    }

    // session/Activity (volatile instant + compare-and-set), and the two Caffeine writes it replaced.
    private static final class Activity {
        private volatile Instant seen;
        private final AtomicLong writtenAt = new AtomicLong(Long.MIN_VALUE);

        boolean seen(Instant now, Duration interval) {
            seen = now;
            long at = now.toEpochMilli();
            long last = writtenAt.get();
            return (last == Long.MIN_VALUE || at - last >= interval.toMillis()) && writtenAt.compareAndSet(last, at);
        }
    }

    // http/Cidr: the dotted quad read in one pass, and with String.split as before.
    private static byte[] quadOnePass(String a) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= a.length(); i++) {
            char c = i < a.length() ? a.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3 && !(digits == 1 && value == 0)) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    private static byte[] quadSplit(String a) {
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    // forwardauth: the method and host checks before commit efea8bd.
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
    private static final Pattern HOST = Pattern.compile("(?i)([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\\.?|\\[[0-9a-f:.]{2,45}\\])(:[0-9]{1,5})?");

    record Me(long id, String username, String role, String displayName, String email, List<String> scopes) {}

    record MeResponse(Me user) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var user = new User(1, "admin", null, Role.ADMIN, true, "Admin", "admin@example.com", now);
        Set<String> scopes = ScopeCatalog.defaults().of(Role.ADMIN);
        var steps = new CpuSteps();

        // 1. PerIdentity key
        Cache<HandKey, byte[]> hand = Caffeine.newBuilder().maximumSize(10_000).build();
        Cache<RecordKey, byte[]> rec = Caffeine.newBuilder().maximumSize(10_000).build();
        byte[] answer = new byte[600];
        steps.add("identity cache, key with written-out equals/hashCode", () -> hand.get(new HandKey(user, scopes), k -> answer));
        steps.add("identity cache, record key", () -> rec.get(new RecordKey(user, scopes), k -> answer));

        // 2. PerIdentity for the /me body: cached bytes against Jackson per request
        var mapper = Json.mapper();
        steps.add("/me body: kept per identity (lookup above)", () -> hand.get(new HandKey(user, scopes), k -> answer));
        steps.add("/me body: Jackson per request", () -> mapper.writeValueAsBytes(new MeResponse(new Me(user.id(), user.username(),
                user.role().wireName(), user.displayName(), user.email(), ScopeCatalog.sorted(scopes)))));

        // 3. clienttoken/SecretCheck
        String presented = "latch_" + RandomSecrets.urlSafe(32);
        String stored = RandomSecrets.sha256(presented);
        record Match(Object token, byte[] secret) {}
        Cache<String, Match> lastMatch = Caffeine.newBuilder().maximumSize(50_000).expireAfterAccess(Duration.ofMinutes(10)).build();
        Object tokenRecord = new Object();
        lastMatch.put("tok1", new Match(tokenRecord, presented.getBytes(StandardCharsets.UTF_8)));
        steps.add("client token: remembered secret (SecretCheck)", () -> {
            Match last = lastMatch.getIfPresent("tok1");
            return last != null && last.token() == tokenRecord && MessageDigest.isEqual(last.secret(), presented.getBytes(StandardCharsets.UTF_8));
        });
        steps.add("client token: SHA-256 every request", () -> RandomSecrets.constantTimeEquals(stored, RandomSecrets.sha256(presented)));

        // 4. token/TokenService verified-token cache
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        var tokens = new TokenService(new HmacSigningKeys(secret), "latch", clock);
        String jwt = tokens.issue(TokenType.SESSION, new TokenClaims("1", "0KWWpIVYqfGtumH9NqsO3g", "TKF5_C4I5KDPuY0FvXMssQ", now,
                now.plus(Duration.ofDays(1)), null));
        JWTVerifier verifier = ((JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(secret)).withIssuer("latch")
                .withClaimPresence("sub").withClaimPresence("jti").withClaimPresence("iat").withClaimPresence("exp")
                .acceptLeeway(5)).build(clock);
        steps.add("JWT: verified-token cache hit (TokenService)", () -> tokens.verify(TokenType.SESSION, jwt));
        steps.add("JWT: full verify (HMAC + decode + claims)", () -> {
            DecodedJWT d = verifier.verify(jwt);
            return new TokenClaims(d.getSubject(), d.getClaim("sid").asString(), d.getId(), d.getIssuedAtAsInstant(),
                    d.getExpiresAtAsInstant(), d.getClaim("scope").asString());
        });

        // 5. http/Cidr dotted quad
        steps.add("peer IPv4: one pass (Cidr)", () -> quadOnePass("127.0.0.1"));
        steps.add("peer IPv4: String.split", () -> quadSplit("127.0.0.1"));

        // 6. forwardauth method and host
        steps.add("forwarded method + host: by hand (fromForwarded)", () ->
                ForwardAuthService.fromForwarded("GET", "https", "roms.example.com", "/roms/12?x=1", "127.0.0.1"));
        steps.add("forwarded method + host: the two regexes", () -> {
            String m = "GET".trim().toUpperCase(Locale.ROOT);
            return METHOD.matcher(m).matches() && HOST.matcher("roms.example.com".trim()).matches();
        });

        // 7. session/Activity
        Cache<String, Activity> activity = Caffeine.newBuilder().maximumSize(100_000).build();
        Cache<String, Instant> lastSeen = Caffeine.newBuilder().maximumSize(100_000).build();
        Cache<String, Instant> lastWritten = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();
        steps.add("session activity: volatile + compare-and-set", () ->
                activity.get("0KWWpIVYqfGtumH9NqsO3g", id -> new Activity()).seen(Instant.now(), Duration.ofMinutes(1)));
        steps.add("session activity: two Caffeine writes", () -> {
            Instant t = Instant.now();
            lastSeen.put("0KWWpIVYqfGtumH9NqsO3g", t);
            return lastWritten.asMap().putIfAbsent("0KWWpIVYqfGtumH9NqsO3g", t) == null;
        });

        steps.run(seconds);
    }
}
