package latch.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Per-account sign-in failures, kept in the database so a ban survives a restart. */
public interface LoginFailureStore {
    Optional<Instant> bannedUntil(long userId);

    /** Counts a failure in the current window, atomically; true if this failure started a ban. */
    boolean recordFailure(long userId, Instant now, int maxFailures, Duration window, Duration ban);

    /** Forgets failures and any ban; true if there was a ban in force at {@code now}. */
    boolean clear(long userId, Instant now);
}
