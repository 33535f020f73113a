package latch.session;

import java.time.Duration;

/** How long a browser session lives from sign-in ({@code maxAge}) and unused ({@code idleTimeout}, zero for never). */
public record SessionSettings(Duration maxAge, Duration idleTimeout) {}
