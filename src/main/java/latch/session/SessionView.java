package latch.session;

/** A session as its owner (or an admin) sees it in a list. */
public record SessionView(String id, String kind, String createdAt, String lastSeenAt, String expiresAt, String ip,
                          String userAgent, boolean current) {}
