import com.auth0.jwt.JWT;
import com.github.benmanes.caffeine.cache.Cache;
import latch.access.PerIdentity;
import latch.access.ScopeCatalog;
import latch.cache.Caches;
import latch.http.Json;
import latch.token.TokenClaims;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.Role;
import latch.user.User;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the steps of GET /api/auth/me cost on one thread, in CPU time (so a busy machine skews it less than
 * wall time), with Latch's own classes from the jar where they are public. Explains the gap between /me and the
 * bare endpoint. The session and user lookups are Caffeine caches shaped like LiveSessions' and UserDirectory's;
 * the blocklist probe (RevocationSet, package-private) is left out.
 * Usage: java <flags> -cp target/latch.jar:target/bench-classes MeCost [SECONDS_PER_STEP]
 */
public final class MeCost {
    private MeCost() {}

    record Me(long id, String username, String role, String displayName, String email, List<String> scopes) {}

    record MeResponse(Me user) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        Clock clock = Clock.systemUTC();
        TokenService tokens = Fixtures.tokens(clock);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String token = tokens.issue(TokenType.SESSION,
                new TokenClaims("1", "0KWWpIVYqfGtumH9NqsO3g", "TKF5_C4I5KDPuY0FvXMssQ", now, now.plus(Duration.ofDays(1)), null));
        String[] parts = token.split("\\.");
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        Mac shared = Mac.getInstance("HmacSHA256");
        shared.init(new SecretKeySpec(Fixtures.SECRET, "HmacSHA256"));

        User user = Fixtures.admin(now);
        Set<String> scopes = Set.copyOf(ScopeCatalog.defaults().of(Role.ADMIN));
        Cache<String, Optional<String>> sessions = Caches.builder(clock).maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(30)).build();
        Cache<Long, Optional<User>> users = Caches.builder(clock).maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(30)).build();
        var mapper = Json.mapper();
        var bodies = new PerIdentity<byte[]>(4096, clock);
        java.util.function.BiFunction<User, Set<String>, byte[]> encode = (u, held) -> {
            try {
                return mapper.writeValueAsBytes(new MeResponse(new Me(u.id(), u.username(), u.role().wireName(), u.displayName(),
                        u.email(), ScopeCatalog.sorted(held))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        var steps = new CpuSteps();
        steps.add("TokenService.verifyAny (verified-token cache hit)", () -> tokens.verifyAny(token));
        steps.add("  JWT.decode only (base64 + JSON parse)", () -> JWT.decode(token));
        steps.add("  Mac.getInstance + init + doFinal", () -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Fixtures.SECRET, "HmacSHA256"));
            return mac.doFinal(signed);
        });
        steps.add("  HMAC doFinal on a reused Mac", () -> shared.doFinal(signed));
        steps.add("session cache + user cache (Caffeine hits)", () -> {
            sessions.get("0KWWpIVYqfGtumH9NqsO3g", id -> Optional.of(id));
            return users.get(1L, id -> Optional.of(user));
        });
        steps.add("/me body kept per identity (PerIdentity hit)", () -> bodies.get(user, scopes, encode));
        steps.add("Jackson write of the /me body", () -> encode.apply(user, scopes));
        steps.add("Jackson write of the bare body", () -> mapper.writeValueAsBytes(Map.of("status", "ok")));

        steps.run(seconds);
    }
}
