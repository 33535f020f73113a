package latch.token;

import java.util.Optional;

/**
 * Where signing keys come from. {@code authSecret}: LATCH_AUTH_SECRET_KEY, one fixed HS256 key the operator
 * manages (never stored). {@code encryptionKey}: LATCH_ENCRYPTION_KEY, which seals the generated keys kept in the
 * database; when unset it is generated into the data directory's own 0600 file.
 */
public record KeySettings(Optional<byte[]> authSecret, Optional<byte[]> encryptionKey) {
    public KeySettings {
        authSecret = authSecret.map(byte[]::clone);
        encryptionKey = encryptionKey.map(byte[]::clone);
    }

    public static KeySettings generated() {
        return new KeySettings(Optional.empty(), Optional.empty());
    }
}
