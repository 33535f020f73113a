package latch.sfu;

import latch.redis.Redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry in the Redis server several nodes share, as the ROM manager keeps its {@code sfu:room:<name>} keys:
 * a key per room holding its record, and one sorted set of the names by expiry, by this node's clock (as the other
 * implementations count time) so every node agrees when a room is gone. Each operation is one Lua script, so the cap
 * is checked and a place taken in one step on any number of nodes. A room's key also expires in Redis a minute after
 * its time, so nothing outlives a registry no node sweeps.
 */
public final class RedisRoomRegistry implements RoomRegistry {
    private static final String INDEX = Redis.PREFIX + "netplay:rooms";
    private static final String ROOM = Redis.PREFIX + "netplay:room:";
    private static final long GRACE_MS = 60_000;

    /** Forgets the rooms of {@code index} expired by {@code now} (keys under {@code prefix}); how many. */
    private static final String FORGET_EXPIRED = """
            local function forgetExpired(index, now, prefix)
              local gone = redis.call('ZRANGEBYSCORE', index, '-inf', now)
              for _, name in ipairs(gone) do
                redis.call('ZREM', index, name)
                redis.call('DEL', prefix .. name)
              end
              return #gone
            end
            """;
    /** KEYS: index, room. ARGV: name, record, expires at, now, cap, key lifetime, room key prefix. */
    private static final String UPSERT = FORGET_EXPIRED + """
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then
              -- Full: rooms whose SFU stopped refreshing them may hold places until a sweep; free those first.
              forgetExpired(KEYS[1], ARGV[4], ARGV[7])
              if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return 0 end
            end
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[6])
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            return 1""";
    /** KEYS: index, room. ARGV: name, now. */
    private static final String RESOLVE = """
            local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not expires or tonumber(expires) <= tonumber(ARGV[2]) then return false end
            return redis.call('GET', KEYS[2])""";
    /** KEYS: index. ARGV: now, room key prefix. Answers name, record, name, record, ... */
    private static final String LIST = """
            local names = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
            local out = {}
            for _, name in ipairs(names) do
              local record = redis.call('GET', ARGV[2] .. name)
              if record then
                out[#out + 1] = name
                out[#out + 1] = record
              end
            end
            return out""";
    /** KEYS: index. ARGV: now, room key prefix. */
    private static final String SWEEP = FORGET_EXPIRED + "return forgetExpired(KEYS[1], ARGV[1], ARGV[2])";

    private final Redis redis;
    private final Clock clock;
    private final long ttlMillis;
    private final int maxRooms;

    public RedisRoomRegistry(Redis redis, Clock clock, Duration ttl, int maxRooms) {
        this.redis = redis;
        this.clock = clock;
        this.ttlMillis = RoomRegistry.checkedLifetime(ttl, maxRooms);
        this.maxRooms = maxRooms;
    }

    @Override
    public boolean upsert(String roomName, byte[] record) {
        long now = clock.millis();
        Object stored = redis.call("netplay rooms", c -> c.eval(UPSERT, List.of(INDEX, ROOM + roomName),
                List.of(roomName, new String(record, StandardCharsets.UTF_8), Long.toString(now + ttlMillis),
                        Long.toString(now), Integer.toString(maxRooms), Long.toString(ttlMillis + GRACE_MS), ROOM)));
        return Long.valueOf(1).equals(stored);
    }

    @Override
    public void delete(String roomName) {
        redis.call("netplay rooms", c -> c.eval("redis.call('ZREM', KEYS[1], ARGV[1]) return redis.call('DEL', KEYS[2])",
                List.of(INDEX, ROOM + roomName), List.of(roomName)));
    }

    @Override
    public Optional<byte[]> resolve(String roomName) {
        Object record = redis.call("netplay rooms", c -> c.eval(RESOLVE, List.of(INDEX, ROOM + roomName),
                List.of(roomName, Long.toString(clock.millis()))));
        return record instanceof String s ? Optional.of(s.getBytes(StandardCharsets.UTF_8)) : Optional.empty();
    }

    @Override
    public Map<String, byte[]> list() {
        Object found = redis.call("netplay rooms", c -> c.eval(LIST, List.of(INDEX), List.of(Long.toString(clock.millis()), ROOM)));
        var live = new TreeMap<String, byte[]>();
        List<?> pairs = found instanceof List<?> l ? l : new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            live.put((String) pairs.get(i), ((String) pairs.get(i + 1)).getBytes(StandardCharsets.UTF_8));
        }
        return live;
    }

    @Override
    public int size() {
        return Math.toIntExact(redis.call("netplay rooms", c -> c.zcard(INDEX)));
    }

    @Override
    public int sweep() {
        Object gone = redis.call("netplay rooms", c -> c.eval(SWEEP, List.of(INDEX), List.of(Long.toString(clock.millis()), ROOM)));
        return gone instanceof Long n ? Math.toIntExact(n) : 0;
    }
}
