package latch.oidc;

import java.time.Instant;

/**
 * A sign-in sent to the provider and not yet back: found by the digest of its {@code state}, bound to the browser
 * that started it by the PKCE {@code challenge} its cookie must hash to. {@code linkUserId} is set when a signed-in
 * person is adding this provider's account to their own rather than signing in.
 */
public record SignInAttempt(String stateDigest, String challenge, String nonce, String returnTo, Long linkUserId,
                            Instant expiresAt) {}
