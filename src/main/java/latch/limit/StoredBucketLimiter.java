package latch.limit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import latch.metrics.Metrics;

import java.util.function.LongSupplier;

/**
 * Buckets kept by one of Bucket4j's back-ends, which the nodes share (a database table, Redis keys): the same
 * answers as in memory, and a back-end that is away turned into the 503 each back-end's {@link #unavailable} names.
 */
abstract class StoredBucketLimiter implements RateLimiter {
    private final ProxyManager<String> buckets;
    private final String keyPrefix;
    private final Metrics metrics;

    StoredBucketLimiter(ProxyManager<String> buckets, String keyPrefix, Metrics metrics) {
        this.buckets = buckets;
        this.keyPrefix = keyPrefix;
        this.metrics = metrics;
    }

    /** What a failed call becomes: a 503 with Retry-After when the back-end could not answer, not a 500. */
    abstract RuntimeException unavailable(RuntimeException e);

    @Override
    public long tryConsume(LimitPolicy policy, String key) {
        return call(() -> BucketAnswers.tryConsume(bucket(policy, key), policy, metrics));
    }

    @Override
    public void refund(LimitPolicy policy, String key) {
        // Bucket4j caps the refill at the capacity; a bucket expired meanwhile comes back full, as a new one would.
        call(() -> {
            bucket(policy, key).addTokens(1);
            return 0L;
        });
    }

    @Override
    public long secondsUntilFree(LimitPolicy policy, String key) {
        return call(() -> BucketAnswers.secondsUntilFree(bucket(policy, key), policy, metrics));
    }

    private long call(LongSupplier call) {
        try {
            return call.getAsLong();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private BucketProxy bucket(LimitPolicy policy, String key) {
        return buckets.builder().build(keyPrefix + storedKey(policy, key),
                () -> BucketConfiguration.builder().addLimit(policy.bandwidth()).build());
    }

    /** Longer keys are stored by their digest; today's (an address, a /64, a user id) are far shorter. */
    static final int MAX_KEY_LENGTH = 200;

    /**
     * A stored bucket keeps the configuration it was made with, so the policy's numbers are part of its key:
     * changed LIMIT_* settings start new buckets rather than living on in the old ones, which expire as they refill.
     */
    static String storedKey(LimitPolicy policy, String key) {
        String row = policy.name() + '/' + policy.capacity() + '/' + policy.window().toMillis() + '|' + key;
        return row.length() <= MAX_KEY_LENGTH ? row : policy.name() + "|sha256:" + latch.token.RandomSecrets.sha256(row);
    }
}
