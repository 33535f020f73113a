import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's raw Argon2id verify rate through argon2-jvm, the library Latch uses, with no HTTP, JSON or
 * database around it: the ceiling the login benchmark is compared with.
 * Usage: java -cp target/latch.jar:target/bench-classes Argon2Rate MEMORY_KIB ITERATIONS PARALLELISM THREADS SECONDS
 */
public final class Argon2Rate {
    private Argon2Rate() {}

    public static void main(String[] args) throws InterruptedException {
        int memoryKib = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        double seconds = Double.parseDouble(args[4]);

        Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
        String hash = argon2.hash(iterations, memoryKib, parallelism, "bench-password-123".toCharArray(), StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) { // warm-up: load the native library, fault in malloc arenas
            check(argon2.verify(hash, "bench-password-123".toCharArray(), StandardCharsets.UTF_8));
        }

        var count = new AtomicLong();
        var cpuNanos = new AtomicLong();
        var done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    check(argon2.verify(hash, "bench-password-123".toCharArray(), StandardCharsets.UTF_8));
                    n++;
                }
                count.addAndGet(n);
                cpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                done.countDown();
            }, "argon2-" + t).start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        // CPU per verify is what a busy machine distorts least: compare it with Latch's CPU per sign-in.
        System.out.printf("argon2id m=%d t=%d p=%d threads=%d verifies=%d seconds=%.2f rate=%.2f/s cpu_ms_per_verify=%.1f%n",
                memoryKib, iterations, parallelism, threads, count.get(), elapsed, count.get() / elapsed,
                cpuNanos.get() / 1e6 / count.get());
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("verify failed");
        }
    }
}
