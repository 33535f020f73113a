package latch.limit;

import latch.http.ClientInfo;

/**
 * Every rate limit in Latch goes through this, per client or per account. A client's bucket is keyed by
 * {@link ClientInfo#limitKey()}, so an IPv6 client counts by its /64; an account's by its user id. One box keeps
 * buckets in memory ({@link LocalRateLimiter}); nodes on a shared database share them there ({@link SharedRateLimiter}).
 */
public interface RateLimiter {
    /** Takes one token from the bucket named {@code key}; returns 0 if allowed, else the seconds until one is free. */
    long tryConsume(LimitPolicy policy, String key);

    /** Gives back one token taken from the bucket named {@code key} (never beyond its capacity). */
    void refund(LimitPolicy policy, String key);

    /** Gives back the attempt a client's successful try took: for limits that should count failures only. */
    default void refund(LimitPolicy policy, ClientInfo client) {
        refund(policy, client.limitKey());
    }

    /** Seconds until one token is free in the bucket named {@code key} (0 if one is free now), without taking it. */
    long secondsUntilFree(LimitPolicy policy, String key);

    /** Takes one token from the client's bucket; returns 0 if allowed, else the seconds until one is free. */
    default long tryConsume(LimitPolicy policy, ClientInfo client) {
        return tryConsume(policy, client.limitKey());
    }

    /** Refuses with 429 while the client's bucket is empty, without taking a token: for limits charged only on failure. */
    default void requireFree(LimitPolicy policy, ClientInfo client) {
        refuseFor(policy, secondsUntilFree(policy, client.limitKey()));
    }

    /** Takes one token from the client's bucket or refuses with 429 and {@code Retry-After}. */
    default void enforce(LimitPolicy policy, ClientInfo client) {
        refuseFor(policy, tryConsume(policy, client.limitKey()));
    }

    /** Takes one token from the account's bucket or refuses with 429 and {@code Retry-After}. */
    default void enforceForUser(LimitPolicy policy, long userId) {
        refuseFor(policy, tryConsume(policy, "user:" + userId));
    }

    /** Whether the account's bucket is empty after this one: for counting events towards a threshold, not refusing. */
    default boolean countReachesLimit(LimitPolicy policy, String key) {
        return tryConsume(policy, key) > 0 || secondsUntilFree(policy, key) > 0;
    }

    private static void refuseFor(LimitPolicy policy, long waitSeconds) {
        if (waitSeconds > 0) {
            throw new RateLimited(policy, waitSeconds);
        }
    }
}
