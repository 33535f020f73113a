package latch.access;

import latch.user.User;

import java.time.Instant;

/** The authenticated caller of a request: the user, and the session and token they proved it with. */
public record Principal(User user, String sessionId, String tokenId, Instant tokenExpiresAt) {}
