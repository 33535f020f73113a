package latch.limit;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLadvisoryLockBasedProxyManager;
import latch.db.Database;
import latch.db.DatabaseException;
import latch.metrics.Metrics;

import java.time.Clock;
import java.time.Duration;

/**
 * The buckets in the PostgreSQL database every node shares, through Bucket4j's own PostgreSQL back-end: three nodes
 * behind a round-robin proxy allow what one would, not three times as much. Each call is one short transaction
 * holding an advisory lock on its bucket, so concurrent calls on any node take turns and a bucket never gives more
 * than its capacity. A row outlives its last use only until the bucket would be full again (a missing bucket is a
 * full one); {@link #purgeExpired} deletes it then.
 */
public final class SharedRateLimiter extends StoredBucketLimiter {
    /** Bucket4j's table (migration V018): id, state, expires_at, explicit_lock (the advisory lock's number). */
    static final String TABLE = "rate_limit_buckets";
    /** A bucket another request holds longer than this fails the request instead of holding its thread. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    private final PostgreSQLadvisoryLockBasedProxyManager<String> buckets;

    public SharedRateLimiter(Database db, Clock clock, Metrics metrics) {
        this(Bucket4jPostgreSQL.advisoryLockBasedBuilder(db.dataSource().orElseThrow(
                        () -> new IllegalArgumentException("shared rate limits need the PostgreSQL database, not " + db.name())))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                // Each node's clock, as the local buckets use it; the tests move it instead of sleeping.
                .clientClock(new ClockTime(clock))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .requestTimeout(LOCK_WAIT)
                .build(), metrics);
    }

    private SharedRateLimiter(PostgreSQLadvisoryLockBasedProxyManager<String> buckets, Metrics metrics) {
        super(buckets, "", metrics);
        this.buckets = buckets;
    }

    /**
     * Bucket4j wraps the driver's error in its own, without the driver's SQL state; it fails only when the database
     * does not answer (or its lock wait runs out), so the request answers 503 with Retry-After, like every other
     * request that needs an absent database, not 500.
     */
    @Override
    RuntimeException unavailable(RuntimeException e) {
        return e instanceof BucketExceptions.BucketExecutionException ? DatabaseException.away("rate limit: " + e.getMessage(), e) : e;
    }

    /** Deletes up to {@code batch} rows of buckets that are full again; returns how many (a purge step). */
    public int purgeExpired(int batch) {
        return buckets.removeExpired(batch);
    }
}
