package latch.limit;

import java.time.Duration;

/** "At most {@code capacity} per {@code window}", refilled smoothly; {@code name} keeps keys of two limits apart. */
public record LimitPolicy(String name, long capacity, Duration window) {}
