package latch.user;

/** A user as clients see them: never the password hash. */
public record UserView(long id, String username, String role) {}
