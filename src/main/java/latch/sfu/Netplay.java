package latch.sfu;

import latch.change.ChangeFeed;
import latch.db.Database;
import latch.http.TrustedProxies;
import latch.jobs.Jobs;
import latch.keys.KeysController;
import latch.keys.PublishedKeys;
import latch.keys.SqlPublishedKeyStore;
import latch.alert.Alerts;
import latch.limit.RateLimiter;
import latch.metrics.Metrics;
import latch.token.SealingKey;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import latch.redis.Redis;

/** The netplay feature, wired: its signing keys, tokens, one-time ledger, room registry and endpoints. */
public record Netplay(PublishedKeys keys, SfuService service, RoomService roomService, SfuSecret secret,
                      SfuController controller, KeysController keysController, RoomController rooms) {
    static final String KEY_PURPOSE = "netplay";
    private static final Duration LEDGER_SWEEP = Duration.ofSeconds(10);
    private static final Duration ROOM_SWEEP = Duration.ofSeconds(10);
    private static final Duration ROTATION_CHECK = Duration.ofHours(1);

    /**
     * The netplay signing keys, made first: federation signs its requests to peers with them, and netplay is wired
     * with what federation gives it. {@code server}: false for the command line, which makes no key.
     */
    public static PublishedKeys signingKeys(SfuSettings settings, Database db, ChangeFeed feed, SealingKey sealing,
                                            Clock clock, boolean server) {
        return new PublishedKeys(KEY_PURPOSE, settings.signingAlgorithm(), settings.longestToken(), settings.keyRotation(),
                new SqlPublishedKeyStore(db), db, feed, sealing, clock, server);
    }

    /**
     * {@code foreign}: the keys of trusted instances, whose tokens verify here too; {@code remote}: the rooms of
     * trusted instances that share theirs. The command line passes {@link ForeignKeys#NONE} and {@link RemoteRooms#NONE}.
     * {@code shared}: several nodes share {@code db}, so the ledger and the rooms live in {@code redis} when there is
     * one, else in the database; one box keeps them in memory.
     */
    public static Netplay wire(SfuSettings settings, PublishedKeys keys, String issuer, ForeignKeys foreign,
                               RemoteRooms remote, Database db, boolean shared, Optional<Redis> redis, ChangeFeed feed, RateLimiter limiter,
                               Alerts alerts, TrustedProxies proxies, Jobs jobs, Metrics metrics, Clock clock) {
        var tokens = new NetplayTokens(issuer, keys, feed, clock);
        // One box keeps both in memory: no statement per mint and per consume. Nodes behind one proxy must see one
        // ledger and one set of rooms, or a token minted on one is "not found" on the next.
        WriteTokenLedger ledger = redis.isPresent() ? new RedisWriteTokenLedger(redis.get(), clock)
                : shared ? new SqlWriteTokenLedger(db, clock) : new LocalWriteTokenLedger(clock);
        RoomRegistry registry = redis.isPresent() ? new RedisRoomRegistry(redis.get(), clock, settings.roomTtl(), settings.maxRooms())
                : shared ? new SqlRoomRegistry(db, clock, settings.roomTtl(), settings.maxRooms())
                : new LocalRoomRegistry(clock, settings.roomTtl(), settings.maxRooms());
        var service = new SfuService(tokens, foreign, ledger, limiter, alerts, settings, metrics, clock);
        jobs.every("netplay-ledger", LEDGER_SWEEP, LEDGER_SWEEP, service::sweep);
        jobs.every("key-rotation", ROTATION_CHECK, Duration.ofMinutes(1), keys::rotateIfDue);
        var rooms = new RoomService(registry, remote, issuer, settings.roomTtl(), clock);
        jobs.every("netplay-rooms", ROOM_SWEEP, ROOM_SWEEP, rooms::sweep);
        return new Netplay(keys, service, rooms, new SfuSecret(settings.internalSecret()), new SfuController(service, proxies),
                new KeysController(keys), new RoomController(rooms));
    }
}
