package latch.limit;

import latch.http.ApiError;
import latch.http.ClientInfo;

/**
 * Every rate limit in Latch goes through this, per client: buckets are keyed by {@link ClientInfo#limitKey()},
 * so an IPv6 client counts by its /64. One box keeps buckets in memory; several nodes will share them in Redis
 * behind the same interface.
 */
public interface RateLimiter {
    /** Takes one token from the client's bucket; returns 0 if allowed, else the seconds until one is free. */
    long tryConsume(LimitPolicy policy, ClientInfo client);

    /** Seconds until one token is free in the client's bucket (0 if one is free now), without taking it. */
    long secondsUntilFree(LimitPolicy policy, ClientInfo client);

    /** Refuses with 429 while the client's bucket is empty, without taking a token: for limits charged only on failure. */
    default void requireFree(LimitPolicy policy, ClientInfo client) {
        long wait = secondsUntilFree(policy, client);
        if (wait > 0) {
            throw ApiError.tooManyRequests(wait);
        }
    }

    /** Takes one token from the client's bucket or refuses with 429 and {@code Retry-After}. */
    default void enforce(LimitPolicy policy, ClientInfo client) {
        long wait = tryConsume(policy, client);
        if (wait > 0) {
            throw ApiError.tooManyRequests(wait);
        }
    }
}
