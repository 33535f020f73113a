package latch.token;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random values for secrets and identifiers, always from SecureRandom; hashing and comparing them safely. */
public final class RandomSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private RandomSecrets() {}

    public static byte[] bytes(int count) {
        byte[] out = new byte[count];
        RANDOM.nextBytes(out);
        return out;
    }

    /** {@code count} random bytes as unpadded base64url. */
    public static String urlSafe(int count) {
        return URL.encodeToString(bytes(count));
    }

    /** {@code length} characters drawn uniformly from {@code alphabet}. */
    public static String fromAlphabet(String alphabet, int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The SHA-256 of a value's UTF-8 bytes, as unpadded base64url: how codes and secrets are stored. */
    public static String sha256(String value) {
        return sha256(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] value) {
        return URL.encodeToString(digest(value));
    }

    /** The raw SHA-256 of {@code value}. */
    public static byte[] digest(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Compares in time independent of where the inputs differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
