package latch.audit;

import java.time.Duration;

/**
 * Which refusals were recorded lately, so a flood of them is recorded once per window. In memory on one box
 * ({@link LocalRefusalWindows}); in the database when several nodes share one ({@link SqlRefusalWindows}).
 */
public interface RefusalWindows {
    /** True the first time {@code key} is seen in a window of {@code window}; false for repeats until it passes. */
    boolean firstIn(String key, Duration window);
}
