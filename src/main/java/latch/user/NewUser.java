package latch.user;

/** What creating a user takes; the password is already hashed. */
public record NewUser(String username, String passwordHash, Role role, String displayName, String email) {}
