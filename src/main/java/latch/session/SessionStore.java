package latch.session;

import latch.db.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sessions at rest, so they can be listed and ended and survive restarts. */
public interface SessionStore {
    void create(Tx tx, Session session);

    Optional<Session> find(String sessionId);

    /** Records use, at most moving "last seen" forward; its own small write, off the request thread. */
    void touch(String sessionId, Instant seenAt);

    /** Ends one session; false if it was already ended or does not exist. */
    boolean end(Tx tx, String sessionId, Instant endedAt);

    /** Ends every live session of a user except {@code keep} (may be null), in one statement; returns those ended. */
    List<Session> endAll(Tx tx, long userId, String keep, Instant endedAt);

    /** Live sessions of a user, newest first. */
    List<Session> live(long userId, Instant now);

    void extend(Tx tx, String sessionId, Instant expiresAt);

    /** Every session of a user still held, ended ones included (until the purge takes them), newest first. */
    List<Session> everyOf(long userId);

    /** Deletes up to {@code batch} sessions that ended or expired before {@code before}; returns how many. */
    int purgeEnded(Instant before, int batch);
}
