package latch.password;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import latch.http.ApiError;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Argon2id hashing behind a limit of concurrent hashes. Each hash holds ~19 MiB and a core for tens of
 * milliseconds, so a login flood queues here (bounded) and then gets 503, instead of exhausting memory or
 * starving every other endpoint.
 */
public final class PasswordHasher {
    private static final long MAX_WAIT_MS = 10_000;

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
    private final Argon2Cost cost;
    private final Semaphore slots;
    private final int maxQueue;
    private final CompletableFuture<String> dummyHash;

    public PasswordHasher(Argon2Cost cost, int concurrency, int maxQueue) {
        this.cost = cost;
        this.slots = new Semaphore(concurrency, true);
        this.maxQueue = maxQueue;
        // Verifying unknown users against this keeps their failures as slow as a wrong password. It is computed off
        // the start-up path: the server answers sooner, and the first sign-in finds it ready.
        this.dummyHash = CompletableFuture.supplyAsync(() -> hash("latch-dummy-password-for-timing"));
    }

    public String hash(String password) {
        char[] chars = password.toCharArray();
        return guarded(() -> argon2.hash(cost.iterations(), cost.memoryKib(), cost.parallelism(), chars, StandardCharsets.UTF_8), chars);
    }

    /** Verifies against {@code hash}, or against a dummy hash when there is none, taking the same time either way. */
    public boolean verify(String hashOrNull, String password) {
        char[] chars = password.toCharArray();
        String target = hashOrNull == null ? dummyHash.join() : hashOrNull;
        boolean ok = guarded(() -> {
            try {
                return argon2.verify(target, chars, StandardCharsets.UTF_8);
            } catch (IllegalStateException e) {
                return false; // a corrupt stored hash never signs anyone in
            }
        }, chars);
        return ok && hashOrNull != null;
    }

    /** Hashes waiting for a free slot now. */
    public int queueLength() {
        return slots.getQueueLength();
    }

    /** True when {@code hash} was made with a different cost than the one configured now. */
    public boolean needsRehash(String hash) {
        try {
            return argon2.needsRehash(hash, cost.iterations(), cost.memoryKib(), cost.parallelism());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private <T> T guarded(java.util.function.Supplier<T> work, char[] secret) {
        boolean acquired = slots.tryAcquire();
        if (!acquired && slots.getQueueLength() >= maxQueue) {
            wipe(secret);
            throw busy();
        }
        try {
            if (!acquired) {
                acquired = slots.tryAcquire(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            if (!acquired) {
                throw busy();
            }
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            if (acquired) {
                slots.release();
            }
            wipe(secret);
        }
    }

    private void wipe(char[] secret) {
        argon2.wipeArray(secret);
    }

    private static ApiError busy() {
        return new ApiError(503, "busy", "The server is busy checking passwords; try again in a moment.",
                Map.of("Retry-After", "1"));
    }
}
