package latch.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Records "last seen" for sessions without putting a write on every request: at most one write per session
 * per interval, done off the request thread.
 */
final class SessionActivity {
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Cache<String, Instant> lastWritten;
    private final SessionStore store;
    private final Executor writer;
    private final Clock clock;

    SessionActivity(SessionStore store, Executor writer, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.lastWritten = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(INTERVAL).build();
    }

    void seen(String sessionId) {
        Instant now = clock.instant();
        if (lastWritten.asMap().putIfAbsent(sessionId, now) != null) {
            return;
        }
        try {
            writer.execute(() -> store.touch(sessionId, now));
        } catch (RejectedExecutionException e) {
            // shutting down: a missed "last seen" is harmless
        }
    }
}
