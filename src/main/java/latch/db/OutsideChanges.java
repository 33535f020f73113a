package latch.db;

/**
 * Tells a running server that something outside it (the admin CLI, another process on the same database)
 * changed users or sessions, so caches that would otherwise trust themselves for a minute let go at once.
 * With several nodes this becomes a broadcast; the services only see this interface.
 */
public interface OutsideChanges {
    /** A number that changes whenever an outside change is announced. */
    long generation();

    /** Announces a change; called by whoever made it, after committing it. */
    void announce();
}
