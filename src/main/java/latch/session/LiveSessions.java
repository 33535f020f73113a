package latch.session;

import com.github.benmanes.caffeine.cache.Cache;
import latch.cache.Caches;
import latch.change.Change;
import latch.change.ChangeFeed;
import latch.db.Tx;
import latch.db.UnitOfWork;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Sessions as the hot path sees them: cached, so a valid token costs no SQL, and told through the change feed
 * when a session ends here or in any other process. "Last seen" is kept in memory and written at most once a
 * minute per session, off the request thread. Idle browser sessions end here.
 */
final class LiveSessions {
    private static final Duration WRITE_INTERVAL = Duration.ofMinutes(1);

    private final SessionStore store;
    private final UnitOfWork work;
    private final ChangeFeed feed;
    private final Executor writer;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Cache<String, Optional<Session>> sessions;
    private final Cache<String, Activity> activity;

    LiveSessions(SessionStore store, UnitOfWork work, ChangeFeed feed, Executor writer, Clock clock, Duration idleTimeout) {
        this.store = store;
        this.work = work;
        this.feed = feed;
        this.writer = writer;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        // The feed keeps entries current; the expiry only bounds how long an unused one takes memory.
        this.sessions = Caches.builder(clock).maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(30)).build();
        this.activity = Caches.builder(clock).maximumSize(100_000).build();
        feed.onCommitted(Change.SessionChanged.class, c -> forget(c.sessionId()));
        feed.onCommitted(Change.UserSessionsEnded.class, c -> forgetUser(c.userId()));
        feed.onCommitted(Change.UserDeleted.class, c -> forgetUser(c.userId()));
        feed.onCommitted(Change.Resync.class, c -> sessions.invalidateAll());
    }

    void create(Tx tx, Session s) {
        store.create(tx, s);
        tx.afterCommit(() -> sessions.put(s.id(), Optional.of(s)));
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
            work.run(tx -> end(tx, sessionId));
            return Optional.empty();
        }
        if (a.seen(now, WRITE_INTERVAL)) {
            writer.execute(() -> store.touch(sessionId, now));
        }
        return found;
    }

    List<Session> everyOf(long userId) {
        return store.everyOf(userId);
    }

    Instant lastSeen(Session s) {
        Activity a = activity.getIfPresent(s.id());
        return a == null ? s.lastSeenAt() : a.lastSeen(s);
    }

    boolean end(Tx tx, String sessionId) {
        boolean ended = store.end(tx, sessionId, clock.instant());
        feed.publish(tx, new Change.SessionChanged(sessionId));
        return ended;
    }

    List<Session> endAll(Tx tx, long userId, String keep) {
        List<Session> ended = store.endAll(tx, userId, keep, clock.instant());
        if (!ended.isEmpty()) {
            feed.publish(tx, new Change.UserSessionsEnded(userId));
        }
        return ended;
    }

    void extend(Tx tx, String sessionId, Instant expiresAt) {
        store.extend(tx, sessionId, expiresAt);
        feed.publish(tx, new Change.SessionChanged(sessionId));
    }

    List<Session> live(long userId) {
        return store.live(userId, clock.instant());
    }

    private void forget(String sessionId) {
        sessions.invalidate(sessionId);
        activity.invalidate(sessionId);
    }

    private void forgetUser(long userId) {
        sessions.asMap().entrySet().removeIf(e -> e.getValue().map(s -> s.userId() == userId).orElse(false));
    }
}
