package latch.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The admin's overview: accounts, live sessions and tokens, and the last 24 hours of sign-ins (hour by hour, every
 * hour present, the current one last), rate-limit refusals and open alerts.
 */
public final class DashboardService {
    static final int HOURS = 24;

    public record Overview(DashboardStore.Accounts users, long activeSessions, long activeClientTokens,
                           List<HourView> signIns, long signInsSucceeded, long signInsFailed,
                           long rateLimited, Long openAlerts, String at) {}

    public record HourView(String hour, long succeeded, long failed) {}

    private final DashboardStore store;
    private final Supplier<OptionalLong> openAlerts;
    private final Clock clock;

    /** {@code openAlerts}: the number of open alerts, empty while there is nothing that raises them. */
    public DashboardService(DashboardStore store, Supplier<OptionalLong> openAlerts, Clock clock) {
        this.store = store;
        this.openAlerts = openAlerts;
        this.clock = clock;
    }

    public Overview overview() {
        Instant now = clock.instant();
        Instant from = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        var byHour = new ArrayList<HourView>();
        var found = store.signIns(from, HOURS);
        int next = 0;
        long ok = 0;
        long failed = 0;
        for (int i = 0; i < HOURS; i++) {
            Instant hour = from.plus(Duration.ofHours(i));
            DashboardStore.Hour h = next < found.size() && found.get(next).hour().equals(hour)
                    ? found.get(next++) : new DashboardStore.Hour(hour, 0, 0);
            byHour.add(new HourView(hour.toString(), h.succeeded(), h.failed()));
            ok += h.succeeded();
            failed += h.failed();
        }
        var alerts = openAlerts.get();
        return new Overview(store.accounts(), store.activeSessions(now), store.activeClientTokens(now), byHour, ok, failed,
                store.rateLimited(now.minus(Duration.ofHours(HOURS))), alerts.isPresent() ? alerts.getAsLong() : null,
                now.toString());
    }
}
