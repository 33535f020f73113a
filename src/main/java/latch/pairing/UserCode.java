package latch.pairing;

import latch.token.RandomSecrets;

import java.util.Locale;
import java.util.Optional;

/**
 * Short codes people type on a handheld: 8 characters from 20 consonants (RFC 8628 §6.1: no vowels, so no
 * words; no look-alikes), shown as XXXX-XXXX, accepted in any case with or without the dash.
 */
public final class UserCode {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final int LENGTH = 8;

    private UserCode() {}

    public static String fresh() {
        return format(RandomSecrets.fromAlphabet(ALPHABET, LENGTH));
    }

    static String format(String raw) {
        return raw.substring(0, 4) + "-" + raw.substring(4);
    }

    /** The canonical XXXX-XXXX form of what someone typed, or empty if it cannot be a code. */
    public static Optional<String> normalise(String typed) {
        if (typed == null || typed.length() > 20) {
            return Optional.empty();
        }
        String raw = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (raw.length() != LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < raw.length(); i++) {
            if (ALPHABET.indexOf(raw.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(format(raw));
    }
}
