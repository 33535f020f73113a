package latch.dashboard;

import java.time.Instant;
import java.util.List;

/** The counts the admin's overview shows, read across the features' tables. SQLite today; PostgreSQL later. */
public interface DashboardStore {
    record Accounts(long total, long enabled, long admins) {}

    /** Sign-ins that succeeded and failed in the hour that starts at {@code hour}. */
    record Hour(Instant hour, long succeeded, long failed) {}

    Accounts accounts();

    /** Browser sessions and OAuth grants neither ended nor past their expiry. */
    long activeSessions(Instant now);

    /** Client API tokens neither revoked nor expired. */
    long activeClientTokens(Instant now);

    /** Sign-ins per hour from {@code from} (an hour's start) for {@code hours} hours; hours without any are left out. */
    List<Hour> signIns(Instant from, int hours);

    /** Refusals by a rate limit since {@code since}. */
    long rateLimited(Instant since);
}
