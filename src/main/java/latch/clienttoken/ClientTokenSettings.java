package latch.clienttoken;

/** How many active client API tokens one user may hold. */
public record ClientTokenSettings(int maxPerUser) {}
