package latch.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one call on many threads at once: every thread waits at a barrier, so they start together and meet in the
 * check-then-act under test. Answers every call's result in thread order; a call that throws fails the test.
 */
public final class Race {
    private Race() {}

    public interface Call<T> {
        /** {@code racer} is 0 .. racers - 1, for calls that differ per thread (a username, say). */
        T run(int racer) throws Exception;
    }

    public static <T> List<T> run(int racers, Call<T> call) {
        var barrier = new CyclicBarrier(racers);
        var pool = Executors.newFixedThreadPool(racers);
        try {
            var futures = new ArrayList<Future<T>>();
            for (int i = 0; i < racers; i++) {
                int racer = i;
                futures.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return call.run(racer);
                }));
            }
            var results = new ArrayList<T>();
            for (var f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a racer failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("the race did not finish: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
