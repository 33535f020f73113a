package latch.clienttoken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import latch.token.RandomSecrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Whether a presented client token is the one whose SHA-256 is stored. Hashing on every request cost more than
 * the rest of a forward-auth check under the C1 compiler, so the bytes of the secret that last matched each token
 * record are kept: while the record is unchanged (the same cached instance; a regenerate, a revoke or a reload
 * replaces it) the same bytes match without hashing. Both comparisons are constant-time, and the remembered
 * secrets are keyed by token id, never by the secret. Per node and derived from the store, so no shared backend.
 */
final class SecretCheck {
    private record Match(ClientToken token, byte[] secret) {}

    private final Cache<String, Match> lastMatch = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    boolean matches(ClientToken token, String presented) {
        byte[] secret = presented.getBytes(StandardCharsets.UTF_8);
        Match last = lastMatch.getIfPresent(token.id());
        if (last != null && last.token() == token && MessageDigest.isEqual(last.secret(), secret)) {
            return true;
        }
        if (!RandomSecrets.constantTimeEquals(token.secretHash(), RandomSecrets.sha256(presented))) {
            return false;
        }
        lastMatch.put(token.id(), new Match(token, secret));
        return true;
    }
}
