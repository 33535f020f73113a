package latch.session;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a session was last used, as this process saw it, and when that was last written to the store. Updated on
 * every request, often by several threads at once for one busy session, so it takes no lock and makes no cache
 * write; the store is written at most once per interval.
 */
final class Activity {
    private static final long NEVER = Long.MIN_VALUE;
    private volatile Instant seen;
    private final AtomicLong writtenAt = new AtomicLong(NEVER);

    /** The later of the store's "last seen" and this process's. */
    Instant lastSeen(Session s) {
        Instant local = seen;
        return local != null && local.isAfter(s.lastSeenAt()) ? local : s.lastSeenAt();
    }

    /**
     * Records a use; true for the one caller that should write it to the store: the first use, then the first
     * after each {@code interval}.
     */
    boolean seen(Instant now, Duration interval) {
        seen = now; // concurrent requests store instants microseconds apart: either one will do
        long at = now.toEpochMilli();
        long last = writtenAt.get();
        return (last == NEVER || at - last >= interval.toMillis()) && writtenAt.compareAndSet(last, at);
    }
}
