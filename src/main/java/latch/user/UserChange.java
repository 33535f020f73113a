package latch.user;

/** A partial update: null fields stay as they are. */
public record UserChange(Role role, Boolean enabled, String passwordHash, String displayName, String email) {}
