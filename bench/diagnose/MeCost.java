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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private MeCost() {}

    interface Step {
        Object run() throws Exception;
    }

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

        var steps = new java.util.LinkedHashMap<String, Step>();
        steps.put("TokenService.verify (whole JWT check)", () -> tokens.verify(TokenType.SESSION, token));
        steps.put("  JWT.decode only (base64 + JSON parse)", () -> JWT.decode(token));
        steps.put("  Mac.getInstance + init + doFinal", () -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed);
        });
        steps.put("  HMAC doFinal on a reused Mac", () -> shared.doFinal(signed));
        steps.put("blocklist x2 + user cache + activity", () -> {
            blocklist.getIfPresent("TKF5_C4I5KDPuY0FvXMssQ");
            blocklist.getIfPresent("sid:0KWWpIVYqfGtumH9NqsO3g");
            users.get(1L, id -> Optional.of(view));
            return activity.asMap().putIfAbsent("0KWWpIVYqfGtumH9NqsO3g", now);
        });
        steps.put("Jackson write of the /me body", () -> mapper.writeValueAsBytes(new MeResponse(view)));
        steps.put("Jackson write of the bare body", () -> mapper.writeValueAsBytes(Map.of("status", "ok")));

        for (int pass = 0; pass < 2; pass++) { // pass 0 warms the JIT up
            for (var e : steps.entrySet()) {
                long ops = 0;
                long t0 = CPU.getCurrentThreadCpuTime();
                long deadline = System.nanoTime() + (long) (seconds * 1e9 / (pass == 0 ? 2 : 1));
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < 100; i++) {
                        sink = e.getValue().run();
                    }
                    ops += 100;
                }
                long cpuNs = CPU.getCurrentThreadCpuTime() - t0;
                if (pass == 1) {
                    System.out.printf("%-42s %8.2f us CPU/op%n", e.getKey(), cpuNs / 1e3 / ops);
                }
            }
        }
    }
}
