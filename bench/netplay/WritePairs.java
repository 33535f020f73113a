import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mint + consume of netplay write tokens over HTTP, as the EmulatorJS client and the SFU make them: each thread mints
 * a write token (Bearer session token), has the SFU consume it, and replays every 20th consume, which must fail.
 * Prints "pairs P seconds S rate R violations V": V counts a consume that failed or a replay that passed.
 * Usage: java WritePairs BASE_URL SESSION_TOKEN SFU_SECRET THREADS SECONDS
 */
public final class WritePairs {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String session = args[1];
        String secret = args[2];
        int threads = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        var pairs = new AtomicLong();
        var violations = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                long n = 0;
                try {
                    while (System.nanoTime() < end) {
                        var minted = client.send(HttpRequest.newBuilder(URI.create(base + "/api/sfu/token"))
                                .header("Authorization", "Bearer " + session).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"token_type\":\"write\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        Matcher m = TOKEN.matcher(minted.body());
                        if (minted.statusCode() != 200 || !m.find()) {
                            throw new IllegalStateException("mint failed: " + minted.statusCode() + " " + minted.body());
                        }
                        var consume = HttpRequest.newBuilder(URI.create(base + "/api/sfu/internal/verify"))
                                .header("x-romm-sfu-secret", secret).header("Content-Type", "application/json")
                                .header("Accept", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + m.group(1) + "\",\"consume\":true}")).build();
                        if (client.send(consume, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                            violations.incrementAndGet();
                        }
                        if (++n % 20 == 0 && client.send(consume, HttpResponse.BodyHandlers.discarding()).statusCode() != 401) {
                            violations.incrementAndGet();
                        }
                        pairs.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        long t0 = System.nanoTime();
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        System.out.printf("pairs %d seconds %.1f rate %.0f violations %d%n", pairs.get(), elapsed, pairs.get() / elapsed, violations.get());
    }
}
