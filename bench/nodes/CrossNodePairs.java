import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * Netplay write tokens minted on one node and consumed on another, as an SFU behind a round-robin proxy would see
 * them: each thread holds one keep-alive connection to node A and one to node B, mints on A (Bearer session token),
 * has B consume the token (the SFU's verify with {@code consume: true}, which must answer 200), and every 20th pair
 * replays the consume on A or B in turn, which must answer 401. What bench/lua/pairs.lua does against one node;
 * wrk cannot send one thread's requests to two hosts, hence this client.
 *
 * <p>Thread t mints as player {@code t mod P} of the P session tokens given, from the address 198.51.100.(t mod P + 1)
 * in {@code X-Forwarded-For} (the nodes trust loopback as their proxy): players each minting their own tokens, as
 * in a netplay room, so each has a rate-limit bucket of their own. With one token every thread shares one account's
 * and one address's buckets, the worst case for a limit kept in the database.
 *
 * <p>Run by bench/nodes.sh: {@code CrossNodePairs <node A> <node B> <session tokens, comma-separated> <SFU secret>
 * <threads> <seconds>}.
 * Prints {@code pairs N violations V replays R failures F client_cpu_ms C}: a violation is a fresh token refused or a replay accepted
 * (exactly-once broken), a failure any other unexpected answer (a mint refused, a 429 or 503).
 */
public final class CrossNodePairs {
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            throw new IllegalArgumentException("CrossNodePairs <node A> <node B> <session tokens> <SFU secret> <threads> <seconds>");
        }
        String[] players = args[2].split(",");
        String secret = "x-romm-sfu-secret: " + args[3];
        int threads = Integer.parseInt(args[4]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long deadline = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
        var pairs = new LongAdder();
        var violations = new LongAdder();
        var replays = new LongAdder();
        var failures = new LongAdder();
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            String bearer = "Authorization: Bearer " + players[t % players.length];
            String from = "X-Forwarded-For: 198.51.100." + (t % players.length + 1);
            workers[t] = new Thread(() -> {
                try (var a = new LoopbackHttp(args[0]); var b = new LoopbackHttp(args[1])) {
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        var minted = a.post("/api/sfu/token", "{\"token_type\":\"write\"}", bearer, from);
                        String token = LoopbackHttp.field(minted.body(), "token");
                        if (minted.status() != 200 || token == null) {
                            failures.increment();
                            continue;
                        }
                        String consume = "{\"token\":\"" + token + "\",\"consume\":true}";
                        int first = b.post("/api/sfu/internal/verify", consume, secret).status();
                        if (first != 200) {
                            (first == 401 ? violations : failures).increment();
                        }
                        pairs.increment();
                        if (++n % 20 == 0) {
                            int again = (n % 40 == 0 ? a : b).post("/api/sfu/internal/verify", consume, secret).status();
                            replays.increment();
                            if (again != 401) {
                                (again == 200 ? violations : failures).increment();
                            }
                        }
                    }
                } catch (IOException e) {
                    failures.increment();
                    System.err.println("a connection failed: " + e);
                }
            }, "pairs-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        // This client shares the cores with the nodes it measures, so what it spent is reported beside the figure.
        long cpuNanos = os.getProcessCpuTime() - cpuBefore;
        System.out.printf("pairs %d violations %d replays %d failures %d client_cpu_ms %d%n", pairs.sum(), violations.sum(),
                replays.sum(), failures.sum(), cpuNanos / 1_000_000);
    }
}
