package latch.account;

/** A user as an admin sees them. */
public record AdminUserView(long id, String username, String role, boolean enabled, String displayName, String email,
                            String netplayUsername, String createdAt, boolean banned) {}
