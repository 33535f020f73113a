package latch.session;

import java.time.Instant;

/** Sessions at rest, so they can be listed and ended later and survive restarts. */
public interface SessionStore {
    void create(Session session);

    void touch(String sessionId, Instant seenAt);

    void end(String sessionId, Instant endedAt);
}
