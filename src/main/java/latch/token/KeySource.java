package latch.token;

import com.auth0.jwt.algorithms.Algorithm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one token type's keys come from: the key that signs now, the keys that may still verify (by {@code kid}),
 * and the public half of each for a JWKS. Rotating keys happens behind this, without a restart.
 */
public interface KeySource {
    /** The key new tokens are signed with. */
    SigningKey signing();

    /** The key with this id, while tokens it signed may still be valid; empty for an unknown or retired key. */
    Optional<Algorithm> verifier(String kid);

    /** Public keys as JWKs (RFC 7517), for a JWKS document; empty for symmetric keys, which are never published. */
    List<Map<String, Object>> publicKeys();

    /** A key that signs: its id (the JWT's {@code kid} header) and its algorithm with the key. */
    record SigningKey(String kid, Algorithm algorithm) {}
}
