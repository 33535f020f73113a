package latch.federation;

import java.time.Instant;
import java.util.List;

/**
 * An issuer whose netplay tokens this instance accepts: the {@code iss} it signs with (compared exactly), the one URL
 * its keys are fetched from, the algorithms its keys may use, whether it is on, and whether its rooms are listed here.
 */
public record TrustedIssuer(long id, String issuer, String jwksUrl, List<String> algorithms, boolean enabled,
                            boolean listRooms, String note, Instant createdAt, Instant updatedAt) {
    public TrustedIssuer {
        algorithms = List.copyOf(algorithms);
    }

    /** Whether keys fetched for {@code other} are still this issuer's keys: the same URL and allow-list. */
    boolean sameKeysAs(TrustedIssuer other) {
        return other != null && issuer.equals(other.issuer) && jwksUrl.equals(other.jwksUrl)
                && algorithms.equals(other.algorithms);
    }
}
