package latch.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import java.util.function.IntUnaryOperator;

/**
 * Deletes what no one needs any more (ended sessions, spent codes, expired revocations, audit events past their
 * retention...), each kind in batches of its own short transaction, with a pause between batches, so a large
 * backlog never holds the write lock, or the CPU, long enough to keep a request waiting.
 */
public final class Purge implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Purge.class);

    /** One kind of row: deletes up to the given batch and returns how many it deleted. */
    public record Step(String name, IntUnaryOperator deleteBatch) {}

    private final List<Step> steps;
    private final int batch;
    private final int maxBatchesPerRun;
    private final Duration pause;
    private final ObjLongConsumer<String> counted;
    private volatile Map<String, Integer> lastRun = Map.of();

    public Purge(List<Step> steps, int batch, int maxBatchesPerRun) {
        this(steps, batch, maxBatchesPerRun, Duration.ZERO, (kind, rows) -> { });
    }

    /**
     * {@code pause}: the rest after each full batch, in which requests take the write lock and the CPU.
     * {@code counted}: told what each run deleted of each kind (the metrics).
     */
    public Purge(List<Step> steps, int batch, int maxBatchesPerRun, Duration pause, ObjLongConsumer<String> counted) {
        this.steps = List.copyOf(steps);
        this.batch = batch;
        this.maxBatchesPerRun = maxBatchesPerRun;
        this.pause = pause;
        this.counted = counted;
    }

    @Override
    public void run() {
        var counts = new LinkedHashMap<String, Integer>();
        for (Step step : steps) {
            int total = 0;
            for (int i = 0; i < maxBatchesPerRun; i++) {
                int n = step.deleteBatch().applyAsInt(batch);
                total += n;
                if (n < batch) {
                    break;
                }
                rest();
            }
            counts.put(step.name(), total);
            counted.accept(step.name(), total);
        }
        lastRun = Map.copyOf(counts);
        if (counts.values().stream().anyMatch(n -> n > 0)) {
            log.info("purged {}", counts);
        }
    }

    private void rest() {
        if (pause.isZero()) {
            Thread.yield();
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            // shutting down: the rest of the backlog waits for the next start
            Thread.currentThread().interrupt();
            throw new IllegalStateException("purge interrupted");
        }
    }

    /** How many rows of each kind the last run deleted (the metrics read this). */
    public Map<String, Integer> lastRun() {
        return lastRun;
    }
}
