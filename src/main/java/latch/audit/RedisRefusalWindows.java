package latch.audit;

import latch.redis.Redis;
import latch.redis.RedisUnavailable;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@link RefusalWindows} in the Redis server every node shares, so a flood of refusals spread over the nodes is
 * recorded once per client and window. One script decides: open the window, or restart it only when the last one
 * has passed by this node's clock (as the other implementations count time). While Redis is away the node counts in
 * its own memory instead: a refusal is still answered and audited, at worst once per node rather than once in all.
 */
public final class RedisRefusalWindows implements RefusalWindows {
    private static final String KEY = Redis.PREFIX + "refusal:";
    /** Kept a little past the window, so a node whose clock runs a little behind still finds it. */
    private static final long GRACE_MS = 60_000;
    private static final String OPEN = """
            local open = redis.call('GET', KEYS[1])
            if open and tonumber(open) > tonumber(ARGV[1]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1""";

    private final Redis redis;
    private final Clock clock;
    private final RefusalWindows fallback;

    public RedisRefusalWindows(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
        this.fallback = new LocalRefusalWindows(clock, 100_000);
    }

    @Override
    public boolean firstIn(String key, Duration window) {
        long now = clock.millis();
        try {
            Object first = redis.call("refusal window", c -> c.eval(OPEN, List.of(KEY + key),
                    List.of(Long.toString(now), Long.toString(now + window.toMillis()), Long.toString(window.toMillis() + GRACE_MS))));
            return Long.valueOf(1).equals(first);
        } catch (RedisUnavailable e) {
            return fallback.firstIn(key, window);
        }
    }
}
