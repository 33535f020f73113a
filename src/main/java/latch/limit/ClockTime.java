package latch.limit;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;

/** Bucket4j's time read from the injected {@link Clock}, so tests move the limits' time instead of sleeping. */
final class ClockTime implements TimeMeter {
    private final Clock clock;

    ClockTime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        return clock.millis() * 1_000_000L;
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
