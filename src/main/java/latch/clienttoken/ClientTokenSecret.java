package latch.clienttoken;

import latch.token.RandomSecrets;

import java.util.Optional;

/**
 * The wire form of a client token: {@code latch_} + a 12-character id + 256 random bits (43 characters). The id
 * finds the row without a scan; only the SHA-256 of the whole string is stored.
 */
public final class ClientTokenSecret {
    public static final String PREFIX = "latch_";
    static final int ID_LENGTH = 12;
    private static final int SECRET_LENGTH = 43;

    private ClientTokenSecret() {}

    static String newId() {
        return RandomSecrets.urlSafe(9);
    }

    static String mint(String id) {
        return PREFIX + id + RandomSecrets.urlSafe(32);
    }

    /** The id inside a presented token, if it has the right shape. */
    static Optional<String> idOf(String token) {
        if (token == null || token.length() != PREFIX.length() + ID_LENGTH + SECRET_LENGTH || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(token.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH));
    }

    public static boolean looksLikeOne(String token) {
        return token != null && token.startsWith(PREFIX);
    }
}
