package latch.user;

/**
 * A partial update: null fields stay as they are. An empty {@code netplayUsername} puts the netplay name back to
 * the username.
 */
public record UserChange(Role role, Boolean enabled, String passwordHash, String displayName, String email,
                         String netplayUsername) {}
