package latch.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The blocklist in memory for lookups that cost no SQL, written through to a {@link RevocationStore} and
 * reloaded from it at start. Each entry expires with the token it blocks.
 */
public final class CaffeineBlocklist implements Blocklist {
    private final Cache<String, Instant> entries;
    private final RevocationStore store;
    private final Clock clock;

    public CaffeineBlocklist(RevocationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(new Expiry<String, Instant>() {
                    @Override
                    public long expireAfterCreate(String key, Instant until, long now) {
                        return remainingNanos(until);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Instant until, long now, long current) {
                        return remainingNanos(until);
                    }

                    @Override
                    public long expireAfterRead(String key, Instant until, long now, long current) {
                        return current;
                    }
                })
                .build();
        Instant now = clock.instant();
        store.purgeExpired(now);
        entries.putAll(store.active(now));
    }

    private long remainingNanos(Instant until) {
        long millis = Duration.between(clock.instant(), until).toMillis();
        return Math.max(0, millis) * 1_000_000L;
    }

    @Override
    public boolean revoke(String id, Instant until) {
        if (!until.isAfter(clock.instant())) {
            return true; // already expired: nothing left to block, and nobody can use it to go on
        }
        boolean first = store.save(id, until);
        entries.put(id, until);
        return first;
    }

    @Override
    public boolean isRevoked(String id) {
        return entries.getIfPresent(id) != null;
    }
}
