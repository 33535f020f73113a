package latch.account;

/**
 * A user as an admin sees them. {@code lastAdmin}: the last enabled admin, whom nobody can demote, disable or delete
 * (the page offers none of it; the database refuses it whatever the page offers).
 */
public record AdminUserView(long id, String username, String role, boolean enabled, String displayName, String email,
                            String netplayUsername, String createdAt, boolean banned, boolean lastAdmin) {}
