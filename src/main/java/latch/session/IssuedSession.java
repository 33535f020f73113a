package latch.session;

import latch.user.User;

import java.time.Instant;

/** A freshly signed token for a user's session, with when it stops working. */
public record IssuedSession(User user, String sessionId, String token, Instant expiresAt) {}
