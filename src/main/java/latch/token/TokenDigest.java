package latch.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The first 128 bits of a token's SHA-256: what caches of verified tokens keep, never the token itself. */
public record TokenDigest(long high, long low) {
    public static TokenDigest of(String token) {
        var b = ByteBuffer.wrap(RandomSecrets.digest(token.getBytes(StandardCharsets.UTF_8)));
        return new TokenDigest(b.getLong(), b.getLong());
    }
}
