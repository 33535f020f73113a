package latch.token;

import java.time.Duration;
import java.util.Set;

/**
 * How one type of token is issued and verified: the audience it is for, the longest it may live, the algorithms
 * a token of this type may be signed with (an explicit allow-list, RFC 8725 §3.1), and where its keys come from.
 */
public record TokenProfile(TokenType type, String audience, Duration maxLifetime, Set<String> algorithms, KeySource keys) {
    public TokenProfile {
        algorithms = Set.copyOf(algorithms);
        if (algorithms.isEmpty() || algorithms.contains("none")) {
            throw new IllegalArgumentException("a token type needs signing algorithms, and 'none' is never one");
        }
    }
}
