package latch.token;

import com.auth0.jwt.algorithms.Algorithm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HS256 key the operator gave (LATCH_AUTH_SECRET_KEY): never stored, rotated by changing the variable, which
 * signs everyone out. Its {@code kid} is derived from the key, so tokens name which key signed them.
 */
public final class FixedKey implements KeySource {
    private final SigningKey key;

    public FixedKey(byte[] secret) {
        String kid = "env-" + RandomSecrets.sha256(secret).substring(0, 12);
        this.key = new SigningKey(kid, Algorithm.HMAC256(secret));
    }

    @Override
    public SigningKey signing() {
        return key;
    }

    @Override
    public Optional<Algorithm> verifier(String kid) {
        return key.kid().equals(kid) ? Optional.of(key.algorithm()) : Optional.empty();
    }

    @Override
    public List<Map<String, Object>> publicKeys() {
        return List.of();
    }
}
