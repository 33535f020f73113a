package latch.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sessions as the hot path sees them: cached, so a valid token costs no SQL; invalidated when this process ends
 * one, and re-read within a minute when another process (the admin CLI) does. "Last seen" is kept in memory
 * and written at most once a minute per session, off the request thread. Idle browser sessions end here.
 */
final class LiveSessions {
    private static final Duration RECHECK = Duration.ofMinutes(1);
    private static final Duration WRITE_INTERVAL = Duration.ofMinutes(1);

    private final SessionStore store;
    private final Executor writer;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Cache<String, Optional<Session>> sessions;
    private final Cache<String, Activity> activity;

    LiveSessions(SessionStore store, Executor writer, Clock clock, Duration idleTimeout) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.sessions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(RECHECK).build();
        this.activity = Caffeine.newBuilder().maximumSize(100_000).build();
    }

    /** Forgets every cached session row (not the activity not yet written), after changes made outside this server. */
    void forgetAll() {
        sessions.invalidateAll();
    }

    void create(Session s) {
        store.create(s);
        sessions.put(s.id(), Optional.of(s));
    }

    Optional<Session> find(String sessionId) {
        return sessions.get(sessionId, store::find);
    }

    /** The session if it is live and not idle for too long; marks it seen. An idle one is ended. */
    Optional<Session> active(String sessionId) {
        Instant now = clock.instant();
        Optional<Session> found = find(sessionId).filter(s -> s.isLive(now));
        if (found.isEmpty()) {
            return found;
        }
        Session s = found.get();
        Activity a = activity.get(sessionId, id -> new Activity());
        if (s.kind() == SessionKind.BROWSER && !idleTimeout.isZero()
                && Duration.between(a.lastSeen(s), now).compareTo(idleTimeout) > 0) {
            end(sessionId);
            return Optional.empty();
        }
        if (a.seen(now, WRITE_INTERVAL)) {
            try {
                writer.execute(() -> store.touch(sessionId, now));
            } catch (RejectedExecutionException e) {
                // shutting down: a missed "last seen" is harmless
            }
        }
        return found;
    }

    Instant lastSeen(Session s) {
        Activity a = activity.getIfPresent(s.id());
        return a == null ? s.lastSeenAt() : a.lastSeen(s);
    }

    boolean end(String sessionId) {
        boolean ended = store.end(sessionId, clock.instant());
        forget(sessionId);
        return ended;
    }

    List<String> endAll(long userId, String keep) {
        List<String> ended = store.endAll(userId, keep, clock.instant());
        ended.forEach(this::forget);
        return ended;
    }

    void extend(String sessionId, Instant expiresAt) {
        store.extend(sessionId, expiresAt);
        sessions.invalidate(sessionId);
    }

    List<Session> live(long userId) {
        return store.live(userId, clock.instant());
    }

    private void forget(String sessionId) {
        sessions.invalidate(sessionId);
        activity.invalidate(sessionId);
    }
}
