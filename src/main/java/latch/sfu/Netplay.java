package latch.sfu;

import latch.change.ChangeFeed;
import latch.db.Database;
import latch.http.TrustedProxies;
import latch.jobs.Jobs;
import latch.keys.KeysController;
import latch.keys.PublishedKeys;
import latch.keys.SqlitePublishedKeyStore;
import latch.limit.RateLimiter;
import latch.token.SealingKey;

import java.time.Clock;
import java.time.Duration;

/** The netplay feature, wired: its signing keys, tokens, one-time ledger, room registry and endpoints. */
public record Netplay(PublishedKeys keys, SfuService service, SfuSecret secret, SfuController controller,
                      KeysController keysController, RoomController rooms) {
    static final String KEY_PURPOSE = "netplay";
    private static final Duration LEDGER_SWEEP = Duration.ofSeconds(10);
    private static final Duration ROOM_SWEEP = Duration.ofSeconds(10);
    private static final Duration ROTATION_CHECK = Duration.ofHours(1);
    private static final Duration KEYS_READ_AFTER = Duration.ofSeconds(2);

    /** {@code server}: false for the command line, which makes no key and schedules nothing. */
    public static Netplay wire(SfuSettings settings, String issuer, Database db, ChangeFeed feed, SealingKey sealing,
                               RateLimiter limiter, TrustedProxies proxies, Jobs jobs, Clock clock, boolean server) {
        var keys = new PublishedKeys(KEY_PURPOSE, settings.signingAlgorithm(), settings.longestToken(), settings.keyRotation(),
                new SqlitePublishedKeyStore(db), db, feed, sealing, clock, server);
        var tokens = new NetplayTokens(issuer, keys, feed, clock);
        var service = new SfuService(tokens, new LocalWriteTokenLedger(clock), limiter, settings, clock);
        jobs.every("netplay-ledger", LEDGER_SWEEP, LEDGER_SWEEP, service::sweep);
        jobs.every("key-rotation", ROTATION_CHECK, Duration.ofMinutes(1), keys::rotateIfDue);
        if (server) {
            // Off the start-up path, on the background thread; a token asked for sooner reads the keys itself.
            jobs.once("netplay-keys", KEYS_READ_AFTER, keys::prepare);
        }
        var rooms = new RoomService(new LocalRoomRegistry(clock, settings.roomTtl(), settings.maxRooms()), issuer,
                settings.roomTtl(), clock);
        jobs.every("netplay-rooms", ROOM_SWEEP, ROOM_SWEEP, rooms::sweep);
        return new Netplay(keys, service, new SfuSecret(settings.internalSecret()), new SfuController(service, proxies),
                new KeysController(keys), new RoomController(rooms));
    }
}
