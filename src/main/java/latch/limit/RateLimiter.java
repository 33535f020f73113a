package latch.limit;

import latch.http.ApiError;

/**
 * Every rate limit in Latch goes through this. One box keeps buckets in memory; several nodes will share them
 * in Redis behind the same interface.
 */
public interface RateLimiter {
    /** Takes one token from the bucket for {@code key}; returns 0 if allowed, else the seconds until one is free. */
    long tryConsume(LimitPolicy policy, String key);

    /** Seconds until one token is free in the bucket for {@code key} (0 if one is free now), without taking it. */
    long secondsUntilFree(LimitPolicy policy, String key);

    /** Refuses with 429 while the bucket is empty, without taking a token: for limits charged only on failure. */
    default void requireFree(LimitPolicy policy, String key) {
        long wait = secondsUntilFree(policy, key);
        if (wait > 0) {
            throw ApiError.tooManyRequests(wait);
        }
    }

    /** Takes one token or refuses with 429 and {@code Retry-After}. */
    default void enforce(LimitPolicy policy, String key) {
        long wait = tryConsume(policy, key);
        if (wait > 0) {
            throw ApiError.tooManyRequests(wait);
        }
    }
}
