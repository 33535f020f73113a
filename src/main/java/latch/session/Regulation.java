package latch.session;

import java.time.Clock;
import java.time.Duration;

/**
 * Brute-force regulation per account: after {@code maxFailures} wrong passwords within {@code window}, password
 * sign-in is refused for {@code ban}. The refusal looks exactly like a wrong password, so it tells an attacker
 * nothing about whether the account exists.
 */
public final class Regulation {
    private final LoginFailureStore store;
    private final int maxFailures;
    private final Duration window;
    private final Duration ban;
    private final Clock clock;

    public Regulation(LoginFailureStore store, int maxFailures, Duration window, Duration ban, Clock clock) {
        this.store = store;
        this.maxFailures = maxFailures;
        this.window = window;
        this.ban = ban;
        this.clock = clock;
    }

    public boolean isBanned(long userId) {
        return store.bannedUntil(userId).map(until -> until.isAfter(clock.instant())).orElse(false);
    }

    /** Counts a wrong password; true if it started a ban. */
    public boolean failed(long userId) {
        return store.recordFailure(userId, clock.instant(), maxFailures, window, ban);
    }

    public void succeeded(long userId) {
        store.clear(userId, clock.instant());
    }

    /** Lifts a ban; true if one was in force. */
    public boolean lift(long userId) {
        return store.clear(userId, clock.instant());
    }
}
