package latch.limit;

import latch.db.DatabaseException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLadvisoryLockBasedProxyManager;
import latch.db.Database;
import latch.metrics.Metrics;
import latch.token.RandomSecrets;

import java.time.Clock;
import java.time.Duration;

/**
 * The buckets in the PostgreSQL database every node shares, through Bucket4j's own PostgreSQL back-end: three nodes
 * behind a round-robin proxy allow what one would, not three times as much. Each call is one short transaction
 * holding an advisory lock on its bucket, so concurrent calls on any node take turns and a bucket never gives more
 * than its capacity. A row outlives its last use only until the bucket would be full again (a missing bucket is a
 * full one); {@link #purgeExpired} deletes it then.
 */
public final class SharedRateLimiter implements RateLimiter {
    /** Bucket4j's table (migration V018): id, state, expires_at, explicit_lock (the advisory lock's number). */
    static final String TABLE = "rate_limit_buckets";
    /** Longer keys are stored by their digest; today's (an address, a /64, a user id) are far shorter. */
    static final int MAX_KEY_LENGTH = 200;
    /** A bucket another request holds longer than this fails the request instead of holding its thread. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    private final PostgreSQLadvisoryLockBasedProxyManager<String> buckets;
    private final Metrics metrics;

    public SharedRateLimiter(Database db, Clock clock, Metrics metrics) {
        this.buckets = Bucket4jPostgreSQL.advisoryLockBasedBuilder(db.dataSource().orElseThrow(
                        () -> new IllegalArgumentException("shared rate limits need the PostgreSQL database, not " + db.name())))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                // Each node's clock, as the local buckets use it; the tests move it instead of sleeping.
                .clientClock(new ClockTime(clock))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .requestTimeout(LOCK_WAIT)
                .build();
        this.metrics = metrics;
    }

    @Override
    public long tryConsume(LimitPolicy policy, String key) {
        return database(() -> BucketAnswers.tryConsume(bucket(policy, key), policy, metrics));
    }

    @Override
    public void refund(LimitPolicy policy, String key) {
        // Bucket4j caps the refill at the capacity; a bucket purged meanwhile comes back full, as a new one would.
        database(() -> {
            bucket(policy, key).addTokens(1);
            return 0L;
        });
    }

    @Override
    public long secondsUntilFree(LimitPolicy policy, String key) {
        return database(() -> BucketAnswers.secondsUntilFree(bucket(policy, key), policy, metrics));
    }

    /**
     * Bucket4j wraps the driver's error in its own, without the driver's SQL state; it fails only when the database
     * does not answer (or its lock wait runs out), so the request answers 503 with Retry-After, like every other
     * request that needs an absent database, not 500.
     */
    private static long database(java.util.function.LongSupplier call) {
        try {
            return call.getAsLong();
        } catch (io.github.bucket4j.BucketExceptions.BucketExecutionException e) {
            throw DatabaseException.away("rate limit: " + e.getMessage(), e);
        }
    }

    /** Deletes up to {@code batch} rows of buckets that are full again; returns how many (a purge step). */
    public int purgeExpired(int batch) {
        return buckets.removeExpired(batch);
    }

    private BucketProxy bucket(LimitPolicy policy, String key) {
        return buckets.builder().build(rowKey(policy, key),
                () -> BucketConfiguration.builder().addLimit(policy.bandwidth()).build());
    }

    /**
     * A stored bucket keeps the configuration it was made with, so the policy's numbers are part of its key:
     * changed LIMIT_* settings start new buckets rather than living on in the old ones, which expire as they refill.
     */
    static String rowKey(LimitPolicy policy, String key) {
        String row = policy.name() + '/' + policy.capacity() + '/' + policy.window().toMillis() + '|' + key;
        return row.length() <= MAX_KEY_LENGTH ? row : policy.name() + "|sha256:" + RandomSecrets.sha256(row);
    }
}
