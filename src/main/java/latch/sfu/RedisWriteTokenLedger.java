package latch.sfu;

import latch.redis.Redis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The ledger in the Redis server several nodes share, as the ROM manager keeps its markers: one key per token
 * ({@code latch:netplay:wt:<issuer>:<jti>}) that Redis forgets {@link #KEPT_PAST_EXPIRY} after the token expires.
 * Every change is one command, so of concurrent consumes on any number of nodes exactly one wins: a consume is
 * {@code SET key 1 XX GET KEEPTTL}, whose answer (none, "0", "1") also tells an unknown token from a replay, which
 * the ROM manager's {@code DEL} cannot. Without persistence a Redis restart forgets every marker: tokens minted before
 * it are "not found" and foreign ones issued before it refused ({@link #complete()} moves on), never accepted twice.
 */
public final class RedisWriteTokenLedger implements WriteTokenLedger {
    private static final String KEY = Redis.PREFIX + "netplay:wt:";
    private static final String COMPLETE = Redis.PREFIX + "netplay:complete-since";
    private static final String UNUSED = "0";
    private static final String USED = "1";

    private final Redis redis;
    private final Clock clock;

    public RedisWriteTokenLedger(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    @Override
    public void issue(String issuer, String jti, Instant expiresAt) {
        // NX: a clash of 128-bit random jtis is not expected; if it ever happens the mint fails loudly.
        String set = redis.call("netplay mint", c -> c.set(key(issuer, jti), UNUSED, SetParams.setParams().nx().px(lifeMillis(expiresAt))));
        if (set == null) {
            throw new IllegalStateException("a write token id was issued twice");
        }
    }

    @Override
    public Use consume(String issuer, String jti) {
        String before = redis.call("netplay consume", c -> c.setGet(key(issuer, jti), USED, SetParams.setParams().xx().keepTtl()));
        return before == null ? Use.NOT_FOUND : UNUSED.equals(before) ? Use.OK : Use.ALREADY_USED;
    }

    @Override
    public Use peek(String issuer, String jti) {
        String marker = redis.call("netplay peek", c -> c.get(key(issuer, jti)));
        return marker == null ? Use.NOT_FOUND : UNUSED.equals(marker) ? Use.OK : Use.ALREADY_USED;
    }

    @Override
    public Use consumeForeign(String issuer, String jti, Instant expiresAt) {
        String set = redis.call("netplay consume", c -> c.set(key(issuer, jti), USED, SetParams.setParams().nx().px(lifeMillis(expiresAt))));
        return set != null ? Use.OK : Use.ALREADY_USED;
    }

    @Override
    public boolean usedForeign(String issuer, String jti) {
        return redis.call("netplay peek", c -> c.exists(key(issuer, jti)));
    }

    /**
     * Since when this Redis has kept every marker: written by the first node that asks and read by every later one,
     * so all nodes answer alike; a restarted Redis without its data has no such key and starts afresh at that moment.
     */
    @Override
    public Instant complete() {
        long now = clock.millis();
        String since = redis.call("netplay ledger", c -> {
            c.set(COMPLETE, Long.toString(now), SetParams.setParams().nx());
            return c.get(COMPLETE);
        });
        return Instant.ofEpochMilli(since == null ? now : Long.parseLong(since));
    }

    /** Redis forgets markers itself, at their expiry. */
    @Override
    public int sweep() {
        return 0;
    }

    /** Counts the markers with SCAN: a few thousand keys at most (they live 90 s), read only when metrics are scraped. */
    @Override
    public int size() {
        return redis.call("netplay ledger size", c -> {
            var params = new ScanParams().match(KEY + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            int n = 0;
            do {
                var page = c.scan(cursor, params);
                n += page.getResult().size();
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return n;
        });
    }

    /** From now until {@link #KEPT_PAST_EXPIRY} after {@code expiresAt} by this node's clock; at least a second. */
    private long lifeMillis(Instant expiresAt) {
        return Math.max(1000, Duration.between(clock.instant(), expiresAt.plus(KEPT_PAST_EXPIRY)).toMillis());
    }

    private static String key(String issuer, String jti) {
        return KEY + issuer + ':' + jti;
    }
}
