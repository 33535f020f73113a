package latch.limit;

import io.github.bucket4j.Bandwidth;

import java.time.Duration;

/** "At most {@code capacity} per {@code window}", refilled smoothly; {@code name} keeps keys of two limits apart. */
public record LimitPolicy(String name, long capacity, Duration window) {
    /** The policy as Bucket4j's limit: a full bucket of {@code capacity}, refilled evenly over {@code window}. */
    Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, window).build();
    }
}
