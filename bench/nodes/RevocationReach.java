import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a sign-out on one node takes to reach another: per sample, sign in on node A, check the session token
 * works on node B, sign out on A, then ask B for /api/auth/me with that token in a tight loop (one keep-alive
 * connection, no pause) until it answers 401. The figure is from the moment A's sign-out answer was read to the moment
 * B's first 401 was read, so it includes that last poll's round trip (a fraction of a millisecond on loopback).
 *
 * <p>Run by bench/nodes.sh: {@code RevocationReach <node A> <node B> <username> <password> <samples> <raw file>}.
 * Prints one line: {@code samples N p50 X p99 Y max Z ms refused_at_first_poll K polls_p50 P round_trip_p50 T ms}, T
 * being B's answer time for the same request while the token was still good: the floor under the figure.
 */
public final class RevocationReach {
    /** Past this a sample is counted as never refused: the feed's one-second read should have long caught it. */
    private static final long GIVE_UP_NANOS = 5_000_000_000L;

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 6) {
            throw new IllegalArgumentException("RevocationReach <node A> <node B> <username> <password> <samples> <raw file>");
        }
        String login = "{\"username\":\"" + args[2] + "\",\"password\":\"" + args[3] + "\"}";
        int samples = Integer.parseInt(args[4]);
        double[] millis = new double[samples];
        int[] polls = new int[samples];
        double[] checks = new double[samples];
        int refusedAtOnce = 0;
        try (var a = new LoopbackHttp(args[0]); var b = new LoopbackHttp(args[1]);
             var raw = new PrintWriter(Files.newBufferedWriter(Path.of(args[5])))) {
            raw.println("# sample ms polls check_ms");
            for (int i = 0; i < samples; i++) {
                var signedIn = a.post("/api/auth/login", login);
                String token = LoopbackHttp.field(signedIn.body(), "token");
                if (signedIn.status() != 200 || token == null) {
                    throw new IllegalStateException("sign-in on A answered " + signedIn.status() + ": " + signedIn.body());
                }
                String bearer = "Authorization: Bearer " + token;
                long checking = System.nanoTime();
                var before = b.get("/api/auth/me", bearer);
                checks[i] = (System.nanoTime() - checking) / 1e6;
                if (before.status() != 200) {
                    throw new IllegalStateException("B refused a fresh session token (" + before.status() + "): " + before.body());
                }
                var out = a.post("/api/auth/logout", null, bearer);
                long signedOut = System.nanoTime();
                if (out.status() != 204 && out.status() != 200) {
                    throw new IllegalStateException("sign-out on A answered " + out.status() + ": " + out.body());
                }
                int n = 0;
                long refused;
                while (true) {
                    var me = b.get("/api/auth/me", bearer);
                    n++;
                    refused = System.nanoTime();
                    if (me.status() == 401) {
                        break;
                    }
                    if (me.status() != 200) {
                        throw new IllegalStateException("B answered " + me.status() + " while polled: " + me.body());
                    }
                    if (refused - signedOut > GIVE_UP_NANOS) {
                        throw new IllegalStateException("B still accepted a signed-out token after 5 s (sample " + i + ")");
                    }
                }
                millis[i] = (refused - signedOut) / 1e6;
                polls[i] = n;
                refusedAtOnce += n == 1 ? 1 : 0;
                raw.printf("%d %.3f %d %.3f%n", i, millis[i], n, checks[i]);
                // A random pause, so the samples do not fall into step with anything periodic (the feed's 1 s read).
                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 25));
            }
        }
        Arrays.sort(millis);
        Arrays.sort(polls);
        Arrays.sort(checks);
        System.out.printf("samples %d p50 %.2f p99 %.2f max %.2f ms refused_at_first_poll %d polls_p50 %d round_trip_p50 %.2f ms%n",
                samples, rank(millis, 0.50), rank(millis, 0.99), millis[samples - 1], refusedAtOnce, polls[(samples - 1) / 2],
                rank(checks, 0.50));
    }

    /** Nearest-rank percentile of sorted values. */
    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
