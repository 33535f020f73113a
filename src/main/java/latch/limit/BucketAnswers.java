package latch.limit;

import io.github.bucket4j.Bucket;
import latch.metrics.Metrics;

/** What a limiter answers from one bucket, in memory or shared: the same counts, the same waits, refusals counted. */
final class BucketAnswers {
    private BucketAnswers() {}

    /** Takes one token; 0 if taken, else the seconds until one is free. */
    static long tryConsume(Bucket bucket, LimitPolicy policy, Metrics metrics) {
        var probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : refused(policy, probe.getNanosToWaitForRefill(), metrics);
    }

    /** The seconds until one token is free (0 if one is free now), taking none. */
    static long secondsUntilFree(Bucket bucket, LimitPolicy policy, Metrics metrics) {
        var estimate = bucket.estimateAbilityToConsume(1);
        return estimate.canBeConsumed() ? 0 : refused(policy, estimate.getNanosToWaitForRefill(), metrics);
    }

    /** Counts the refusal and says what Retry-After says: whole seconds, rounded up, at least one. */
    private static long refused(LimitPolicy policy, long nanos, Metrics metrics) {
        metrics.rateLimited(policy.name());
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
