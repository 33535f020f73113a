package latch.sfu;

import latch.keys.KeyAlgorithm;

import java.time.Duration;
import java.util.Optional;

/**
 * Netplay, with the ROM manager's names: token lives ({@code SFU_READ_TOKEN_TTL_SECONDS}, {@code _WRITE_}), the
 * SFU's shared secret ({@code ROMM_SFU_INTERNAL_SECRET}), the old HS256 tokens during a migration
 * ({@code SFU_ACCEPT_LEGACY_HS256} with {@code ROMM_AUTH_SECRET_KEY}), and the signing keys' algorithm and rotation.
 */
public record SfuSettings(Duration readTokenTtl, Duration writeTokenTtl, int mintPerMinute, Optional<String> internalSecret,
                          Optional<byte[]> legacySecret, KeyAlgorithm signingAlgorithm, Duration keyRotation,
                          int maxRooms, Duration roomTtl) {
    public SfuSettings {
        legacySecret = legacySecret.map(byte[]::clone);
    }

    public boolean acceptsLegacyTokens() {
        return legacySecret.isPresent();
    }

    /** The longest any netplay token lives: how long a superseded key must keep verifying. */
    public Duration longestToken() {
        return readTokenTtl.compareTo(writeTokenTtl) >= 0 ? readTokenTtl : writeTokenTtl;
    }
}
