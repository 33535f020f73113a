package latch.oauth;

import java.time.Duration;

/** Lifetimes of OAuth access tokens and of refresh tokens (and their grant) from their last use. */
public record OAuthSettings(Duration accessLifetime, Duration refreshLifetime) {}
