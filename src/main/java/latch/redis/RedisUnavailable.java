package latch.redis;

/**
 * Redis did not answer in time or the connection is gone: the request that needed it answers 503 with Retry-After,
 * like one that needs an absent database, and may succeed when tried again.
 */
public final class RedisUnavailable extends RuntimeException {
    public RedisUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
