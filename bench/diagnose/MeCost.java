import com.auth0.jwt.JWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import latch.http.Json;
import latch.token.HmacSigningKeys;
import latch.token.TokenClaims;
import latch.token.TokenService;
import latch.token.TokenType;
import latch.user.UserView;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * What the steps of GET /api/auth/me cost on one thread, in CPU time (so a busy machine skews it less than
 * wall time), with Latch's own classes from the jar. Explains the gap between /me and the bare endpoint.
 * Usage: java <flags> -cp target/latch.jar:target/bench-classes MeCost [SECONDS_PER_STEP]
 */
public final class MeCost {
    private MeCost() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        var tokens = new TokenService(new HmacSigningKeys(secret), "latch", clock);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String token = tokens.issue(TokenType.SESSION,
                new TokenClaims("1", "0KWWpIVYqfGtumH9NqsO3g", "TKF5_C4I5KDPuY0FvXMssQ", now, now.plus(Duration.ofDays(1)), null));
        String[] parts = token.split("\\.");
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        Mac shared = Mac.getInstance("HmacSHA256");
        shared.init(new SecretKeySpec(secret, "HmacSHA256"));

        Cache<String, Instant> blocklist = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).build();
        Cache<Long, Optional<UserView>> users = Caffeine.newBuilder().maximumSize(10_000).build();
        Cache<String, Instant> activity = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();
        var view = new UserView(1, "admin", "admin");
        var mapper = Json.mapper();
        record MeResponse(UserView user) {}

        var steps = new CpuSteps();
        steps.add("TokenService.verify (whole JWT check)", () -> tokens.verify(TokenType.SESSION, token));
        steps.add("  JWT.decode only (base64 + JSON parse)", () -> JWT.decode(token));
        steps.add("  Mac.getInstance + init + doFinal", () -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed);
        });
        steps.add("  HMAC doFinal on a reused Mac", () -> shared.doFinal(signed));
        steps.add("blocklist x2 + user cache + activity", () -> {
            blocklist.getIfPresent("TKF5_C4I5KDPuY0FvXMssQ");
            blocklist.getIfPresent("sid:0KWWpIVYqfGtumH9NqsO3g");
            users.get(1L, id -> Optional.of(view));
            return activity.asMap().putIfAbsent("0KWWpIVYqfGtumH9NqsO3g", now);
        });
        steps.add("Jackson write of the /me body", () -> mapper.writeValueAsBytes(new MeResponse(view)));
        steps.add("Jackson write of the bare body", () -> mapper.writeValueAsBytes(Map.of("status", "ok")));

        steps.run(seconds);
    }
}
