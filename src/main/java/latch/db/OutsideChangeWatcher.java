package latch.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Runs every few seconds on the background thread: when the outside-change counter moved, forgets every cache. */
public final class OutsideChangeWatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutsideChangeWatcher.class);

    private final OutsideChanges changes;
    private final List<Runnable> forget;
    private long seen;

    public OutsideChangeWatcher(OutsideChanges changes, List<Runnable> forget) {
        this.changes = changes;
        this.forget = List.copyOf(forget);
        this.seen = changes.generation();
    }

    @Override
    public void run() {
        try {
            long now = changes.generation();
            if (now != seen) {
                seen = now;
                forget.forEach(Runnable::run);
                log.info("users or sessions were changed outside this server (admin CLI); cached copies dropped");
            }
        } catch (RuntimeException e) {
            // A busy or briefly locked database: the next round tries again. A thrown exception would cancel the schedule.
            log.warn("could not check for outside changes: {}", e.getClass().getSimpleName());
        }
    }
}
