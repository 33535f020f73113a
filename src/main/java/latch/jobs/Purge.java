package latch.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Deletes what no one needs any more (ended sessions, spent codes, expired revocations...), each kind in batches
 * of its own short transaction, so a large backlog never holds the write lock long enough to keep a request waiting.
 */
public final class Purge implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Purge.class);

    /** One kind of row: deletes up to the given batch and returns how many it deleted. */
    public record Step(String name, IntUnaryOperator deleteBatch) {}

    private final List<Step> steps;
    private final int batch;
    private final int maxBatchesPerRun;
    private volatile Map<String, Integer> lastRun = Map.of();

    public Purge(List<Step> steps, int batch, int maxBatchesPerRun) {
        this.steps = List.copyOf(steps);
        this.batch = batch;
        this.maxBatchesPerRun = maxBatchesPerRun;
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
                Thread.yield(); // between batches the write lock is free for requests
            }
            counts.put(step.name(), total);
        }
        lastRun = Map.copyOf(counts);
        if (counts.values().stream().anyMatch(n -> n > 0)) {
            log.info("purged {}", counts);
        }
    }

    /** How many rows of each kind the last run deleted. */
    public Map<String, Integer> lastRun() {
        return lastRun;
    }
}
