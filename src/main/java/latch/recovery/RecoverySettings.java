package latch.recovery;

import java.time.Duration;
import java.util.Optional;

/**
 * Ways back into an account: how long an admin's reset link lives (RESET_LINK_TTL_SECONDS), how long a sign-in link
 * from the command line lives, and the mail server for self-service reset, if there is one.
 */
public record RecoverySettings(Duration resetLinkTtl, Duration loginLinkTtl, Optional<SmtpSettings> smtp) {
    public static final Duration LOGIN_LINK_TTL = Duration.ofMinutes(10);

    public boolean mailConfigured() {
        return smtp.isPresent();
    }
}
