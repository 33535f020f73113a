package latch.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Clock;

/** Every cache in Latch measures time with the injected clock, so a test moves time instead of sleeping. */
public final class Caches {
    private Caches() {}

    public static Ticker ticker(Clock clock) {
        return () -> clock.millis() * 1_000_000L;
    }

    /** A Caffeine builder on {@code clock}'s time. */
    public static Caffeine<Object, Object> builder(Clock clock) {
        return Caffeine.newBuilder().ticker(ticker(clock));
    }
}
