package latch.invite;

/** Whether anyone may create a viewer account without an invitation. */
public record RegistrationSettings(boolean open) {}
