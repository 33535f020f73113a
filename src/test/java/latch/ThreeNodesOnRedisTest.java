package latch;

import latch.redis.Redis;
import latch.support.OnPostgresAlways;
import latch.support.RedisServer;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link ThreeNodesTest}'s scenarios with the nodes sharing one Redis as well, as the issue describes them: the
 * limit tripped across the nodes is kept there, the netplay token consumed there, and a sign-out wakes the other
 * nodes through its pub/sub instead of PostgreSQL's NOTIFY.
 */
@OnPostgresAlways
class ThreeNodesOnRedisTest extends ThreeNodesTest {
    private Path cluster;

    @Override
    Map<String, String> alsoShared(Path cluster) {
        this.cluster = cluster;
        return Map.of("LATCH_REDIS_URL", RedisServer.get().urlFor(cluster));
    }

    /** Every scenario sets up the admin, which is rate limited: proof the nodes used Redis, not the database. */
    @AfterEach
    void theBucketsWereInRedis() {
        String keys = RedisServer.get().cliIn(cluster, "--scan", "--pattern", Redis.PREFIX + "limit:*");
        assertFalse(keys.isEmpty(), "no rate limit bucket in Redis");
    }
}
