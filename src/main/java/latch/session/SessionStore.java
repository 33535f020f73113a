package latch.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sessions at rest, so they can be listed and ended and survive restarts. */
public interface SessionStore {
    void create(Session session);

    Optional<Session> find(String sessionId);

    void touch(String sessionId, Instant seenAt);

    /** Ends one session; false if it was already ended or does not exist. */
    boolean end(String sessionId, Instant endedAt);

    /** Ends every live session of a user except {@code keep} (may be null); returns the ids ended. */
    List<String> endAll(long userId, String keep, Instant endedAt);

    /** Live sessions of a user, newest first. */
    List<Session> live(long userId, Instant now);

    void extend(String sessionId, Instant expiresAt);
}
